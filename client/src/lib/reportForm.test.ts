import { describe, expect, it } from 'vitest'
import type { ReportDetailsFragment } from '../gql/graphql'
import { checkReport, formatStamp, formatYen, parseCount, photoUploadPath, precheckPhoto, reportFieldMessages, reportInput, reportValues } from './reportForm'

const REPORT: ReportDetailsFragment = {
  __typename: 'ImplementationReport',
  id: 'r1',
  state: 'DRAFT',
  version: 3,
  periodStart: '2027-04-01',
  periodEnd: '2028-03-31',
  activities: '',
  indicatorResults: [
    { __typename: 'IndicatorResult', name: '停電時の供給時間', target: '72時間', actual: '', note: '' },
    { __typename: 'IndicatorResult', name: 'CO2削減量', target: '年10トン', actual: '年8トン', note: '' },
  ],
  peopleReached: null,
  wardCostYen: 0,
  partnerContribution: '',
  partnerContributionYen: null,
  issues: '',
  nextSteps: '',
  continuation: 'UNDECIDED',
  returnNote: null,
  submittedAt: null,
  decidedAt: null,
  updatedAt: '2027-05-01T00:00:00Z',
  writtenByName: '防災 太郎',
  comments: [],
  photos: [],
  viewerCan: { __typename: 'ReportAbilities', edit: true, submit: true, return: false, accept: false, comment: true },
}

const t = (key: string, named?: Record<string, unknown>) => (named ? `${key}(${JSON.stringify(named)})` : key)
const codes = (errors: Array<{ field: string; code: string }>) => errors.map((e) => `${e.field}:${e.code}`).sort()

describe('values ↔ input', () => {
  it('round-trips a report; empty numbers stay empty and go as null; the ward cost defaults to 0', () => {
    const values = reportValues(REPORT)
    expect(values.peopleReached).toBe('')
    expect(values.wardCostYen).toBe('0')
    const input = reportInput({ ...values, peopleReached: '１，２００', wardCostYen: '' })
    expect(input).toMatchObject({ peopleReached: 1200, wardCostYen: 0, partnerContributionYen: null, periodStart: '2027-04-01' })
    expect(input.indicatorResults).toEqual([
      { name: '停電時の供給時間', actual: '', note: '' },
      { name: 'CO2削減量', actual: '年8トン', note: '' },
    ])
  })

  it('parseCount reads full-width digits and separators; anything else is NaN', () => {
    expect(parseCount('')).toBeNull()
    expect(parseCount('3,000,000')).toBe(3_000_000)
    expect(parseCount('-1')).toBeNaN()
    expect(parseCount('1.5')).toBeNaN()
  })
})

describe('checkReport', () => {
  it('a draft may be incomplete; what is there must be right', () => {
    expect(checkReport(reportValues(REPORT), { forSubmit: false, agreedNoCost: true })).toEqual([])
    const bad = { ...reportValues(REPORT), periodEnd: '2027-01-01', peopleReached: 'たくさん', wardCostYen: '' }
    expect(codes(checkReport(bad, { forSubmit: false, agreedNoCost: true }))).toEqual(['peopleReached:INVALID', 'periodEnd:OUT_OF_ORDER', 'wardCostYen:REQUIRED'])
  })

  it('submitting needs activities, people reached and every indicator’s result', () => {
    expect(codes(checkReport(reportValues(REPORT), { forSubmit: true, agreedNoCost: true }))).toEqual([
      'activities:REQUIRED',
      'indicatorResults.0.actual:REQUIRED',
      'peopleReached:REQUIRED',
    ])
  })

  it('a cost where the agreement said none must be explained under issues', () => {
    const values = { ...reportValues(REPORT), wardCostYen: '12000' }
    expect(codes(checkReport(values, { forSubmit: false, agreedNoCost: true }))).toEqual(['issues:REQUIRED'])
    expect(checkReport(values, { forSubmit: false, agreedNoCost: false })).toEqual([])
    expect(checkReport({ ...values, issues: '会場使用料' }, { forSubmit: false, agreedNoCost: true })).toEqual([])
  })
})

describe('messages, photos, money', () => {
  it('messages keep the full path of an indicator row and use the report’s own words where they help', () => {
    const messages = reportFieldMessages(
      [
        { field: 'indicatorResults.1.actual', code: 'REQUIRED', message: '' },
        { field: 'periodEnd', code: 'OUT_OF_ORDER', message: '' },
        { field: 'issues', code: 'REQUIRED', message: '' },
      ],
      t,
    )
    expect(messages['indicatorResults.1.actual']).toContain('report.field.actual')
    expect(messages.periodEnd).toBe('report.error.periodOrder')
    expect(messages.issues).toBe('report.error.costUnexplained')
  })

  it('photos: PNG or JPEG, not empty, at most 20', () => {
    expect(precheckPhoto('a.png', 10, 0)).toBeNull()
    expect(precheckPhoto('a.JPEG', 10, 19)).toBeNull()
    expect(precheckPhoto('a.jpg', 10, 20)).toBe('TOO_MANY')
    expect(precheckPhoto('a.pdf', 10, 0)).toBe('NOT_ACCEPTED')
    expect(precheckPhoto('a.png', 0, 0)).toBe('INVALID')
    expect(precheckPhoto('a.png', 21 * 1024 * 1024, 0)).toBe('TOO_LONG')
    expect(photoUploadPath('r 1')).toBe('/api/reports/r%201/photos')
  })

  it('yen for people', () => {
    expect(formatYen(3000000, 'ja')).toBe('3,000,000円')
    expect(formatYen(0, 'en')).toBe('¥0')
    expect(formatYen(null, 'ja')).toBe('—')
    // Tokyo time: 15:00 UTC is midnight the next day.
    expect(formatStamp('2027-05-01T15:00:00Z', 'ja')).toContain('2027/05/02')
  })
})
