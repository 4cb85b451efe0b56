import type { MatchState, ProposalEventKind, ProposalState, SectionInboxQueryVariables } from '../gql/graphql'

/**
 * Every MatchState in the order of a match's life. Typed as a Record so the compiler fails when
 * the server adds a state and this list does not.
 */
const MATCH_STATE_ORDER: Record<MatchState, number> = {
  PENDING: 0,
  ACCEPTED: 1,
  DECLINED: 2,
  WITHDRAWN: 3,
}

export const MATCH_STATES: readonly MatchState[] = (Object.keys(MATCH_STATE_ORDER) as MatchState[]).sort(
  (a, b) => MATCH_STATE_ORDER[a] - MATCH_STATE_ORDER[b],
)

/** The i18n key of a match state's readable label (打診中, 受諾, 辞退, 取り下げ). */
export function matchStateLabelKey(state: MatchState): string {
  return `match.state.${state}`
}

/** The tag style of a match state: waiting, taken on, or ended. */
export function matchStateTagClass(state: MatchState): string {
  switch (state) {
    case 'PENDING':
      return 'tag--published'
    case 'ACCEPTED':
      return 'tag--open'
    default:
      return 'tag--closed'
  }
}

/** A match that still gives its section the proposal (DESIGN.md §2). */
export function isActiveMatch(state: MatchState): boolean {
  return state === 'PENDING' || state === 'ACCEPTED'
}

/** The desk matches sections only while the proposal is in dialogue. */
export function canMatchProposal(state: ProposalState): boolean {
  return state === 'IN_DIALOGUE'
}

export interface SectionRef {
  id: string
  name: string
  department: { name: string }
}

export interface LeadOption {
  id: string
  name: string
  departmentName: string
}

/**
 * The choices of 主担当の所管課 in the matching form: the sections already matched (active
 * matches, in their order) then the sections chosen now, each once. `sections` resolves a chosen id.
 */
export function leadSectionOptions(
  chosenIds: readonly string[],
  matches: readonly { state: MatchState; section: SectionRef }[],
  sections: (id: string) => SectionRef | undefined,
): LeadOption[] {
  const out: LeadOption[] = []
  const seen = new Set<string>()
  const add = (s: SectionRef | undefined) => {
    if (!s || seen.has(s.id)) return
    seen.add(s.id)
    out.push({ id: s.id, name: s.name, departmentName: s.department.name })
  }
  for (const m of matches) if (isActiveMatch(m.state)) add(m.section)
  for (const id of chosenIds) add(sections(id))
  return out
}

/** The lead kept after the options change: the current choice while it is still offered, else the active lead, else none. */
export function keptLeadSectionId(current: string, options: readonly LeadOption[], activeLeadId: string | null): string {
  if (current && options.some((o) => o.id === current)) return current
  if (activeLeadId && options.some((o) => o.id === activeLeadId)) return activeLeadId
  return ''
}

/** The inbox's state filter: one state, or every state. */
export type InboxFilter = MatchState | 'ALL'

export const INBOX_FILTERS: readonly InboxFilter[] = [...MATCH_STATES, 'ALL']

export const INBOX_PAGE_SIZE = 50

/** The sectionInbox variables for a filter (PENDING by default on the server; ALL lists every state). */
export function inboxVariables(filter: InboxFilter, after: string | null = null): SectionInboxQueryVariables {
  return { states: filter === 'ALL' ? [...MATCH_STATES] : [filter], first: INBOX_PAGE_SIZE, after }
}

/** Reads the filter from the URL (?state=), falling back to PENDING. */
export function inboxFilterFromQuery(value: unknown): InboxFilter {
  return typeof value === 'string' && (INBOX_FILTERS as readonly string[]).includes(value) ? (value as InboxFilter) : 'PENDING'
}

/** Events after which the inbox is read again: any change to a match or to who leads. */
export function affectsInbox(kind: ProposalEventKind): boolean {
  return kind.startsWith('MATCH_') || kind === 'LEAD_CHANGED'
}

/** The matching form's labels for the field errors the server reports. */
export const MATCH_LABEL_KEYS: Record<string, string> = {
  sectionIds: 'match.form.sections',
  leadSectionId: 'match.form.lead',
  sectionId: 'match.form.lead',
  reason: 'match.list.reasonLabel',
}
