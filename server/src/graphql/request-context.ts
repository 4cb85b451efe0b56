import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import type { EventFeed } from '../events/event-feed.js';
import type { Logger } from '../logging/logger.js';
import { fanOutOf } from '../events/fan-out.js';
import { SESSION_COOKIE, hashToken, viewerForToken, type SessionTiming } from '../identity/session.service.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { readCookie } from '../http/cookies.js';
import type { HttpExchange, RequestContext } from './context.js';
import type { LiveSink } from './live-delivery.js';

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
  /** A websocket subscription's own way onto its socket (graphql/live-delivery.ts). */
  liveSink?: LiveSink;
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

/** How long websocket sessions' touches are collected before they are written together. */
const TOUCH_BATCH_MS = 1000;

/**
 * The touches of websocket operations' sessions, written together once a second: lastSeenAt moves
 * at most once a minute anyway, and a thousand clients reconnecting after a restart then cost one
 * statement, not one per turn (a touch per operation allocated as much as the operation itself).
 */
class SessionTouches {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: ContextDeps) {}

  add(token: string): void {
    this.pending.add(token);
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), TOUCH_BATCH_MS);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = null;
    const tokens = [...this.pending];
    this.pending.clear();
    touchSessions(this.deps.orm.em.fork(), tokens, this.deps.config).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'touching websocket sessions failed'));
  }
}

const touches = new WeakMap<EventFeed, SessionTouches>();

/**
 * A websocket operation's viewer, by viewerForToken's rules (and touching the session as a request
 * does, a moment later): the operations opened in one turn (a page's subscriptions, a thousand
 * clients reconnecting after a restart) cost one read together, not an ORM read each.
 */
async function socketViewer(deps: ContextDeps, token: string | undefined): Promise<Viewer> {
  if (!token) return PUBLIC_VIEWER;
  const viewer = await fanOutOf({ feed: deps.feed, rootEm: deps.orm.em, config: deps.config }).viewerOf(token);
  if (viewer.kind === 'account') {
    let pending = touches.get(deps.feed);
    if (!pending) touches.set(deps.feed, (pending = new SessionTouches(deps)));
    pending.add(token);
  }
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
  return new OperationContext(deps, request, viewer, sessionToken, em);
}

/**
 * A class, so that the parts made on first use (the EntityManager and the child logger) are
 * accessors on the prototype rather than closures per context, and the context stays a compact
 * object (a thousand of them wait for hours behind idle subscriptions).
 */
class OperationContext implements RequestContext {
  viewer: Viewer;
  sessionToken: string | undefined;
  requestId: string;
  clientAddress: string | null;
  config: Config;
  feed: EventFeed;
  http: HttpExchange | undefined;
  liveSink: LiveSink | undefined;
  rootEm: EntityManager;
  private ownEm: EntityManager | undefined;
  private ownLogger: Logger | undefined;
  private readonly parentLogger: Logger;
  private readonly logFields: Record<string, unknown> | undefined;

  constructor(deps: ContextDeps, request: ContextRequest, viewer: Viewer, sessionToken: string | undefined, em: EntityManager | undefined) {
    this.viewer = viewer;
    this.sessionToken = sessionToken;
    this.requestId = request.requestId;
    this.clientAddress = request.clientAddress;
    this.config = deps.config;
    this.feed = deps.feed;
    this.http = request.http;
    this.liveSink = request.liveSink;
    this.rootEm = deps.orm.em;
    this.ownEm = em;
    this.ownLogger = undefined;
    this.parentLogger = deps.logger;
    this.logFields = request.logFields;
  }

  get em(): EntityManager {
    return (this.ownEm ??= this.rootEm.fork());
  }

  set em(value: EntityManager) {
    this.ownEm = value;
  }

  get logger(): Logger {
    return (this.ownLogger ??= this.parentLogger.child({ requestId: this.requestId, ...this.logFields }));
  }

  set logger(value: Logger) {
    this.ownLogger = value;
  }

  releaseEm(): void {
    this.ownEm = undefined;
  }
}

/**
 * A copy of `context` with `parts` in place of its own, that does not make the parts a context
 * makes on first use (copying with `{ ...context }` would fork its EntityManager only to drop it,
 * and would lose the accessors of an OperationContext).
 */
export function contextWith(context: RequestContext, parts: Partial<RequestContext>): RequestContext {
  const copy = Object.create(Object.getPrototypeOf(context) as object, Object.getOwnPropertyDescriptors(context)) as RequestContext;
  for (const [name, value] of Object.entries(parts)) Object.defineProperty(copy, name, { value, writable: true, enumerable: true, configurable: true });
  return copy;
}

/**
 * Between a subscription's events: forget the EntityManager the last event was read and executed
 * with (and every entity in its identity map). The next event forks its own, or one is forked on
 * first use.
 */
export function releaseEntityManager(context: RequestContext): void {
  if (context instanceof OperationContext) context.releaseEm();
}
