import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import { recordAudit } from '../audit/audit.js';
import { FieldErrors, UnauthenticatedError } from '../errors/domain-errors.js';
import { transact } from '../events/transaction.js';
import { Account } from './account.entity.js';
import { LoginAttempt } from './login-attempt.entity.js';
import { throwIfThrottled } from './identity.service.js';
import { hashPassword, verifyPassword } from './password.js';
import { checkNewPassword } from './password-rules.js';
import { endSessions } from './session-end.js';
import { hashToken } from './session.service.js';
import type { Viewer } from './viewer.js';

type ThrottleConfig = Pick<Config, 'loginThrottleMax' | 'loginThrottleWindowMinutes'>;

/** Logout: this session ends, and its sockets on every instance. Without a session it does nothing. */
export async function logout(em: EntityManager, viewer: Viewer, sessionToken: string | undefined): Promise<void> {
  if (!sessionToken || viewer.kind !== 'account') return;
  await transact(em, (tx, events) => endSessions(tx, events, viewer.accountId, { only: hashToken(sessionToken) }, viewer.accountId));
}

/** Signs the person out everywhere: every session of theirs ends, this one too. Returns how many ended. */
export async function signOutEverywhere(em: EntityManager, viewer: Viewer): Promise<number> {
  if (viewer.kind !== 'account') throw new UnauthenticatedError();
  const { accountId } = viewer;
  return transact(em, async (tx, events) => {
    const ended = await endSessions(tx, events, accountId, { allBut: null }, accountId);
    recordAudit(tx, { actorId: accountId, action: 'SIGNED_OUT_EVERYWHERE', subjectKind: 'account', subjectId: accountId, details: { sessionsEnded: ended } });
    return ended;
  });
}

/**
 * A signed-in person changes their password. The current password is required; a wrong one counts
 * as a failed sign-in of the address (the same throttle as login, so it cannot be guessed here
 * instead). The new one follows the rules of registration. Every other session of the person
 * ends, with its sockets; this session continues.
 */
export async function changePassword(
  em: EntityManager,
  config: ThrottleConfig,
  viewer: Viewer,
  sessionToken: string | undefined,
  currentPassword: string,
  newPassword: string,
  address: string | null,
): Promise<number> {
  if (viewer.kind !== 'account' || !sessionToken) throw new UnauthenticatedError();
  const errors = new FieldErrors();
  if (currentPassword === '') errors.add('currentPassword', 'REQUIRED', 'Enter your current password');
  else if (currentPassword.length > 1024) errors.add('currentPassword', 'TOO_LONG', 'Enter your current password');
  checkNewPassword(errors, 'newPassword', newPassword);
  if (!errors.any && newPassword === currentPassword) errors.add('newPassword', 'INVALID', 'Choose a password different from the current one');
  errors.throwIfAny();

  const account = await em.findOneOrFail(Account, { id: viewer.accountId });
  await throwIfThrottled(em, config, account.email);
  if (!(await verifyPassword(account.passwordHash, currentPassword))) {
    await em.insert(LoginAttempt, new LoginAttempt(account.email, address, false));
    new FieldErrors().add('currentPassword', 'INVALID', 'The current password is not correct').throwIfAny();
  }
  const passwordHash = await hashPassword(newPassword);
  const { accountId } = viewer;
  return transact(em, async (tx, events) => {
    await tx.nativeUpdate(Account, { id: accountId }, { passwordHash });
    const ended = await endSessions(tx, events, accountId, { allBut: hashToken(sessionToken) }, accountId);
    recordAudit(tx, { actorId: accountId, action: 'PASSWORD_CHANGED', subjectKind: 'account', subjectId: accountId, details: { otherSessionsEnded: ended } });
    return ended;
  });
}
