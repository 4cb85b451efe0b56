import { describe, expect, it } from 'vitest'
import { blockKey, caseProblemMessage, fiscalYearOf, moved } from './caseForm'

const t = (key: string, named?: Record<string, unknown>) => (named ? `${key} ${JSON.stringify(named)}` : key)

describe('caseForm', () => {
  it('moves an item up and down, never past either end', () => {
    expect(moved(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c'])
    expect(moved(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b'])
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c'])
    expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c'])
  })

  it('keys an item by kind and reference', () => {
    expect(blockKey({ kind: 'PROPOSAL_FIELD', field: 'wardIssue' })).toBe('PROPOSAL_FIELD:wardIssue')
    expect(blockKey({ kind: 'REPORT_PHOTO', attachmentId: 'x' })).toBe('REPORT_PHOTO:x')
  })

  it('knows the 年度 of a date (April–March)', () => {
    expect(fiscalYearOf('2025-03-31')).toBe(2024)
    expect(fiscalYearOf('2025-04-01')).toBe(2025)
  })

  it('words the case codes, raw or read as OTHER', () => {
    expect(caseProblemMessage('consent', 'CONSENT_MISSING', t)).toBe('publication.error.CONSENT_MISSING')
    expect(caseProblemMessage('consent', 'OTHER', t)).toBe('publication.error.CONSENT_MISSING')
    expect(caseProblemMessage('blocks.2', 'PROTECTED_ITEM', t)).toBe('publication.error.PROTECTED_ITEM')
    expect(caseProblemMessage('blocks', 'OTHER', t)).toBe('publication.error.PROTECTED_ITEM')
    expect(caseProblemMessage('reason', 'OTHER', t)).toBe('publication.error.REASON_REQUIRED')
    expect(caseProblemMessage('fieldCodes.0', 'UNKNOWN_FIELD', t)).toBe('publication.error.UNKNOWN_FIELD')
    expect(caseProblemMessage('summary', 'REQUIRED', t)).toContain('errors.field.REQUIRED')
    expect(caseProblemMessage('case', 'REQUIRED', t)).toBe('publication.error.NO_CASE')
  })
})
