import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import type { EventFeed } from '../events/event-feed.js';
import type { Logger } from '../logging/logger.js';
import { SESSION_COOKIE, viewerForToken } from '../identity/session.service.js';
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

/** One operation's context, the same way on HTTP and websockets: a fresh EntityManager and the viewer read now. */
export async function buildRequestContext(deps: ContextDeps, request: ContextRequest): Promise<RequestContext> {
  const sessionToken = readCookie(request.cookieHeader, SESSION_COOKIE);
  const em = deps.orm.em.fork();
  const viewer = await viewerForToken(em, sessionToken, deps.config);
  return {
    em,
    rootEm: deps.orm.em,
    viewer,
    sessionToken,
    requestId: request.requestId,
    clientAddress: request.clientAddress,
    logger: deps.logger.child({ requestId: request.requestId, ...request.logFields }),
    config: deps.config,
    feed: deps.feed,
    http: request.http,
  };
}
