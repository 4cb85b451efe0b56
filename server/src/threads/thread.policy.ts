import type { FilterQuery } from '@mikro-orm/core';
import { Role } from '../identity/account.entity.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import { isWardStaff } from '../meetings/meeting.policy.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { canSeeProposal, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { Audience } from '../shared/audience.js';
import type { Thread } from './thread.entity.js';

/** The facts that decide who reads a thread: its proposal's visibility and its audience. */
export interface ThreadFacts {
  proposal: ProposalVisibilityFacts;
  audience: Audience;
}

/**
 * Proposal states in which the dialogue (対話) is open for writing: from submission until the
 * report. A draft (also one returned to the proposer) has no audience yet; a returned, withdrawn,
 * not-realised or published proposal is closed — its threads stay readable as a record.
 */
export const THREAD_WRITABLE_STATES: readonly ProposalState[] = [
  ProposalState.SUBMITTED,
  ProposalState.UNDER_REVIEW,
  ProposalState.IN_DIALOGUE,
  ProposalState.AGREED,
  ProposalState.IN_PROGRESS,
  ProposalState.REPORTED,
];

/**
 * Who reads a thread and its messages: whoever sees its proposal, except that an INTERNAL thread
 * is the ward's own (the desk and matched sections) — never the proposer's. The same rule as
 * meetings: a section whose match ends loses the thread with the proposal.
 */
export function canReadThread(viewer: Viewer, facts: ThreadFacts): boolean {
  if (!canSeeProposal(viewer, facts.proposal)) return false;
  return facts.audience === Audience.SHARED || isWardStaff(viewer);
}

/** Starting a thread, posting and replying: everyone who reads it, while the proposal is open for dialogue. */
export function canWriteInThread(viewer: Viewer, facts: ThreadFacts): boolean {
  return canReadThread(viewer, facts) && THREAD_WRITABLE_STATES.includes(facts.proposal.state);
}

/** What decides whether a message may still be changed. */
export interface MessageFacts {
  authorId: string;
  deleted: boolean;
}

/** Editing a message: its author alone, while it is not deleted and the dialogue is open. */
export function canEditMessage(viewer: Viewer, thread: ThreadFacts, message: MessageFacts): boolean {
  if (!canWriteInThread(viewer, thread) || message.deleted) return false;
  return viewer.kind === 'account' && viewer.accountId === message.authorId;
}

/** Deleting a message (a placeholder remains): its author, or the desk as moderator, while it is not deleted and the dialogue is open. */
export function canDeleteMessage(viewer: Viewer, thread: ThreadFacts, message: MessageFacts): boolean {
  if (!canWriteInThread(viewer, thread) || message.deleted) return false;
  return isDesk(viewer) || (viewer.kind === 'account' && viewer.accountId === message.authorId);
}

/** An account as a possible reader: its role, whether it is disabled, its section, and the organisation it is a member of now. */
export interface ReaderFacts {
  role: Role;
  disabled: boolean;
  sectionId: string | null;
  organisationId: string | null;
}

/**
 * Whether a person (not the viewer) reads a thread now: who may be @mentioned, who is told of a
 * reply or a new message. The same rule as canReadThread, for an account rather than a session;
 * disabled accounts read nothing.
 */
export function isThreadReader(person: ReaderFacts, facts: ThreadFacts): boolean {
  if (person.disabled) return false;
  if (person.role === Role.DESK) return facts.proposal.everSubmitted;
  if (person.role === Role.SECTION) return person.sectionId !== null && (facts.proposal.matchedSectionIds ?? []).includes(person.sectionId);
  if (person.role === Role.PROPOSER) return facts.audience === Audience.SHARED && person.organisationId !== null && person.organisationId === facts.proposal.organisationId;
  return false;
}

/**
 * The audience rule as a query condition on threads of proposals the viewer already sees:
 * proposers get SHARED threads only — INTERNAL ones are not even counted.
 */
export function threadAudienceFilter(viewer: Viewer): FilterQuery<Thread> {
  return isWardStaff(viewer) ? {} : { audience: Audience.SHARED };
}

/** The same rule as SQL on a table aliased `alias` with an `audience` column: for counts written by hand. */
export function threadAudienceSql(viewer: Viewer, alias: string): string {
  return isWardStaff(viewer) ? 'true' : `${alias}.audience = 'SHARED'`;
}
