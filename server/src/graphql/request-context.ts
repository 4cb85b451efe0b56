import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import type { EventFeed } from '../events/event-feed.js';
import type { Logger } from '../logging/logger.js';
import { fanOutOf } from '../events/fan-out.js';
import { tickBatch } from '../events/tick-batch.js';
import { SESSION_COOKIE, hashToken, viewerForToken, type SessionTiming } from '../identity/session.service.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { readCookie } from '../http/cookies.js';
import type { HttpExchange, RequestContext } from './context.js';

export interface ContextDeps {
  orm: MikroORM;
  config: Config;
  feed: EventFeed;
  logger: Logger;
}

export interface ContextRequest {
  cookieHeader: string | undefined;
  requestId: string;
  clientAddress: string | null;
  /** Extra fields for every log line of this operation. */
  logFields?: Record<string, unknown>;
  http?: HttpExchange;
}

/** How often a session's lastSeenAt is moved on by its use (as viewerForToken does). */
const TOUCH_EVERY_MS = 60_000;

/**
 * viewerForToken's touch for many live sessions in one statement: moves lastSeenAt on where it is
 * more than a minute old, only on sessions that are still valid (an idle, expired or revoked
 * session, or a disabled account's, stays ended).
 */
async function touchSessions(em: EntityManager, tokens: readonly string[], timing: SessionTiming): Promise<void> {
  const now = new Date();
  const idleSince = new Date(now.getTime() - timing.sessionIdleMinutes * 60_000);
  await em.execute(
    `update session s set last_seen_at = ?
      where s.token_hash = any(?::text[]) and s.revoked_at is null and s.expires_at > ? and s.last_seen_at > ? and s.last_seen_at < ?
        and exists (select 1 from account a where a.id = s.account_id and a.disabled_at is null)`,
    [now, `{${tokens.map(hashToken).join(',')}}`, now, idleSince, new Date(now.getTime() - TOUCH_EVERY_MS)],
  );
}

const touches = new WeakMap<EventFeed, (token: string) => Promise<undefined>>();

/**
 * A websocket operation's viewer, by viewerForToken's rules (touching the session as a request
 * does): the operations opened in one turn (a page's subscriptions, a thousand clients
 * reconnecting after a restart) cost one read and one touch together, not an ORM read each.
 */
async function socketViewer(deps: ContextDeps, token: string | undefined): Promise<Viewer> {
  if (!token) return PUBLIC_VIEWER;
  let touch = touches.get(deps.feed);
  if (!touch) {
    const { orm, config } = deps;
    touch = tickBatch(async (tokens: string[]) => {
      await touchSessions(orm.em.fork(), tokens, config);
      return new Map<string, undefined>();
    });
    touches.set(deps.feed, touch);
  }
  const [viewer] = await Promise.all([fanOutOf({ feed: deps.feed, rootEm: deps.orm.em, config: deps.config }).viewerOf(token), touch(token)]);
  return viewer;
}

/**
 * One operation's context, the same way on HTTP and websockets: the viewer read now, and an
 * EntityManager of its own.
 *
 * On HTTP the EntityManager that read the session is the request's (the account is then already
 * in its identity map for the resolvers). A websocket operation is mostly a subscription that
 * waits, often for hours, and its stream forks an EntityManager for each event anyway: there the
 * session is read in a batch with the other operations opened in the same turn (socketViewer), and
 * the context's EntityManager and child logger are made on first use. An idle subscriber then holds the session token, its
 * viewer's facts and the shared configuration, not an identity map and a unit of work.
 */
export async function buildRequestContext(deps: ContextDeps, request: ContextRequest): Promise<RequestContext> {
  const sessionToken = readCookie(request.cookieHeader, SESSION_COOKIE);
  const em = request.http ? deps.orm.em.fork() : undefined;
  const viewer = em ? await viewerForToken(em, sessionToken, deps.config) : await socketViewer(deps, sessionToken);
  const context = {
    viewer,
    sessionToken,
    requestId: request.requestId,
    clientAddress: request.clientAddress,
    config: deps.config,
    feed: deps.feed,
    http: request.http,
    rootEm: deps.orm.em,
  } as LazyContext;
  // The parts made on first use: the same accessor functions for every context (a closure per
  // context would cost more than the parts it defers), their state under symbols of its own.
  Object.defineProperties(context, {
    em: { get: lazyEm, set: setEm, enumerable: true, configurable: true },
    logger: { get: lazyLogger, set: setLogger, enumerable: true, configurable: true },
    [EM]: { value: em, writable: true },
    [LOGGER]: { value: undefined, writable: true },
    [LOG_PARENT]: { value: deps.logger, writable: true },
    [LOG_BINDINGS]: { value: { requestId: request.requestId, ...request.logFields }, writable: true },
  });
  return context;
}

const EM = Symbol('em');
const LOGGER = Symbol('logger');
const LOG_PARENT = Symbol('logParent');
const LOG_BINDINGS = Symbol('logBindings');

interface LazyContext extends RequestContext {
  [EM]: EntityManager | undefined;
  [LOGGER]: Logger | undefined;
  [LOG_PARENT]: Logger;
  [LOG_BINDINGS]: Record<string, unknown>;
}

function lazyEm(this: LazyContext): EntityManager {
  return (this[EM] ??= this.rootEm.fork());
}
function setEm(this: LazyContext, value: EntityManager): void {
  this[EM] = value;
}
function lazyLogger(this: LazyContext): Logger {
  return (this[LOGGER] ??= this[LOG_PARENT].child(this[LOG_BINDINGS]));
}
function setLogger(this: LazyContext, value: Logger): void {
  this[LOGGER] = value;
}

/**
 * A copy of `context` with `parts` in place of its own, that does not make the parts a context
 * makes on first use (copying with `{ ...context }` would fork its EntityManager only to drop it).
 */
export function contextWith(context: RequestContext, parts: Partial<RequestContext>): RequestContext {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(context)) as RequestContext;
  for (const [name, value] of Object.entries(parts)) Object.defineProperty(copy, name, { value, writable: true, enumerable: true, configurable: true });
  return copy;
}

/**
 * Between a subscription's events: forget the EntityManager the last event was read and executed
 * with (and every entity in its identity map). The next event forks its own, or one is forked on
 * first use.
 */
export function releaseEntityManager(context: RequestContext): void {
  if (EM in context) (context as LazyContext)[EM] = undefined;
}
