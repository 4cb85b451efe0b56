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

  async viewersOf(tokenHashes: readonly string[]): Promise<Map<string, AccountViewer>> {
    const counter = await viewerChangeCounter(this.em());
    if (counter === null || counter !== this.counter) {
      this.known.clear();
      this.counter = counter;
    }
    // What is known now stands for the counter just read; sessions not yet known are read after it, so never older.
    const sessions = new Map<string, LiveSession>();
    const unknown: string[] = [];
    for (const hash of tokenHashes) {
      const session = this.known.get(hash);
      if (session) sessions.set(hash, session);
      else unknown.push(hash);
    }
    if (unknown.length > 0) {
      const read = await liveSessionsOf(this.em(), unknown, this.timing);
      // Kept only while the counter they were read under is still the one known (another call may have seen it move meanwhile).
      const keep = counter !== null && this.counter === counter;
      if (keep && this.known.size + read.size > SESSIONS_KEPT) this.known.clear();
      for (const [hash, session] of read) {
        sessions.set(hash, session);
        if (keep) this.known.set(hash, session);
      }
    }
    const now = Date.now();
    const idleSince = now - this.timing.sessionIdleMinutes * 60_000;
    const viewers = new Map<string, AccountViewer>();
    for (const [hash, session] of sessions) if (session.expiresAt > now && session.lastSeenAt > idleSince) viewers.set(hash, session.viewer);
    return viewers;
  }
}
