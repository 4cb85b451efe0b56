import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import { ConflictError, DomainError, FieldErrors, NotFoundError, UnauthenticatedError } from '../errors/domain-errors.js';
import type { EventFeed } from '../events/event-feed.js';
import { encodeCursor } from '../events/event-position.js';
import { transact } from '../events/transaction.js';
import type { Viewer } from '../identity/viewer.js';
import { MeetingState } from '../meetings/meeting.entity.js';
import { listPresent, type PresenceChange, type PresenceTable } from '../presence/presence-rows.js';
import { findMeetingForMinutesEditor, findMeetingForMinutesViewer } from './minutes-access.js';
import { MinutesDocument } from './minutes-document.entity.js';
import { MinutesUpdate } from './minutes-update.entity.js';
import { decodeUpdate, emptyMinutesState, encodeBase64, MAX_MINUTES_TEXT, MAX_UPDATE_BYTES, mergeMinutesUpdate } from './minutes-yjs.js';
import type { MinutesEditReceipt, MinutesPresent, MinutesSnapshot } from './minutes.types.js';

/** Each meeting's minutes are a stream of their own, so a replay reads that meeting's events only. */
export function minutesTopic(meetingId: string): string {
  return `minutes:${meetingId}`;
}

/** Outbox kinds of the minutes streams. Payloads carry ids only, never text. */
export const MINUTES_EDITED = 'MINUTES_EDITED';
export const MINUTES_PRESENCE = 'MINUTES_PRESENCE';

export interface MinutesEditedPayload {
  meetingId: string;
  updateId: string;
  authorId: string;
}

export interface MinutesPresencePayload {
  meetingId: string;
  /** Whose presence changed; the list itself is read when the event is delivered. */
  accountIds: string[];
  change: PresenceChange;
}

/**
 * The minutes as they are now, for an editor to start from. The cursor is taken before the state
 * is read, so an edit committed meanwhile is both in the state and replayed (applying a Yjs update
 * twice is harmless); none falls between the two.
 */
export async function readMinutes(em: EntityManager, feed: EventFeed, viewer: Viewer, meetingId: string): Promise<MinutesSnapshot> {
  const cursor = encodeCursor(await feed.head());
  const meeting = await findMeetingForMinutesViewer(em, viewer, meetingId);
  if (!meeting) throw new NotFoundError('Meeting');
  const document = await em.findOne(MinutesDocument, { meeting: meeting.id }, { refresh: true });
  return {
    meetingId: meeting.id,
    state: encodeBase64(document?.state ?? emptyMinutesState()),
    text: document?.text ?? '',
    cursor,
    updateCount: document?.updateCount ?? 0,
    updatedAt: document ? document.updatedAt : null,
  };
}

/**
 * Merges one edit (a Yjs update, base64) into a meeting's minutes. In one transaction: the viewer
 * is re-read (a signed-out session or a disabled account writes nothing), the meeting and its
 * proposal's matches are read under the proposal's share lock (NOT_FOUND for anyone outside the
 * audience, the same as a missing meeting), a cancelled meeting refuses (ILLEGAL_STATE), then the
 * document row is locked for update (created by the first edit; two first editors queue up) and
 * the merged state, its text, the edit and an outbox event commit together.
 */
export async function editMinutes(
  em: EntityManager,
  reloadViewer: (tx: EntityManager) => Promise<Viewer>,
  meetingId: string,
  update: string,
): Promise<MinutesEditReceipt> {
  const decoded = decodeUpdate(update);
  if (!decoded.ok) {
    const message = decoded.code === 'TOO_LONG' ? `An edit may be at most ${MAX_UPDATE_BYTES} bytes` : decoded.code === 'REQUIRED' ? 'The edit is empty' : 'Not a base64 Yjs update';
    new FieldErrors().add('update', decoded.code, message).throwIfAny();
  }
  const bytes = (decoded as { bytes: Uint8Array }).bytes;
  try {
    return await transact(em, async (tx, events) => {
      const viewer = await reloadViewer(tx);
      if (viewer.kind !== 'account') throw new UnauthenticatedError('The session has ended');
      // Held until the commit: disabling the account waits for this edit, or this edit sees it disabled.
      const [enabled] = await tx.execute<Array<{ id: string }>>('select id from account where id = ? and disabled_at is null for share', [viewer.accountId]);
      if (!enabled) throw new UnauthenticatedError('The session has ended');
      const meeting = await findMeetingForMinutesEditor(tx, viewer, meetingId);
      if (!meeting) throw new NotFoundError('Meeting');
      if (meeting.state === MeetingState.CANCELLED) throw new ConflictError('ILLEGAL_STATE', 'The meeting was cancelled: its minutes are closed');

      await tx.execute('insert into minutes_document (meeting_id, state, text, update_count, updated_at) values (?, ?, ?, 0, now()) on conflict (meeting_id) do nothing', [
        meeting.id,
        Buffer.from(emptyMinutesState()),
        '',
      ]);
      const document = await tx.findOneOrFail(MinutesDocument, { meeting: meeting.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      const merged = mergeMinutesUpdate(document.state, bytes);
      if (!merged.ok) {
        const message = merged.code === 'TOO_LONG' ? `The minutes may be at most ${MAX_MINUTES_TEXT} characters` : 'Not an edit of these minutes (send what the server lacks, from its state vector)';
        new FieldErrors().add('update', merged.code, message).throwIfAny();
        throw new Error('unreachable');
      }
      if (!merged.changed) return { changed: false, updateId: null };
      document.state = Buffer.from(merged.state);
      document.text = merged.text;
      document.updateCount += 1;
      document.updatedAt = new Date();
      const row = new MinutesUpdate(meeting, Buffer.from(bytes), viewer.accountId);
      tx.persist(row);
      await tx.flush();
      const payload: MinutesEditedPayload = { meetingId: meeting.id, updateId: String(row.id), authorId: viewer.accountId };
      events.record({ topic: minutesTopic(meeting.id), kind: MINUTES_EDITED, aggregateId: meeting.id, actorId: viewer.accountId, payload: { ...payload } });
      return { changed: true, updateId: String(row.id) };
    });
  } catch (error) {
    throw withoutStatement(error);
  }
}

/**
 * A database error's message quotes the failed statement with its parameters, and the minutes'
 * text is one of them: it is replaced by one naming only the error code before anything logs it.
 */
function withoutStatement(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  return new Error(`Saving the minutes failed${typeof code === 'string' ? ` (${code})` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Presence (who is here)

/** The minutes' presence rows: one per open editor of a meeting, announced on the meeting's topic. */
export const MINUTES_PRESENCE_TABLE: PresenceTable = {
  table: 'minutes_presence',
  scopeColumn: 'meeting_id',
  announce(events, meetingId, accountIds, change, actorId) {
    const payload: MinutesPresencePayload = { meetingId, accountIds, change };
    events.record({ topic: minutesTopic(meetingId), kind: MINUTES_PRESENCE, aggregateId: meetingId, actorId, payload: { ...payload } });
  },
};

/** Who has the minutes open now: rows refreshed within `staleMs`, one entry per enabled account, by name. */
export function listMinutesPresent(em: EntityManager, meetingId: string, staleMs: number): Promise<MinutesPresent[]> {
  return listPresent(em, MINUTES_PRESENCE_TABLE, meetingId, staleMs);
}

/** The `minutesPresence` query: whoever sees the meeting sees who is in its minutes. */
export async function readPresence(em: EntityManager, viewer: Viewer, meetingId: string, staleMs: number): Promise<MinutesPresent[]> {
  const meeting = await findMeetingForMinutesViewer(em, viewer, meetingId);
  if (!meeting) throw new NotFoundError('Meeting');
  return listMinutesPresent(em, meeting.id, staleMs);
}
