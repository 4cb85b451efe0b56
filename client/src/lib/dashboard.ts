import type { RouteLocationRaw } from 'vue-router'
import type { ProposalEventKind, ProposalState } from '../gql/graphql'

/** 実現: agreed and everything after it (the server's REALISED_STATES). */
export const REALISED_STATES: readonly ProposalState[] = ['AGREED', 'IN_PROGRESS', 'REPORTED', 'PUBLISHED']

/** 年度 of a moment: April to March, in Tokyo. */
export function fiscalYearOf(at: Date): number {
  const tokyo = new Date(at.getTime() + 9 * 3_600_000)
  return tokyo.getUTCMonth() < 3 ? tokyo.getUTCFullYear() - 1 : tokyo.getUTCFullYear()
}

/** The years the select offers: next year down to 2000 (the server accepts exactly these). */
export function fiscalYearOptions(now = new Date()): number[] {
  const last = fiscalYearOf(now) + 1
  return Array.from({ length: last - 2000 + 1 }, (_, i) => last - i)
}

/** ?fy= in the dashboard's URL, or null (this year) when absent or not a year the server takes. */
export function fiscalYearFromQuery(value: unknown, now = new Date()): number | null {
  const year = typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : NaN
  return fiscalYearOptions(now).includes(year) ? year : null
}

/** The desk's intake list, narrowed as a figure counts (every key is one ProposalFilter field). */
export function intakeLink(query: Record<string, string>): RouteLocationRaw {
  return { name: 'desk-proposals', query }
}

/** The section inbox, narrowed as a section figure counts. */
export function inboxLink(query: Record<string, string>): RouteLocationRaw {
  return { name: 'section-inbox', query }
}

/** The events after which the figures may have moved (state, matches, reports, publication); the rest do not count anything. */
const FIGURE_EVENTS: ReadonlySet<ProposalEventKind> = new Set<ProposalEventKind>([
  'SUBMITTED', 'ACCEPTED_FOR_REVIEW', 'RETURNED', 'CHANGES_REQUESTED', 'DIALOGUE_STARTED', 'NOT_REALIZED', 'WITHDRAWN',
  'MATCH_PROPOSED', 'MATCH_ACCEPTED', 'MATCH_DECLINED', 'MATCH_WITHDRAWN', 'LEAD_CHANGED',
  'AGREED', 'WORK_STARTED', 'REPORT_SUBMITTED', 'REPORT_RETURNED', 'REPORT_ACCEPTED', 'CASE_PUBLISHED', 'CASE_WITHDRAWN',
])

export function movesFigures(kind: ProposalEventKind): boolean {
  return FIGURE_EVENTS.has(kind)
}

/** Calls `fn` once, `ms` after the last of a burst of calls (an agreement moves several things at once). */
export function debounced(fn: () => void, ms: number): { call: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  return {
    call: () => {
      clearTimeout(timer)
      timer = setTimeout(fn, ms)
    },
    cancel: () => clearTimeout(timer),
  }
}

/** 「33%」 / null → '—'. */
export function formatRate(rate: number | null | undefined, locale: string): string {
  if (rate == null) return '—'
  return new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'ja-JP', { style: 'percent', maximumFractionDigits: 1 }).format(rate)
}

/** 2026-04 → 「4月」 / "Apr". */
export function monthLabel(month: string, locale: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-US' : 'ja-JP', { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)))
}
