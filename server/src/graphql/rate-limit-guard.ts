import type { GraphQLResolveInfo } from 'graphql';
import type { RateLimits } from '../config/env.js';
import { RateLimitedError } from '../errors/domain-errors.js';
import { RateLimiter, type RateDecision } from '../shared/rate-limit.js';
import type { RequestContext } from './context.js';

/** The mutations that take a password or make an account: budgeted per address on their own. */
const SIGN_IN_FIELDS = new Set(['login', 'registerOrganisation', 'acceptInvitation', 'changePassword']);

interface Limiters {
  perPerson: RateLimiter | null;
  perAddress: RateLimiter | null;
  signIn: RateLimiter | null;
}

// One set of buckets per configuration, i.e. per running platform.
const limitersOf = new WeakMap<RateLimits, Limiters>();

function limiters(limits: RateLimits): Limiters {
  let found = limitersOf.get(limits);
  if (!found) {
    const make = (perMinute: number) => (perMinute > 0 ? new RateLimiter(perMinute) : null);
    found = { perPerson: make(limits.mutationsPerPerson), perAddress: make(limits.mutationsPerAddress), signIn: make(limits.signInPerAddress) };
    limitersOf.set(limits, found);
  }
  return found;
}

function refuse(decision: RateDecision | undefined, what: string): void {
  if (decision && !decision.allowed) {
    throw new RateLimitedError(`Too many ${what}; try again in ${decision.retryAfterSeconds} s`, { retryAfterSeconds: decision.retryAfterSeconds });
  }
}

/**
 * Budgets every root mutation per person and per address, and sign-in and registration per
 * address, before it runs: a field guard (field-guards.ts), so HTTP and websocket operations alike.
 */
export function limitMutationRate(args: unknown, context: RequestContext, info: GraphQLResolveInfo): void {
  if (info.path.prev !== undefined || info.operation.operation !== 'mutation') return;
  const { perPerson, perAddress, signIn } = limiters(context.config.rateLimits);
  const address = context.clientAddress ?? 'unknown';
  if (SIGN_IN_FIELDS.has(info.fieldName)) refuse(signIn?.take(address), 'sign-in attempts from this address');
  refuse(perAddress?.take(address), 'changes from this address');
  if (context.viewer.kind === 'account') refuse(perPerson?.take(context.viewer.accountId), 'changes');
}
