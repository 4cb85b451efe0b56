import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventRecorder } from '../events/transaction.js';
import { Session } from './session.entity.js';

/**
 * The outbox topic that tells every server instance an account's sessions ended by an act
 * (logout, signing out everywhere, a password change, disabling): each instance then closes that
 * account's sockets whose sessions ended, at once rather than at its next periodic check.
 */
export const SESSIONS_ENDED_TOPIC = 'account-sessions';

/**
 * Revokes sessions of one account in the caller's transaction — one session (by its token hash),
 * all of them, or all but one — and records the event that closes their sockets everywhere.
 * Returns how many sessions ended.
 */
export async function endSessions(
  tx: EntityManager,
  events: EventRecorder,
  accountId: string,
  which: { only: string } | { allBut: string | null },
  actorId: string | null,
): Promise<number> {
  const where = 'only' in which ? { tokenHash: which.only } : which.allBut ? { tokenHash: { $ne: which.allBut } } : {};
  const ended = await tx.nativeUpdate(Session, { ...where, account: accountId, revokedAt: null }, { revokedAt: new Date() });
  events.record({ topic: SESSIONS_ENDED_TOPIC, kind: 'SESSIONS_ENDED', aggregateId: accountId, actorId });
  return ended;
}
