import type { MatchState, OrganisationKind, ProposalFilter, ProposalKind, ProposalState } from '../gql/graphql'
import type { ProposalSummaryFragment } from '../gql/graphql'
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { ORGANISATION_KINDS, PROPOSAL_KINDS, PROPOSAL_STATES } from './proposalState'

/**
 * What the desk's intake filters hold: '' means "any". `state` may list several states joined
 * by commas (a dashboard figure such as 実現 counts several). The rest below `organisationKind`
 * come from the dashboard's links: year, month, a section's load, reports due.
 */
export interface ProposalFilterValues {
  state: string
  kind: string
  challengeId: string
  fieldCode: string
  organisationKind: string
  fiscalYear: string
  submittedMonth: string
  sectionId: string
  matchState: string
  leadSection: boolean
  reportDue: boolean
  matchOverTarget: boolean
}

export function emptyProposalFilter(): ProposalFilterValues {
  return { state: '', kind: '', challengeId: '', fieldCode: '', organisationKind: '', fiscalYear: '', submittedMonth: '', sectionId: '', matchState: '', leadSection: false, reportDue: false, matchOverTarget: false }
}

/** The filter's URL query keys (a link from the dashboard, a reload or a shared URL keeps the list). */
const QUERY_KEYS = {
  state: 'state',
  kind: 'kind',
  challengeId: 'challenge',
  fieldCode: 'field',
  organisationKind: 'orgKind',
  fiscalYear: 'fy',
  submittedMonth: 'month',
  sectionId: 'section',
  matchState: 'match',
} as const satisfies Partial<Record<keyof ProposalFilterValues, string>>

export function filterFromQuery(query: LocationQuery): ProposalFilterValues {
  const values = emptyProposalFilter()
  for (const [field, key] of Object.entries(QUERY_KEYS) as Array<[keyof typeof QUERY_KEYS, string]>) {
    const value = query[key]
    if (typeof value === 'string') values[field] = value
  }
  values.leadSection = query.lead === '1'
  values.reportDue = query.due === '1'
  values.matchOverTarget = query.matchOver === '1'
  return values
}

/** The URL query of a filter: only what is chosen. */
export function filterToQuery(values: ProposalFilterValues): LocationQueryRaw {
  const query: LocationQueryRaw = {}
  for (const [field, key] of Object.entries(QUERY_KEYS) as Array<[keyof typeof QUERY_KEYS, string]>) if (values[field] !== '') query[key] = values[field]
  if (values.leadSection) query.lead = '1'
  if (values.reportDue) query.due = '1'
  if (values.matchOverTarget) query.matchOver = '1'
  return query
}

const MATCH_STATES: readonly string[] = ['PENDING', 'ACCEPTED', 'DECLINED', 'WITHDRAWN']

/** The query's filter variable: only what is chosen (and valid); null when nothing is. */
export function filterToVariables(v: ProposalFilterValues): ProposalFilter | null {
  const out: ProposalFilter = {}
  const states = v.state.split(',').filter((s) => (PROPOSAL_STATES as readonly string[]).includes(s))
  if (states.length && states.length === v.state.split(',').length) out.states = states as ProposalState[]
  if (/^\d{4}$/.test(v.fiscalYear)) out.fiscalYear = Number(v.fiscalYear)
  if (v.submittedMonth !== '') out.submittedMonth = v.submittedMonth
  if (v.sectionId !== '') out.sectionId = v.sectionId
  if (MATCH_STATES.includes(v.matchState)) out.matchState = v.matchState as MatchState
  if (v.sectionId !== '' && v.leadSection) out.leadSection = true
  if (v.reportDue) out.reportDue = true
  if (v.matchOverTarget) out.matchOverTarget = true
  if ((PROPOSAL_KINDS as readonly string[]).includes(v.kind)) out.kind = v.kind as ProposalKind
  if (v.challengeId !== '') out.challengeId = v.challengeId
  if (v.fieldCode !== '') out.fieldCode = v.fieldCode
  if ((ORGANISATION_KINDS as readonly string[]).includes(v.organisationKind)) {
    out.organisationKind = v.organisationKind as OrganisationKind
  }
  return Object.keys(out).length ? out : null
}

/**
 * Filters the client cannot mirror (a section's matches, reports due, the year; a field may come
 * from a published case): a live list with one of them reads the list again on an event instead.
 */
export function needsServerToFilter(filter: ProposalFilter | null | undefined): boolean {
  if (!filter) return false
  return filter.sectionId != null || filter.matchState != null || filter.matchOverTarget != null || filter.reportDue != null || filter.fiscalYear != null || filter.submittedMonth != null || filter.fieldCode != null
}

/** The client-side mirror of the server's ProposalFilter, to keep a live list consistent with its filter. */
export function matchesProposalFilter(filter: ProposalFilter | null | undefined): (p: ProposalSummaryFragment) => boolean {
  return (p) => {
    if (!filter) return true
    if (filter.states?.length && !filter.states.includes(p.state)) return false
    if (filter.kind != null && p.kind !== filter.kind) return false
    if (filter.challengeId != null && p.challenge?.id !== filter.challengeId) return false
    if (filter.fieldCode != null && !(p.challenge?.fields ?? []).some((f) => f.code === filter.fieldCode)) return false
    if (filter.organisationKind != null && p.organisation.kind !== filter.organisationKind) return false
    if (filter.overTarget != null && (p.ageing?.overTarget ?? false) !== filter.overTarget) return false
    return true
  }
}
