import { Role } from '../identity/account.entity.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { AgeingStage } from './stage-target.entity.js';

/**
 * The stage a proposal's own state waits in, or null for states the desk does not watch (a draft
 * is the proposer's; closed ones wait for nobody; IN_PROGRESS and later are tracked by progress
 * notes, not by a wait). MATCH_ANSWER belongs to a match, not to the proposal's state.
 */
export const STAGE_OF_PROPOSAL_STATE: Readonly<Record<ProposalState, AgeingStage | null>> = {
  [ProposalState.DRAFT]: null,
  [ProposalState.SUBMITTED]: AgeingStage.INTAKE,
  [ProposalState.UNDER_REVIEW]: AgeingStage.REVIEW,
  [ProposalState.IN_DIALOGUE]: AgeingStage.DIALOGUE,
  [ProposalState.AGREED]: AgeingStage.START_OF_WORK,
  [ProposalState.IN_PROGRESS]: null,
  [ProposalState.REPORTED]: null,
  [ProposalState.PUBLISHED]: null,
  [ProposalState.RETURNED]: null,
  [ProposalState.NOT_REALIZED]: null,
  [ProposalState.WITHDRAWN]: null,
};

/** The proposal states each stage is, for the SQL condition (the inverse of STAGE_OF_PROPOSAL_STATE). */
export function proposalStatesOf(stage: AgeingStage): ProposalState[] {
  return (Object.keys(STAGE_OF_PROPOSAL_STATE) as ProposalState[]).filter((state) => STAGE_OF_PROPOSAL_STATE[state] === stage);
}

/**
 * Ageing and the targets are the ward's own management: the desk and section staff read them;
 * proposers and the public do not (a proposer is not shown that the ward is "over target").
 */
export function canReadAgeing(viewer: Viewer): boolean {
  return viewer.kind === 'account' && (viewer.role === Role.DESK || viewer.role === Role.SECTION);
}

/** Only the desk sets the targets. */
export function canSetStageTarget(viewer: Viewer): boolean {
  return isDesk(viewer);
}
