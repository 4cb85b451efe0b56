import type { ProposalDetailsFragment } from '../gql/graphql'

/** The desk's actions on a proposal, named as in ProposalAbilities (viewerCan). */
export type DeskProposalAction = 'acceptForReview' | 'return' | 'requestChanges' | 'startDialogue' | 'markNotRealized'

export const DESK_PROPOSAL_ACTIONS: readonly DeskProposalAction[] = [
  'acceptForReview',
  'startDialogue',
  'requestChanges',
  'return',
  'markNotRealized',
]

/** What the action asks for before it runs: nothing, a reason (理由) or a note (依頼内容). */
export function actionNeeds(action: DeskProposalAction): 'none' | 'reason' | 'note' {
  switch (action) {
    case 'return':
    case 'markNotRealized':
      return 'reason'
    case 'requestChanges':
      return 'note'
    default:
      return 'none'
  }
}

/** The actions the viewer may take now, in button order. */
export function availableActions(can: ProposalDetailsFragment['viewerCan']): DeskProposalAction[] {
  return DESK_PROPOSAL_ACTIONS.filter((a) => can[a])
}
