import type { EntityManager } from '@mikro-orm/postgresql';
import { boundQuery } from '../db/bound-query.js';
import { liveSessionsOf, type LiveSession, type SessionTiming } from './session.service.js';
import type { AccountViewer } from './viewer.js';

/** Sessions remembered at most this many at a time (dropped wholesale when full). */
const SESSIONS_KEPT = 50_000;

/** The viewer-change counter now (viewer-change.entity.ts); null when its row is missing. */
async function viewerChangeCounter(em: EntityManager): Promise<string | null> {
  const [row] = await boundQuery<{ counter: string }>(em, 'select counter::text as counter from viewer_change where id = 1', []);
  return row?.counter ?? null;
}

/**
 * The viewers of live streams' sessions, checked at every event as the database has them now, in
 * one small statement however many subscribers there are: the viewer-change counter, which every
 * change that could end a session or change its viewer moves on in its own transaction
 * (triggers). Sessions read after the counter showed a value are as current as a fresh read for as
 * long as the counter still shows it, but for the passing of time, which is checked here against
 * their expiry and last use as read (a later use only makes a session live longer). When the
 * counter has moved, everything is read again. Sessions not yet known are read in one statement.
 */
export class SessionViewers {
  private counter: string | null = null;
  private readonly known = new Map<string, LiveSession>();

  constructor(
    private readonly em: () => EntityManager,
    private readonly timing: SessionTiming,
  ) {}

  /** The viewer of each session now, in order; undefined where the session is not live (or no token was given). */
  async viewersOf(tokenHashes: ReadonlyArray<string | undefined>): Promise<Array<AccountViewer | undefined>> {
    const counter = await viewerChangeCounter(this.em());
    if (counter === null || counter !== this.counter) {
      this.known.clear();
      this.counter = counter;
    }
    // What is known now stands for the counter just read; sessions not yet known are read after it, so never older.
    const sessions: Array<LiveSession | undefined> = tokenHashes.map((hash) => (hash === undefined ? undefined : this.known.get(hash)));
    const unknown = tokenHashes.filter((hash, index): hash is string => hash !== undefined && sessions[index] === undefined);
    if (unknown.length > 0) {
      const read = await liveSessionsOf(this.em(), [...new Set(unknown)], this.timing);
      // Kept only while the counter they were read under is still the one known (another call may have seen it move meanwhile).
      const keep = counter !== null && this.counter === counter;
      if (keep && this.known.size + read.size > SESSIONS_KEPT) this.known.clear();
      if (keep) for (const [hash, session] of read) this.known.set(hash, session);
      tokenHashes.forEach((hash, index) => {
        if (hash !== undefined && sessions[index] === undefined) sessions[index] = read.get(hash);
      });
    }
    const now = Date.now();
    const idleSince = now - this.timing.sessionIdleMinutes * 60_000;
    return sessions.map((session) => (session && session.expiresAt > now && session.lastSeenAt > idleSince ? session.viewer : undefined));
  }
}
