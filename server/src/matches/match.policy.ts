import { Role } from '../identity/account.entity.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { MatchState } from './match.entity.js';
import { checkMatchTransition, isActiveMatchState, MATCH_TRANSITION_RULES, type MatchTransitionName } from './match.state.js';

/**
 * The facts about a match that decide who may act on it. Seeing a match is seeing its proposal:
 * the proposal's visibility rule (proposal.policy.ts) decides, and it is there that an active
 * match lets a section see the proposal.
 */
export interface MatchFacts {
  sectionId: string;
  state: MatchState;
  lead: boolean;
}

/** Staff of this very section (the account's section now, re-read per request and per event). */
export function isStaffOf(viewer: Viewer, sectionId: string): boolean {
  return viewer.kind === 'account' && viewer.role === Role.SECTION && viewer.sectionId !== null && viewer.sectionId === sectionId;
}

/** Whether the viewer is the actor the transition needs, regardless of the state. */
export function isMatchActorFor(viewer: Viewer, facts: MatchFacts, transition: MatchTransitionName): boolean {
  return MATCH_TRANSITION_RULES[transition].actor === 'desk' ? isDesk(viewer) : isStaffOf(viewer, facts.sectionId);
}

/** Accept, decline, withdraw: the right actor and a state that allows it. */
export function canTransitionMatch(viewer: Viewer, facts: MatchFacts, transition: MatchTransitionName): boolean {
  return isMatchActorFor(viewer, facts, transition) && checkMatchTransition(facts.state, transition).ok;
}

/** Naming this match's section the lead: the desk, for an active match that is not already the lead. */
export function canMakeLead(viewer: Viewer, facts: MatchFacts): boolean {
  return isDesk(viewer) && isActiveMatchState(facts.state) && !facts.lead;
}

/** Matching a proposal to sections: the desk, while the proposal is in dialogue (対話). */
export function canMatchProposal(viewer: Viewer, proposalState: ProposalState): boolean {
  return isDesk(viewer) && proposalState === ProposalState.IN_DIALOGUE;
}

/** Naming the desk owner (担当者): the desk. */
export function canAssignDeskOwner(viewer: Viewer): boolean {
  return isDesk(viewer);
}

/** The section inbox is section staff's own: their section's matches. */
export function inboxSectionOf(viewer: Viewer): string | null {
  return viewer.kind === 'account' && viewer.role === Role.SECTION ? viewer.sectionId : null;
}

/** Why a match was declined or withdrawn is the ward's internal note: the desk and section staff read it, proposers do not. */
export function canReadMatchReason(viewer: Viewer): boolean {
  return viewer.kind === 'account' && (viewer.role === Role.DESK || viewer.role === Role.SECTION);
}
