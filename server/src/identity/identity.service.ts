import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import { FieldErrors, RateLimitedError, UnauthenticatedError } from '../errors/domain-errors.js';
import { Account } from './account.entity.js';
import { LoginAttempt } from './login-attempt.entity.js';
import { verifyAgainstDecoy, verifyPassword } from './password.js';
import { newSession, type IssuedSession } from './session.service.js';

export interface LoginResult {
  account: Account;
  session: IssuedSession;
}

type LoginConfig = Pick<Config, 'sessionAbsoluteHours' | 'loginThrottleMax' | 'loginThrottleWindowMinutes'>;

const SAME_ANSWER = 'The e-mail address or password is not correct';

/**
 * RATE_LIMITED once an address has had loginThrottleMax failed sign-ins (or wrong current passwords
 * at a password change) within the window, on any server instance (they are rows).
 */
export async function throwIfThrottled(em: EntityManager, config: Pick<Config, 'loginThrottleMax' | 'loginThrottleWindowMinutes'>, email: string): Promise<void> {
  const since = new Date(Date.now() - config.loginThrottleWindowMinutes * 60_000);
  const failures = await em.count(LoginAttempt, { email, succeeded: false, attemptedAt: { $gt: since } });
  if (failures >= config.loginThrottleMax) throw new RateLimitedError('Too many failed sign-ins; try again later');
}

/**
 * Sign-in. An unknown e-mail and a wrong password get the same answer after the same work.
 * Failed attempts per address are throttled across every server instance (they are rows).
 */
export async function login(em: EntityManager, config: LoginConfig, emailInput: string, password: string, address: string | null): Promise<LoginResult> {
  const email = emailInput.trim().toLowerCase();
  const errors = new FieldErrors();
  if (email === '' || email.length > 254) errors.add('email', email === '' ? 'REQUIRED' : 'TOO_LONG', 'Enter an e-mail address');
  if (password === '' || password.length > 1024) errors.add('password', password === '' ? 'REQUIRED' : 'TOO_LONG', 'Enter a password');
  errors.throwIfAny();

  await throwIfThrottled(em, config, email);

  const account = await em.findOne(Account, { email, disabledAt: null });
  const ok = account ? await verifyPassword(account.passwordHash, password) : await verifyAgainstDecoy(password);
  if (!account || !ok) {
    await em.insert(LoginAttempt, new LoginAttempt(email, address, false));
    throw new UnauthenticatedError(SAME_ANSWER);
  }
  return em.transactional(async (tx) => {
    tx.persist(new LoginAttempt(email, address, true));
    const session = newSession(tx, account, config);
    return { account, session };
  });
}
