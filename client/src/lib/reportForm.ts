// The implementation report's form (実施報告書), pure: values from the report, the input for
// saveReport, the checks the server makes (so a mistake shows before a round trip), the field
// messages, and the photo pre-check. The server stays the judge; these only spare a round trip.
import type { ContinuationIntent, ReportDetailsFragment, ReportInput } from '../gql/graphql'
import type { FieldError } from './appError'
import { fieldErrorMessage, type LabelKeys, type Translate } from './errorMessages'

export const REPORT_LIMITS = { text: 10_000, actual: 200, note: 1_000, comment: 4_000, photos: 20, photoBytes: 20 * 1024 * 1024 } as const

/** One row of the indicator table: the target is the agreement's, shown, never edited. */
export interface IndicatorRow {
  name: string
  target: string
  actual: string
  note: string
}

/** What the form holds: numbers as typed (strings), so an empty box stays empty. */
export interface ReportValues {
  periodStart: string
  periodEnd: string
  activities: string
  indicatorResults: IndicatorRow[]
  peopleReached: string
  wardCostYen: string
  partnerContribution: string
  partnerContributionYen: string
  issues: string
  nextSteps: string
  continuation: ContinuationIntent
}

export function reportValues(report: ReportDetailsFragment): ReportValues {
  const num = (n: number | null) => (n === null ? '' : String(n))
  return {
    periodStart: report.periodStart ?? '',
    periodEnd: report.periodEnd ?? '',
    activities: report.activities,
    indicatorResults: report.indicatorResults.map((r) => ({ name: r.name, target: r.target, actual: r.actual, note: r.note })),
    peopleReached: num(report.peopleReached),
    wardCostYen: num(report.wardCostYen),
    partnerContribution: report.partnerContribution,
    partnerContributionYen: num(report.partnerContributionYen),
    issues: report.issues,
    nextSteps: report.nextSteps,
    continuation: report.continuation,
  }
}

/** "1,200" or "１２００" as typed → 1200; empty → null; anything else → NaN (refused by the check). */
export function parseCount(text: string): number | null {
  const half = text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[,，\s]/g, '')
  if (half === '') return null
  return /^\d+$/.test(half) ? Number(half) : Number.NaN
}

export function reportInput(values: ReportValues): ReportInput {
  const count = (text: string) => {
    const n = parseCount(text)
    return n === null || Number.isNaN(n) ? null : n
  }
  return {
    periodStart: values.periodStart.trim() || null,
    periodEnd: values.periodEnd.trim() || null,
    activities: values.activities,
    indicatorResults: values.indicatorResults.map((r) => ({ name: r.name, actual: r.actual, note: r.note })),
    peopleReached: count(values.peopleReached),
    wardCostYen: count(values.wardCostYen) ?? 0,
    partnerContribution: values.partnerContribution,
    partnerContributionYen: count(values.partnerContributionYen),
    issues: values.issues,
    nextSteps: values.nextSteps,
    continuation: values.continuation,
  }
}

const field = (name: string, code: FieldError['code']): FieldError => ({ field: name, code, message: '' })

/**
 * The checks of a save (what is there must be right), and with `forSubmit` those of a submission
 * (the period, activities, people reached and every indicator's result). `agreedNoCost`: the
 * agreement said no cost to the ward, so a cost must be explained under issues.
 */
export function checkReport(values: ReportValues, options: { forSubmit: boolean; agreedNoCost: boolean }): FieldError[] {
  const errors: FieldError[] = []
  const long = (name: keyof ReportValues, max: number) => {
    if (String(values[name]).trim().length > max) errors.push(field(name, 'TOO_LONG'))
  }
  if (options.forSubmit && !values.periodStart) errors.push(field('periodStart', 'REQUIRED'))
  if (options.forSubmit && !values.periodEnd) errors.push(field('periodEnd', 'REQUIRED'))
  if (values.periodStart && values.periodEnd && values.periodEnd < values.periodStart) errors.push(field('periodEnd', 'OUT_OF_ORDER'))
  if (options.forSubmit && values.activities.trim() === '') errors.push(field('activities', 'REQUIRED'))
  long('activities', REPORT_LIMITS.text)
  for (const name of ['peopleReached', 'wardCostYen', 'partnerContributionYen'] as const) {
    const n = parseCount(values[name])
    if (Number.isNaN(n)) errors.push(field(name, 'INVALID'))
    else if (n === null && (name === 'wardCostYen' || (options.forSubmit && name === 'peopleReached'))) errors.push(field(name, 'REQUIRED'))
  }
  long('partnerContribution', REPORT_LIMITS.text)
  long('issues', REPORT_LIMITS.text)
  long('nextSteps', REPORT_LIMITS.text)
  const cost = parseCount(values.wardCostYen)
  if (options.agreedNoCost && cost !== null && cost > 0 && values.issues.trim() === '') errors.push(field('issues', 'REQUIRED'))
  values.indicatorResults.forEach((row, i) => {
    if (options.forSubmit && row.actual.trim() === '') errors.push(field(`indicatorResults.${i}.actual`, 'REQUIRED'))
    if (row.actual.trim().length > REPORT_LIMITS.actual) errors.push(field(`indicatorResults.${i}.actual`, 'TOO_LONG'))
    if (row.note.trim().length > REPORT_LIMITS.note) errors.push(field(`indicatorResults.${i}.note`, 'TOO_LONG'))
  })
  return errors
}

/** The i18n keys of the report's field labels (indicator rows share theirs). */
export const REPORT_LABEL_KEYS: LabelKeys = {
  periodStart: 'report.field.periodStart',
  periodEnd: 'report.field.periodEnd',
  activities: 'report.field.activities',
  peopleReached: 'report.field.peopleReached',
  wardCostYen: 'report.field.wardCostYen',
  partnerContribution: 'report.field.partnerContribution',
  partnerContributionYen: 'report.field.partnerContributionYen',
  issues: 'report.field.issues',
  nextSteps: 'report.field.nextSteps',
  continuation: 'report.field.continuation',
  actual: 'report.field.actual',
  note: 'report.field.indicatorNote',
  name: 'report.field.indicator',
  body: 'report.comments.label',
}

/** Where the report's own words are better than the generic ones. */
const SPECIFIC: Record<string, string> = {
  'periodEnd:OUT_OF_ORDER': 'report.error.periodOrder',
  'issues:REQUIRED': 'report.error.costUnexplained',
}

/**
 * Field errors (local or the server's) → a message per field, keyed by the full field path
 * ("indicatorResults.0.actual"). The server says `issues: REQUIRED` only for an unexplained cost.
 */
export function reportFieldMessages(errors: readonly FieldError[], t: Translate): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of errors) {
    if (e.field in out) continue
    const base = e.field.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? e.field
    const specific = SPECIFIC[`${base}:${e.code}`]
    out[e.field] = specific ? t(specific) : fieldErrorMessage({ ...e, field: base }, t, REPORT_LABEL_KEYS)
  }
  return out
}

/** The DOM id of a field's control, for focusing the first error. */
export function reportFieldId(fieldPath: string): string {
  return `report-${fieldPath.replace(/\./g, '-')}`
}

export type PhotoRefusal = 'TOO_MANY' | 'TOO_LONG' | 'NOT_ACCEPTED' | 'INVALID'

/** A first check of a photo before sending it: PNG or JPEG, not empty, within size and count. */
export function precheckPhoto(name: string, size: number, currentCount: number): PhotoRefusal | null {
  if (currentCount >= REPORT_LIMITS.photos) return 'TOO_MANY'
  if (size > REPORT_LIMITS.photoBytes) return 'TOO_LONG'
  if (!/\.(png|jpe?g)$/i.test(name)) return 'NOT_ACCEPTED'
  if (size === 0) return 'INVALID'
  return null
}

export function photoUploadPath(reportId: string): string {
  return `/api/reports/${encodeURIComponent(reportId)}/photos`
}

/** "1234567" → "1,234,567円" / "¥1,234,567". */
export function formatYen(amount: number | null, locale: string): string {
  if (amount === null) return '—'
  const figure = new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-GB').format(amount)
  return locale === 'ja' ? `${figure}円` : `¥${figure}`
}

/** When a comment was written, in Tokyo time. */
export function formatStamp(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-US' : 'ja-JP', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(new Date(iso))
}
