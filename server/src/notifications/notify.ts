import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventRecorder } from '../events/transaction.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import type { Message } from '../threads/message.entity.js';
import type { Thread } from '../threads/thread.entity.js';
import { wakeNotificationMailers } from './mail-wake.js';
import { Notification, NotificationKind } from './notification.entity.js';

/** The outbox topic of notifications: one stream, each event naming its recipient. */
export const NOTIFICATION_TOPIC = 'notification';
export const NOTIFICATION_CREATED = 'NOTIFICATION_CREATED';

export interface Notice {
  recipientId: string;
  kind: NotificationKind;
  proposal: Proposal;
  thread?: Thread | null;
  message?: Message | null;
  actorId: string | null;
  /** For PROPOSAL_STATE. */
  proposalState?: string | null;
}

/**
 * Records in-app notifications inside a use case's transaction (`transact`), so they exist if and
 * only if the change commits, and emits one outbox event per notification carrying ids only —
 * never content — so every instance can ring the recipient's bell live. The caller decides who
 * is told and must only name recipients who may see what the notice points at; nobody is told
 * of their own act, and one recipient gets one notice per act (the strongest reason wins:
 * MENTION over REPLY over THREAD_MESSAGE).
 */
export function notify(tx: EntityManager, events: EventRecorder, notices: readonly Notice[]): Notification[] {
  const strongest = new Map<string, Notice>();
  for (const notice of notices) {
    if (notice.actorId !== null && notice.recipientId === notice.actorId) continue;
    const held = strongest.get(notice.recipientId);
    if (!held || RANK[notice.kind] < RANK[held.kind]) strongest.set(notice.recipientId, notice);
  }
  const created: Notification[] = [];
  for (const notice of strongest.values()) {
    const notification = new Notification(notice.recipientId, notice.kind, notice.proposal);
    notification.thread = notice.thread ?? null;
    notification.message = notice.message ?? null;
    notification.actorId = notice.actorId;
    notification.proposalState = notice.proposalState ?? null;
    tx.persist(notification);
    events.record({
      topic: NOTIFICATION_TOPIC,
      kind: NOTIFICATION_CREATED,
      aggregateId: notification.id,
      actorId: notice.actorId,
      payload: { recipientId: notice.recipientId, notificationId: notification.id },
    });
    created.push(notification);
  }
  // The mailer of this process decides their mail right after the commit (others poll).
  if (created.length > 0) events.afterCommit(wakeNotificationMailers);
  return created;
}

const RANK: Record<NotificationKind, number> = {
  [NotificationKind.MENTION]: 0,
  [NotificationKind.REPLY]: 1,
  [NotificationKind.THREAD_MESSAGE]: 2,
  [NotificationKind.PROPOSAL_STATE]: 3,
  [NotificationKind.STAGE_OVER_TARGET]: 4,
  [NotificationKind.REPORT_DUE]: 5,
};
