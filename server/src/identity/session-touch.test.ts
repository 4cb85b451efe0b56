import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { createAccount } from '../../test/factories.js';
import { Role } from './account.entity.js';
import { Session } from './session.entity.js';
import { hashToken, newSession, viewerForToken } from './session.service.js';

const TIMING = { sessionIdleMinutes: 30 };
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

async function sessionLastSeenMinutesAgo(minutes: number): Promise<string> {
  const em = db.orm.em.fork();
  const account = await createAccount(em, Role.SECTION);
  const { token } = newSession(em, account, { sessionAbsoluteHours: 12 });
  await em.flush();
  await em.nativeUpdate(Session, { tokenHash: hashToken(token) }, { lastSeenAt: new Date(Date.now() - minutes * 60_000) });
  return token;
}

async function lastSeenOf(token: string): Promise<Date> {
  return (await db.orm.em.fork().findOneOrFail(Session, { tokenHash: hashToken(token) })).lastSeenAt;
}

describe('idle sessions and live streams', () => {
  it('a request by the person keeps the session alive', async () => {
    const token = await sessionLastSeenMinutesAgo(5);
    const before = await lastSeenOf(token);
    expect((await viewerForToken(db.orm.em.fork(), token, TIMING)).kind).toBe('account');
    expect((await lastSeenOf(token)).getTime()).toBeGreaterThan(before.getTime());
  });

  it('a live stream re-checking its viewer does not: an open tab alone lets the session go idle and end', async () => {
    const token = await sessionLastSeenMinutesAgo(29);
    const before = await lastSeenOf(token);
    expect((await viewerForToken(db.orm.em.fork(), token, TIMING, { touch: false })).kind).toBe('account');
    expect((await lastSeenOf(token)).getTime()).toBe(before.getTime());
    await db.orm.em.fork().nativeUpdate(Session, { tokenHash: hashToken(token) }, { lastSeenAt: new Date(Date.now() - 31 * 60_000) });
    expect((await viewerForToken(db.orm.em.fork(), token, TIMING, { touch: false })).kind).toBe('public');
  });
});
