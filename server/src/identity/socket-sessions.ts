import type { WebSocket } from 'ws';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import type { DeliveredEvent } from '../events/delivered-event.js';
import type { EventFeed } from '../events/event-feed.js';
import type { Logger } from '../logging/logger.js';
import { readCookie } from '../http/cookies.js';
import { SESSIONS_ENDED_TOPIC } from './session-end.js';
import { SESSION_COOKIE, endedSessionHashes, endedSessionHashesOf, hashToken } from './session.service.js';
import type { Viewer } from './viewer.js';

/** The close code and reason of a socket whose session ended (4403: graphql-ws's Forbidden). */
export const SESSION_ENDED_CLOSE_CODE = 4403;
export const SESSION_ENDED_REASON = 'Session ended';

/** Thrown when a socket whose session has ended tries to start an operation; the socket is closing. */
export class SessionEndedError extends Error {
  constructor() {
    super(SESSION_ENDED_REASON);
  }
}

const SESSION = Symbol('session');
type SessionSocket = WebSocket & { [SESSION]?: string };

export interface SocketSessionsDeps {
  orm: MikroORM;
  config: Pick<Config, 'sessionIdleMinutes' | 'socketSessionCheckSeconds'>;
  feed: EventFeed;
  logger: Logger;
}

/**
 * The open graphql-ws sockets of this server instance by session (the token's hash, never the
 * token), so that a socket ends with its session:
 * - at once when an act ends sessions (logout, signing out everywhere, a password change,
 *   disabling the account) — on every instance, through the outbox event the act records;
 * - by one periodic check of all sockets (SOCKET_SESSION_CHECK_SECONDS, one statement) for idle
 *   and absolute timeouts and anything a lost event missed;
 * - at the latest when the socket tries to start an operation (admit).
 * Per socket it keeps the hash (shared with the socket's context) and one map entry — the socket
 * itself while it is its session's only one, the usual case, rather than a set per socket; one
 * timer serves them all.
 */
export class SocketSessions {
  private readonly bySession = new Map<string, SessionSocket | Set<SessionSocket>>();
  private readonly pendingAccounts = new Set<string>();
  private checkAllPending = false;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopFeed: (() => void) | null = null;

  constructor(private readonly deps: SocketSessionsDeps) {}

  start(): void {
    this.stopFeed = this.deps.feed.subscribe(this);
    this.timer = setInterval(() => this.checkAll(), this.deps.config.socketSessionCheckSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.stopFeed?.();
    this.timer = null;
    this.stopFeed = null;
  }

  /** A socket opened with this Cookie header: its session's hash (kept in the socket's context), if it has one. */
  opened(socket: WebSocket, cookieHeader: string | undefined): string | undefined {
    const token = readCookie(cookieHeader, SESSION_COOKIE);
    if (!token) return undefined;
    const hash = hashToken(token);
    const found = this.bySession.get(hash);
    if (!found) this.bySession.set(hash, socket);
    else if (found instanceof Set) found.add(socket);
    else this.bySession.set(hash, new Set([found, socket]));
    (socket as SessionSocket)[SESSION] = hash;
    return hash;
  }

  closed(socket: WebSocket): void {
    const hash = (socket as SessionSocket)[SESSION];
    if (hash === undefined) return;
    const found = this.bySession.get(hash);
    if (found === socket) this.bySession.delete(hash);
    else if (found instanceof Set && found.delete(socket) && found.size === 0) this.bySession.delete(hash);
  }

  /**
   * Before an operation of a socket that came with a session: the viewer read for it now is the
   * public when the session has ended; then the session's sockets close and the operation does not start.
   */
  admit(sessionHash: string | undefined, viewer: Viewer): void {
    if (sessionHash === undefined || viewer.kind === 'account') return;
    this.end([sessionHash]);
    throw new SessionEndedError();
  }

  /** Closes the sockets of these sessions. */
  end(hashes: Iterable<string>): void {
    for (const hash of hashes) {
      const found = this.bySession.get(hash);
      if (!found) continue;
      this.bySession.delete(hash);
      for (const socket of found instanceof Set ? found : [found]) socket.close(SESSION_ENDED_CLOSE_CODE, SESSION_ENDED_REASON);
    }
  }

  /** The feed's listener: an act ended an account's sessions, here or on another instance. */
  onEvent(event: DeliveredEvent): void {
    if (event.topic !== SESSIONS_ENDED_TOPIC) return;
    this.pendingAccounts.add(event.aggregateId);
    this.run();
  }

  /** Checks every socket's session now (the timer's work; also for tests). */
  checkAll(): Promise<void> {
    this.checkAllPending = true;
    return this.run();
  }

  /** One check at a time; asks made meanwhile are served together by the next. */
  private run(): Promise<void> {
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    while (this.checkAllPending || this.pendingAccounts.size > 0) {
      const all = this.checkAllPending;
      const accounts = [...this.pendingAccounts];
      this.checkAllPending = false;
      this.pendingAccounts.clear();
      try {
        const em = this.deps.orm.em.fork();
        if (all && this.bySession.size > 0) this.end(await endedSessionHashes(em, [...this.bySession.keys()], this.deps.config));
        if (!all) for (const accountId of accounts) this.end(await endedSessionHashesOf(em, accountId, this.deps.config));
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'checking websocket sessions failed; the next check retries');
      }
    }
  }
}
