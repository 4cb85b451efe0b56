import { describe, expect, it } from 'vitest'
import { formatAmount, formatBytes, publicCaseFileUrl, queryValue, queryYear } from './portal'

describe('portal helpers', () => {
  it('builds the public file address of a published case', () => {
    expect(publicCaseFileUrl('c1', 'a/1')).toBe('/api/public/cases/c1/files/a%2F1')
  })

  it('groups yen and counts the ja-JP way', () => {
    expect(formatAmount(4500000)).toBe('4,500,000')
    expect(formatAmount(0)).toBe('0')
  })

  it('sizes files in KB and MB', () => {
    expect(formatBytes(100)).toBe('1 KB')
    expect(formatBytes(3.4 * 1024 * 1024)).toBe('3.4 MB')
  })

  it('reads filters from the URL query, ignoring what is not a plain value', () => {
    expect(queryValue(['a', 'b'])).toBe('a')
    expect(queryValue(undefined)).toBe('')
    expect(queryYear('2025')).toBe(2025)
    expect(queryYear('2025x')).toBeNull()
    expect(queryYear(null)).toBeNull()
  })
})
