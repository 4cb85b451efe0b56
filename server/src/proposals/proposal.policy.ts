import type { FilterQuery } from '@mikro-orm/core';
import { Role } from '../identity/account.entity.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import { ProposalState, type Proposal } from './proposal.entity.js';
import { checkProposalTransition, TRANSITION_RULES, type ProposalTransitionName } from './proposal.state.js';
import { ACTIVE_MATCH_STATES, isActiveMatchState } from '../matches/match.state.js';
import { MatchState } from '../matches/match.entity.js';

/** The facts about a proposal that decide who sees it and who may change it. No content. */
export interface ProposalVisibilityFacts {
  organisationId: string;
  /** Whether it was ever submitted: a first draft is the proposer's own until then. */
  everSubmitted: boolean;
  state: ProposalState;
  /** Sections with a PENDING or ACCEPTED match, sorted: their staff see the proposal. */
  matchedSectionIds: string[];
}

/**
 * The visibility facts plus who may act for the ward once sections have accepted: optional, so
 * facts built without them (old events, tests) name no lead and no accepted section.
 */
export interface ProposalActorFacts extends ProposalVisibilityFacts {
  /** The section of the ACCEPTED lead match (主担当課), or null: it alone starts the work. */
  acceptedLeadSectionId?: string | null;
  /** Sections with an ACCEPTED match, lead and supporting, sorted. */
  acceptedSectionIds?: string[];
}

/** The actor facts plus what only changes need: whether the organisation is suspended. */
export interface ProposalFacts extends ProposalActorFacts {
  organisationSuspended: boolean;
}

/** Needs the proposal's matches loaded (the proposals service always loads them); refuses to guess otherwise. */
export function proposalVisibilityFacts(proposal: Proposal): ProposalVisibilityFacts {
  if (!proposal.matches.isInitialized()) throw new Error('proposal.matches must be loaded to decide who sees the proposal');
  const matchedSectionIds = proposal.matches
    .getItems()
    .filter((match) => isActiveMatchState(match.state))
    .map((match) => match.section.id)
    .sort();
  return { organisationId: proposal.organisation.id, everSubmitted: proposal.submittedAt !== null, state: proposal.state, matchedSectionIds };
}

/** Needs the proposal's matches loaded, like proposalVisibilityFacts. */
export function proposalActorFacts(proposal: Proposal): ProposalActorFacts {
  const accepted = proposal.matches.getItems().filter((match) => match.state === MatchState.ACCEPTED);
  return {
    ...proposalVisibilityFacts(proposal),
    acceptedLeadSectionId: accepted.find((match) => match.lead)?.section.id ?? null,
    acceptedSectionIds: accepted.map((match) => match.section.id).sort(),
  };
}

/** Needs the organisation loaded (the services populate it). */
export function proposalFacts(proposal: Proposal): ProposalFacts {
  return { ...proposalActorFacts(proposal), organisationSuspended: proposal.organisation.suspendedAt != null };
}

/** A proposer who is a member of the proposal's organisation now (re-read per request and per event). */
export function isMemberOf(viewer: Viewer, organisationId: string): boolean {
  return viewer.kind === 'account' && viewer.role === Role.PROPOSER && viewer.organisationId !== null && viewer.organisationId === organisationId;
}

/**
 * Who sees a proposal: every member of its organisation, protected parts included; the desk, once
 * it has been submitted (also when it has since gone back to the proposer as a draft); section
 * staff while their section has a PENDING or ACCEPTED match on it (a decline or withdrawal ends it);
 * nobody else. Another organisation's proposal and a missing one look the same.
 */
export function canSeeProposal(viewer: Viewer, facts: ProposalVisibilityFacts): boolean {
  if (viewer.kind !== 'account') return false;
  if (viewer.role === Role.PROPOSER) return isMemberOf(viewer, facts.organisationId);
  if (isDesk(viewer)) return facts.everSubmitted;
  // `?? []`: events written before matches existed carry no matchedSectionIds.
  if (viewer.role === Role.SECTION) return viewer.sectionId !== null && (facts.matchedSectionIds ?? []).includes(viewer.sectionId);
  return false;
}

/** The same rule as canSeeProposal, as a query condition: every list, count and search uses it. */
export function proposalVisibilityFilter(viewer: Viewer): FilterQuery<Proposal> {
  if (viewer.kind !== 'account') return { id: { $in: [] } };
  if (viewer.role === Role.PROPOSER) return viewer.organisationId ? { organisation: viewer.organisationId } : { id: { $in: [] } };
  if (isDesk(viewer)) return { submittedAt: { $ne: null } };
  // EXISTS (select 1 from match where proposal_id = proposal.id and section_id = ? and state in (PENDING, ACCEPTED))
  if (viewer.role === Role.SECTION && viewer.sectionId) return { matches: { $some: { section: viewer.sectionId, state: { $in: [...ACTIVE_MATCH_STATES] } } } };
  return { id: { $in: [] } };
}

/** Who may start a proposal: a proposer who belongs to an organisation. */
export function canCreateProposal(viewer: Viewer): boolean {
  return viewer.kind === 'account' && viewer.role === Role.PROPOSER && viewer.organisationId !== null;
}

/** Editing the content (autosave): a member of its organisation, while it is a draft. */
export function canEditDraft(viewer: Viewer, facts: ProposalVisibilityFacts): boolean {
  return isMemberOf(viewer, facts.organisationId) && facts.state === ProposalState.DRAFT;
}

/**
 * Adding or removing attachments: the same as editing the draft — a member of the proposal's
 * organisation while it is DRAFT. Used by the attachments domain.
 */
export function canChangeAttachments(viewer: Viewer, facts: ProposalVisibilityFacts): boolean {
  return canEditDraft(viewer, facts);
}

/** Staff of the section whose lead match is ACCEPTED (not the desk, not a supporting section). */
export function isAcceptedLeadStaff(viewer: Viewer, facts: ProposalActorFacts): boolean {
  return viewer.kind === 'account' && viewer.role === Role.SECTION && viewer.sectionId !== null && viewer.sectionId === (facts.acceptedLeadSectionId ?? null);
}

/** Whether the viewer is the kind of actor the transition needs (regardless of the state). */
export function isActorFor(viewer: Viewer, facts: ProposalActorFacts, transition: ProposalTransitionName): boolean {
  const rule = TRANSITION_RULES[transition];
  if (rule.actor === 'desk') return isDesk(viewer) && canSeeProposal(viewer, facts);
  if (rule.actor === 'leadSection') return isAcceptedLeadStaff(viewer, facts) && canSeeProposal(viewer, facts);
  return isMemberOf(viewer, facts.organisationId);
}

/**
 * Whether the viewer may make this transition now: the actor, the state machine and, for
 * submitting, an organisation that is not suspended. The reason, note and pledges are asked for at
 * the moment of the transition; here only who and when matter.
 */
export function canTransition(viewer: Viewer, facts: ProposalFacts, transition: ProposalTransitionName): boolean {
  if (!isActorFor(viewer, facts, transition)) return false;
  if (transition === 'submit' && facts.organisationSuspended) return false;
  return checkProposalTransition(facts.state, transition).ok;
}
