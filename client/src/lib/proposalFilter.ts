import type { OrganisationKind, ProposalFilter, ProposalKind, ProposalState } from '../gql/graphql'
import type { ProposalSummaryFragment } from '../gql/graphql'
import { ORGANISATION_KINDS, PROPOSAL_KINDS, PROPOSAL_STATES } from './proposalState'

/** What the desk's intake filters hold: '' means "any". */
export interface ProposalFilterValues {
  state: string
  kind: string
  challengeId: string
  fieldCode: string
  organisationKind: string
}

export function emptyProposalFilter(): ProposalFilterValues {
  return { state: '', kind: '', challengeId: '', fieldCode: '', organisationKind: '' }
}

/** The query's filter variable: only what is chosen (and valid); null when nothing is. */
export function filterToVariables(v: ProposalFilterValues): ProposalFilter | null {
  const out: ProposalFilter = {}
  if ((PROPOSAL_STATES as readonly string[]).includes(v.state)) out.states = [v.state as ProposalState]
  if ((PROPOSAL_KINDS as readonly string[]).includes(v.kind)) out.kind = v.kind as ProposalKind
  if (v.challengeId !== '') out.challengeId = v.challengeId
  if (v.fieldCode !== '') out.fieldCode = v.fieldCode
  if ((ORGANISATION_KINDS as readonly string[]).includes(v.organisationKind)) {
    out.organisationKind = v.organisationKind as OrganisationKind
  }
  return Object.keys(out).length ? out : null
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
