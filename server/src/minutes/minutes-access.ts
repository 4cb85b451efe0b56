import type { EntityManager } from '@mikro-orm/postgresql';
import { Meeting } from '../meetings/meeting.entity.js';
import { canEditMinutes, canSeeMeeting, type MeetingFacts } from '../meetings/meeting.policy.js';
import { proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import type { Viewer } from '../identity/viewer.js';
import { isUuid } from '../shared/uuid.js';

/** The facts the meeting policy decides on, from a meeting loaded with its proposal's matches. */
export function meetingFactsOf(meeting: Meeting): MeetingFacts {
  return { proposal: proposalVisibilityFacts(meeting.proposal), audience: meeting.audience };
}

/**
 * A meeting with what the minutes need (its proposal, the proposal's organisation and matches),
 * read as it is now. With `lockProposal`, inside a transaction, the proposal row is share-locked
 * first: a match being declined or withdrawn (which locks it for update) then either commits
 * before this read, or waits for the edit to commit; an edit never slips in after access ended.
 */
export async function loadMeetingForMinutes(em: EntityManager, meetingId: string, options: { lockProposal?: boolean } = {}): Promise<Meeting | null> {
  if (!isUuid(meetingId)) return null;
  if (options.lockProposal) {
    await em.execute('select 1 from proposal p join meeting m on m.proposal_id = p.id where m.id = ? for share of p', [meetingId]);
  }
  return em.findOne(Meeting, { id: meetingId }, { populate: ['proposal.matches', 'proposal.organisation'], refresh: true });
}

/** The meeting when the viewer may see its minutes; null when it is missing or not theirs (the same answer). */
export async function findMeetingForMinutesViewer(em: EntityManager, viewer: Viewer, meetingId: string): Promise<Meeting | null> {
  const meeting = await loadMeetingForMinutes(em, meetingId);
  return meeting && canSeeMeeting(viewer, meetingFactsOf(meeting)) ? meeting : null;
}

/** The meeting when the viewer may write its minutes, read under the proposal's share lock (call inside the edit's transaction). */
export async function findMeetingForMinutesEditor(tx: EntityManager, viewer: Viewer, meetingId: string): Promise<Meeting | null> {
  const meeting = await loadMeetingForMinutes(tx, meetingId, { lockProposal: true });
  return meeting && canEditMinutes(viewer, meetingFactsOf(meeting)) ? meeting : null;
}
