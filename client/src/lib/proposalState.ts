import type { OrganisationKind, ProposalKind, ProposalState } from '../gql/graphql'

/**
 * Every ProposalState in the order of a proposal's life (DESIGN.md §3). Typed as a Record so the
 * compiler fails when the server adds a state and this list does not.
 */
const STATE_ORDER: Record<ProposalState, number> = {
  DRAFT: 0,
  SUBMITTED: 1,
  UNDER_REVIEW: 2,
  IN_DIALOGUE: 3,
  AGREED: 4,
  IN_PROGRESS: 5,
  REPORTED: 6,
  PUBLISHED: 7,
  RETURNED: 8,
  NOT_REALIZED: 9,
  WITHDRAWN: 10,
}

export const PROPOSAL_STATES: readonly ProposalState[] = (Object.keys(STATE_ORDER) as ProposalState[]).sort(
  (a, b) => STATE_ORDER[a] - STATE_ORDER[b],
)

export const PROPOSAL_KINDS: readonly ProposalKind[] = ['FREE', 'CHALLENGE']

const ORGANISATION_KIND_SET: Record<OrganisationKind, true> = {
  COMPANY: true,
  UNIVERSITY: true,
  NPO: true,
  ASSOCIATION: true,
  OTHER: true,
}
export const ORGANISATION_KINDS = Object.keys(ORGANISATION_KIND_SET) as OrganisationKind[]

/** The i18n key of a state's readable label. */
export function stateLabelKey(state: ProposalState): string {
  return `proposal.state.${state}`
}

/** The tag style of a state: still moving, waiting, or closed for good. */
export function stateTagClass(state: ProposalState): string {
  switch (state) {
    case 'DRAFT':
      return 'tag--draft'
    case 'SUBMITTED':
    case 'UNDER_REVIEW':
    case 'IN_DIALOGUE':
      return 'tag--published'
    case 'AGREED':
    case 'IN_PROGRESS':
    case 'REPORTED':
    case 'PUBLISHED':
      return 'tag--open'
    default:
      return 'tag--closed'
  }
}
