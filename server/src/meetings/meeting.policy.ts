import type { FilterQuery } from '@mikro-orm/core';
import { Role } from '../identity/account.entity.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { canSeeProposal, type ProposalActorFacts, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { Audience } from '../shared/audience.js';
import { MeetingState, type Meeting } from './meeting.entity.js';

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
  return isMeetingScheduler(viewer, facts);
}

/** Who schedules meetings on a proposal regardless of its state: the desk, or staff of a section whose match is ACCEPTED. */
export function isMeetingScheduler(viewer: Viewer, facts: ProposalActorFacts): boolean {
  if (!canSeeProposal(viewer, facts)) return false;
  if (isDesk(viewer)) return true;
  return viewer.kind === 'account' && viewer.role === Role.SECTION && viewer.sectionId !== null && (facts.acceptedSectionIds ?? []).includes(viewer.sectionId);
}

/** An account as a possible participant: its role, whether it is disabled, its section, and the organisation it is a member of now. */
export interface ParticipantFacts {
  role: Role;
  disabled: boolean;
  sectionId: string | null;
  organisationId: string | null;
}

/**
 * Who may be invited to a meeting on a proposal: enabled desk staff; enabled staff of a section
 * with an active (PENDING or ACCEPTED) match; and, for SHARED meetings only, enabled members of
 * the proposing organisation. Nobody else: an INTERNAL meeting never has a proposer in it.
 */
export function isEligibleParticipant(person: ParticipantFacts, proposal: ProposalVisibilityFacts, audience: Audience): boolean {
  if (person.disabled) return false;
  if (person.role === Role.DESK) return true;
  if (person.role === Role.SECTION) return person.sectionId !== null && (proposal.matchedSectionIds ?? []).includes(person.sectionId);
  if (person.role === Role.PROPOSER) return audience === Audience.SHARED && person.organisationId !== null && person.organisationId === proposal.organisationId;
  return false;
}

/** What decides whether a meeting can still be changed: its state and when it starts. */
export interface MeetingChangeFacts {
  audience: Audience;
  state: MeetingState;
  startsAt: Date;
}

/**
 * Changing (rescheduling, editing, changing who is invited) or cancelling a meeting: whoever may
 * schedule meetings on the proposal and sees this one, while it is SCHEDULED and has not started
 * yet. A cancelled meeting stays cancelled; a meeting in the past is a record, not a plan.
 */
export function canChangeMeeting(viewer: Viewer, proposal: ProposalActorFacts, meeting: MeetingChangeFacts, now: Date): boolean {
  if (!canScheduleMeeting(viewer, proposal)) return false;
  if (!canSeeMeeting(viewer, { proposal, audience: meeting.audience })) return false;
  return meeting.state === MeetingState.SCHEDULED && meeting.startsAt.getTime() > now.getTime();
}

/**
 * The audience rule as a query condition on meetings of proposals the viewer already sees:
 * proposers get SHARED meetings only.
 */
export function meetingAudienceFilter(viewer: Viewer): FilterQuery<Meeting> {
  return isWardStaff(viewer) ? {} : { audience: Audience.SHARED };
}
