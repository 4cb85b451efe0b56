import { describe, expect, it } from 'vitest'
import { formatDate, formatPeriod } from './dates'

describe('formatDate / formatPeriod', () => {
  it('formats a calendar date without a time-zone shift', () => {
    expect(formatDate('2026-04-01', 'ja')).toBe('2026年4月1日')
    expect(formatDate('2026-04-01', 'en')).toBe('April 1, 2026')
    expect(formatDate('not a date', 'ja')).toBe('not a date')
  })

  it('formats open-ended periods', () => {
    expect(formatPeriod('2026-04-01', '2026-06-30', 'ja')).toBe('2026年4月1日 〜 2026年6月30日')
    expect(formatPeriod(null, '2026-06-30', 'ja')).toBe('〜 2026年6月30日')
    expect(formatPeriod('2026-04-01', null, 'en')).toBe('April 1, 2026 –')
    expect(formatPeriod(null, null, 'ja')).toBeNull()
  })
})
