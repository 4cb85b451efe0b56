import type { FilterQuery } from '@mikro-orm/core';
import { Role } from '../identity/account.entity.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { canSeeProposal, type ProposalActorFacts, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { Audience } from '../shared/audience.js';
import type { Meeting } from './meeting.entity.js';

/** The facts about a meeting that decide who sees it: its proposal's visibility and its audience. */
export interface MeetingFacts {
  proposal: ProposalVisibilityFacts;
  audience: Audience;
}

/** Proposal states in which meetings are held: while talking, once agreed, while carrying it out. */
export const MEETING_PROPOSAL_STATES: readonly ProposalState[] = [ProposalState.IN_DIALOGUE, ProposalState.AGREED, ProposalState.IN_PROGRESS];

/** Ward staff: the desk, or section staff. Only they see INTERNAL meetings. */
export function isWardStaff(viewer: Viewer): boolean {
  return viewer.kind === 'account' && (viewer.role === Role.DESK || viewer.role === Role.SECTION);
}

/**
 * Who sees a meeting, its participants and its minutes: whoever sees its proposal, except that an
 * INTERNAL meeting is the ward's own (never the proposer's). A section whose match ends loses the
 * meeting with the proposal.
 */
export function canSeeMeeting(viewer: Viewer, facts: MeetingFacts): boolean {
  if (!canSeeProposal(viewer, facts.proposal)) return false;
  return facts.audience === Audience.SHARED || isWardStaff(viewer);
}

/** Writing the minutes (議事録) together: everyone in the meeting's audience. */
export function canEditMinutes(viewer: Viewer, facts: MeetingFacts): boolean {
  return canSeeMeeting(viewer, facts);
}

/**
 * Scheduling, changing or cancelling a meeting: the desk, or staff of a section whose match is
 * ACCEPTED, while the proposal is in dialogue, agreed or in progress. Proposers are invited; they
 * do not schedule.
 */
export function canScheduleMeeting(viewer: Viewer, facts: ProposalActorFacts): boolean {
  if (!MEETING_PROPOSAL_STATES.includes(facts.state)) return false;
  if (!canSeeProposal(viewer, facts)) return false;
  if (isDesk(viewer)) return true;
  return viewer.kind === 'account' && viewer.role === Role.SECTION && viewer.sectionId !== null && (facts.acceptedSectionIds ?? []).includes(viewer.sectionId);
}

/**
 * The audience rule as a query condition on meetings of proposals the viewer already sees:
 * proposers get SHARED meetings only.
 */
export function meetingAudienceFilter(viewer: Viewer): FilterQuery<Meeting> {
  return isWardStaff(viewer) ? {} : { audience: Audience.SHARED };
}
