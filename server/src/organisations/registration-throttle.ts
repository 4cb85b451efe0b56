import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import { RateLimitedError } from '../errors/domain-errors.js';
import { LoginAttempt } from '../identity/login-attempt.entity.js';

/**
 * Refused registrations are throttled per client address, with the same budget and window as
 * failed sign-ins, because a refusal ("cannot register with this e-mail address", "this 法人番号 is
 * registered") tells a prober something. The attempts are rows, so every server instance shares
 * the count. They are kept in the sign-in attempts table under a key no e-mail address can take
 * ("registration", no @), which spares a table and a migration of our own.
 */
export const REGISTRATION_ATTEMPT_KEY = 'registration';

export type ThrottleConfig = Pick<Config, 'loginThrottleMax' | 'loginThrottleWindowMinutes'>;

export async function assertRegistrationAllowed(em: EntityManager, config: ThrottleConfig, address: string | null): Promise<void> {
  const since = new Date(Date.now() - config.loginThrottleWindowMinutes * 60_000);
  const refused = await em.count(LoginAttempt, { email: REGISTRATION_ATTEMPT_KEY, address, succeeded: false, attemptedAt: { $gt: since } });
  if (refused >= config.loginThrottleMax) throw new RateLimitedError('Too many refused registrations from this address; try again later');
}

/** Written outside the refused use case's transaction, which rolls back. */
export async function recordRegistrationAttempt(em: EntityManager, address: string | null, succeeded: boolean): Promise<void> {
  await em.fork().insert(LoginAttempt, new LoginAttempt(REGISTRATION_ATTEMPT_KEY, address, succeeded));
}
