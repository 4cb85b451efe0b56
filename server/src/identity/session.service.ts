import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import { boundQuery } from '../db/bound-query.js';
import { Account, Role } from './account.entity.js';
import { activeOrganisationIdOf } from '../organisations/active-membership.js';
import { Session } from './session.entity.js';
import { PUBLIC_VIEWER, type AccountViewer, type Viewer } from './viewer.js';

export const SESSION_COOKIE = 'renkei_session';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface IssuedSession {
  token: string;
  expiresAt: Date;
}

export function newSession(em: EntityManager, account: Account, config: Pick<Config, 'sessionAbsoluteHours'>): IssuedSession {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + config.sessionAbsoluteHours * 3600_000);
  em.persist(new Session(hashToken(token), account, expiresAt));
  return { token, expiresAt };
}

export type SessionTiming = Pick<Config, 'sessionIdleMinutes'>;

/**
 * The viewer a session token stands for, read from the database each time: a revoked or expired
 * session, or a disabled account, is the public from that moment on.
 * Touches lastSeenAt at most once a minute so reads stay cheap — unless `touch` is false: a live
 * stream re-checking its viewer per event is not the person doing anything, and must not keep an
 * idle session alive.
 */
export async function viewerForToken(em: EntityManager, token: string | undefined, timing: SessionTiming, options: { touch?: boolean } = {}): Promise<Viewer> {
  if (!token) return PUBLIC_VIEWER;
  const tokenHash = hashToken(token);
  const now = new Date();
  const idleSince = new Date(now.getTime() - timing.sessionIdleMinutes * 60_000);
  const session = await em.findOne(
    Session,
    { tokenHash, revokedAt: null, expiresAt: { $gt: now }, lastSeenAt: { $gt: idleSince }, account: { disabledAt: null } },
    { populate: ['account'] },
  );
  if (!session) return PUBLIC_VIEWER;
  if (options.touch !== false && now.getTime() - session.lastSeenAt.getTime() > 60_000) {
    await em.nativeUpdate(Session, { tokenHash }, { lastSeenAt: now });
  }
  const account = session.account;
  const organisationId = account.role === Role.PROPOSER ? await activeOrganisationIdOf(em, account.id) : null;
  return { kind: 'account', accountId: account.id, role: account.role, sectionId: account.section?.id ?? null, organisationId };
}

/** The condition under which a session (s) of an account (a) is live, with $now and $idleSince bound at the given places. */
function liveSession(now: string, idleSince: string): string {
  return `s.revoked_at is null and s.expires_at > ${now} and s.last_seen_at > ${idleSince} and a.disabled_at is null`;
}

/** A live session as read: its viewer, and the times after which it is no longer live. */
export interface LiveSession {
  viewer: AccountViewer;
  expiresAt: number;
  lastSeenAt: number;
}

/**
 * The live sessions among these token hashes (hashToken), by viewerForToken's rules (never
 * touching): one statement for all of them, for live streams that re-check every subscriber of an
 * event at once. A session that has ended (revoked, expired, idle, disabled account) is absent.
 */
export async function liveSessionsOf(em: EntityManager, tokenHashes: readonly string[], timing: SessionTiming): Promise<Map<string, LiveSession>> {
  const sessions = new Map<string, LiveSession>();
  if (tokenHashes.length === 0) return sessions;
  const now = new Date();
  const idleSince = new Date(now.getTime() - timing.sessionIdleMinutes * 60_000);
  const rows = await boundQuery<{ token_hash: string; account_id: string; role: Role; section_id: string | null; organisation_id: string | null; expires_at: Date; last_seen_at: Date }>(
    em,
    `select s.token_hash, a.id as account_id, a.role, a.section_id, s.expires_at, s.last_seen_at,
            case when a.role = 'PROPOSER' then (select m.organisation_id from membership m where m.account_id = a.id and m.left_at is null limit 1) end as organisation_id
       from session s join account a on a.id = s.account_id
      where s.token_hash = any($1::text[]) and ${liveSession('$2', '$3')}`,
    [tokenHashes, now, idleSince],
  );
  for (const row of rows) {
    const viewer: AccountViewer = { kind: 'account', accountId: row.account_id, role: row.role, sectionId: row.section_id, organisationId: row.organisation_id };
    sessions.set(row.token_hash, { viewer, expiresAt: new Date(row.expires_at).getTime(), lastSeenAt: new Date(row.last_seen_at).getTime() });
  }
  return sessions;
}

/**
 * Of these token hashes, those whose session has ended (revoked, expired, idle, disabled account,
 * or unknown): one statement, for the periodic check of open websockets.
 */
export async function endedSessionHashes(em: EntityManager, tokenHashes: readonly string[], timing: SessionTiming): Promise<string[]> {
  if (tokenHashes.length === 0) return [];
  const now = new Date();
  const rows = await boundQuery<{ h: string }>(
    em,
    `select h from unnest($1::text[]) h
      where not exists (select 1 from session s join account a on a.id = s.account_id where s.token_hash = h and ${liveSession('$2', '$3')})`,
    [tokenHashes, now, new Date(now.getTime() - timing.sessionIdleMinutes * 60_000)],
  );
  return rows.map((row) => row.h);
}

/** The token hashes of one account's ended sessions, for closing its sockets after an act on the account. */
export async function endedSessionHashesOf(em: EntityManager, accountId: string, timing: SessionTiming): Promise<string[]> {
  const now = new Date();
  const rows = await boundQuery<{ token_hash: string }>(
    em,
    `select s.token_hash from session s join account a on a.id = s.account_id where s.account_id = $1 and not (${liveSession('$2', '$3')})`,
    [accountId, now, new Date(now.getTime() - timing.sessionIdleMinutes * 60_000)],
  );
  return rows.map((row) => row.token_hash);
}
