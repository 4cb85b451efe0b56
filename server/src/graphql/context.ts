import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import type { EventFeed } from '../events/event-feed.js';
import type { Logger } from '../logging/logger.js';
import type { Viewer } from '../identity/viewer.js';
import type { LiveSink } from './live-delivery.js';

/** What HTTP requests can do that websocket operations cannot: set cookies. */
export interface HttpExchange {
  setSessionCookie(token: string, expiresAt: Date): void;
  clearSessionCookie(): void;
}

/**
 * One GraphQL operation's context. `em` is forked per operation; for subscriptions both `em`
 * and `viewer` are replaced before each event is resolved, so every event is authorised
 * against current data.
 */
export interface RequestContext {
  em: EntityManager;
  viewer: Viewer;
  sessionToken: string | undefined;
  requestId: string;
  clientAddress: string | null;
  logger: Logger;
  config: Config;
  feed: EventFeed;
  /** Absent on websockets. */
  http?: HttpExchange;
  /** On websockets: where a subscription served by a live group writes its results (graphql/live-delivery.ts). */
  liveSink?: LiveSink;
  /** The application's root EntityManager, to fork fresh ones per event. */
  rootEm: EntityManager;
  /**
   * Set on the executions of a shared live event (an audience's, a person's): reads that depend on
   * ids alone, or on the person's own state, go out together with those of the other executions of
   * the same event (events/fan-out.ts acrossExecutions).
   */
  executingSharedEvent?: boolean;
}
