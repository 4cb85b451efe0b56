import type { EntityManager } from '@mikro-orm/postgresql';
import { FieldErrors, ForbiddenError } from '../errors/domain-errors.js';
import type { EventFeed } from '../events/event-feed.js';
import { encodeCursor } from '../events/event-position.js';
import { transact } from '../events/transaction.js';
import { checkPageSize, decodeKeyset, encodeKeyset, MAX_PAGE_SIZE } from '../graphql/connection.js';
import { Account } from '../identity/account.entity.js';
import type { AccountViewer, Viewer } from '../identity/viewer.js';
import { isUuid } from '../shared/uuid.js';
import { Thread } from '../threads/thread.entity.js';
import { Notification } from './notification.entity.js';
import type { NotificationConnection } from './notification.types.js';
import { NOTIFICATION_TOPIC } from './notify.js';

export const NOTIFICATIONS_READ = 'NOTIFICATIONS_READ';

/** The outbox payload of every notification event: whose bell it rings. Ids only, never content. */
export interface NotificationEventPayload {
  recipientId: string;
  notificationId?: string;
}

function signedIn(viewer: Viewer): AccountViewer {
  if (viewer.kind !== 'account') throw new ForbiddenError();
  return viewer;
}

export async function countUnread(em: EntityManager, viewer: Viewer): Promise<number> {
  return em.count(Notification, { recipientId: signedIn(viewer).accountId, readAt: null });
}

/** The viewer's own notifications, newest first, by keyset (createdAt, id). */
export async function listNotifications(em: EntityManager, feed: EventFeed, viewer: Viewer, first: number, after: string | null | undefined): Promise<NotificationConnection> {
  const me = signedIn(viewer);
  checkPageSize(first);
  const eventCursor = encodeCursor(await feed.head());
  const where = after
    ? (() => {
        const key = decodeKeyset(after);
        return { recipientId: me.accountId, $or: [{ createdAt: { $lt: key.createdAt } }, { createdAt: key.createdAt, id: { $lt: key.id } }] };
      })()
    : { recipientId: me.accountId };
  const rows = await em.find(Notification, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: first + 1 });
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeKeyset(node.createdAt, node.id), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, unreadCount: await countUnread(em, me), eventCursor };
}

/**
 * Marks some of the viewer's notifications read (ids of anyone else's are ignored, as if missing)
 * and tells the viewer's other tabs. Returns how many stay unread.
 */
export async function markNotificationsRead(em: EntityManager, viewer: Viewer, ids: readonly string[] | null): Promise<number> {
  const me = signedIn(viewer);
  // A page at a time is all a person can have seen.
  if (ids !== null && ids.length > MAX_PAGE_SIZE) new FieldErrors().add('ids', 'INVALID', `At most ${MAX_PAGE_SIZE} at a time`).throwIfAny();
  const valid = ids === null ? null : ids.filter(isUuid);
  if (valid !== null && valid.length === 0) return countUnread(em, me);
  await transact(em, async (tx, events) => {
    const marked = await tx.execute<Array<{ id: string }>>(
      valid === null
        ? 'update notification set read_at = now() where recipient_id = ? and read_at is null returning id'
        : `update notification set read_at = now() where recipient_id = ? and read_at is null and id in (${valid.map(() => '?').join(', ')}) returning id`,
      [me.accountId, ...(valid ?? [])],
    );
    if (marked.length > 0) {
      const payload: NotificationEventPayload = { recipientId: me.accountId };
      events.record({ topic: NOTIFICATION_TOPIC, kind: NOTIFICATIONS_READ, aggregateId: me.accountId, actorId: me.accountId, payload: { ...payload } });
    }
  });
  return countUnread(em.fork(), me);
}

/** Display names by account id, batched. */
export async function displayNamesByIds(em: EntityManager, ids: readonly string[]): Promise<Array<string | null>> {
  const accounts = await em.find(Account, { id: { $in: [...ids] } }, { fields: ['id', 'displayName'] });
  const byId = new Map(accounts.map((account) => [account.id, account.displayName]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Threads by id (no content beyond the title), batched; visibility is decided by the caller. */
export async function threadsByIds(em: EntityManager, ids: readonly string[]): Promise<Array<Thread | null>> {
  const rows = await em.find(Thread, { id: { $in: [...ids] } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}
