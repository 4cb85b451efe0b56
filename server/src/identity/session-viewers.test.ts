import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { createMember, createOrganisation } from '../../test/proposal-factories.js';
import { Membership } from '../organisations/membership.entity.js';
import { Account, Role } from './account.entity.js';
import { Session } from './session.entity.js';
import { hashToken, newSession } from './session.service.js';
import { SessionViewers } from './session-viewers.js';

const TIMING = { sessionIdleMinutes: 30 };
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

async function sessionOf(account: Account): Promise<string> {
  const em = db.orm.em.fork();
  const { token } = newSession(em, em.getReference(Account, account.id), { sessionAbsoluteHours: 12 });
  await em.flush();
  return hashToken(token);
}

/** The statements one check runs. */
async function statementsOf<T>(run: () => Promise<T>): Promise<{ texts: string[]; result: T }> {
  const spy = vi.spyOn(pg.Client.prototype, 'query');
  try {
    const result = await run();
    return { texts: spy.mock.calls.map((call) => String(typeof call[0] === 'string' ? call[0] : (call[0] as { text?: string }).text)), result };
  } finally {
    spy.mockRestore();
  }
}

const counter = async () => (await db.orm.em.fork().getConnection().execute<Array<{ counter: string }>>('select counter::text as counter from viewer_change'))[0]!.counter;

describe('sessions checked by the viewer-change counter', () => {
  it('known sessions cost one small statement per check, however many; a new one is read once', async () => {
    const viewers = new SessionViewers(() => db.orm.em.fork(), TIMING);
    const desk = await createAccount(db.orm.em.fork(), Role.DESK);
    const hashes = await Promise.all(Array.from({ length: 20 }, () => sessionOf(desk)));
    const first = await statementsOf(() => viewers.viewersOf(hashes));
    expect(first.result.filter(Boolean)).toHaveLength(20);
    expect(first.texts).toHaveLength(2);
    const again = await statementsOf(() => viewers.viewersOf(hashes));
    expect(again.result.filter(Boolean)).toHaveLength(20);
    expect(again.texts).toEqual([expect.stringContaining('from viewer_change')]);
    const another = await sessionOf(desk);
    const withNew = await statementsOf(() => viewers.viewersOf([...hashes, another]));
    expect(withNew.result.filter(Boolean)).toHaveLength(21);
    expect(withNew.texts).toHaveLength(2);
    expect(withNew.texts[1]).toContain('token_hash = any');
  });

  it('a logout, a disabled account, a new section or a left organisation is seen at the very next check', async () => {
    const viewers = new SessionViewers(() => db.orm.em.fork(), TIMING);
    const em = db.orm.em.fork();
    const organisation = await createOrganisation(em);
    const [leaving, staying] = [await createMember(em, organisation), await createMember(em, organisation)];
    const [firstSection, otherSection] = await createDepartmentWithSections(em, ['防災課', '環境課']);
    const [staff, disabled, loggedOut] = [await createAccount(em, Role.SECTION, firstSection!), await createAccount(em, Role.DESK), await createAccount(em, Role.DESK)];
    const hashes = { leaving: await sessionOf(leaving), staying: await sessionOf(staying), staff: await sessionOf(staff), disabled: await sessionOf(disabled), loggedOut: await sessionOf(loggedOut) };
    const all = Object.values(hashes);
    const viewersOf = async () => new Map((await viewers.viewersOf(all)).map((viewer, index) => [all[index]!, viewer]));
    const before = await viewersOf();
    expect([...before.values()].filter(Boolean)).toHaveLength(5);
    expect(before.get(hashes.leaving)).toMatchObject({ organisationId: organisation.id });
    expect(before.get(hashes.staff)).toMatchObject({ sectionId: firstSection!.id });

    const sql = db.orm.em.fork();
    await sql.nativeUpdate(Session, { tokenHash: hashes.loggedOut }, { revokedAt: new Date() });
    await sql.nativeUpdate(Account, { id: disabled.id }, { disabledAt: new Date() });
    await sql.nativeUpdate(Account, { id: staff.id }, { section: otherSection!.id });
    await sql.nativeUpdate(Membership, { account: leaving.id, leftAt: null }, { leftAt: new Date() });

    const after = await viewersOf();
    expect(after.get(hashes.loggedOut)).toBeUndefined();
    expect(after.get(hashes.disabled)).toBeUndefined();
    expect(after.get(hashes.staff)).toMatchObject({ sectionId: otherSection!.id });
    expect(after.get(hashes.leaving)?.organisationId ?? null).toBeNull();
    expect(after.get(hashes.staying)).toMatchObject({ organisationId: organisation.id });
  });

  it('a session going idle ends by the clock, without any change in the database', async () => {
    const viewers = new SessionViewers(() => db.orm.em.fork(), TIMING);
    const desk = await createAccount(db.orm.em.fork(), Role.DESK);
    const hash = await sessionOf(desk);
    // Last used just inside the idle limit: live now, idle a moment later.
    await db.orm.em.fork().nativeUpdate(Session, { tokenHash: hash }, { lastSeenAt: new Date(Date.now() - TIMING.sessionIdleMinutes * 60_000 + 400) });
    expect((await viewers.viewersOf([hash]))[0]).toMatchObject({ accountId: desk.id });
    const unchanged = await counter();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await viewers.viewersOf([hash]))[0]).toBeUndefined();
    expect(await counter()).toBe(unchanged);
  });

  it('a use of the session moves nothing on; ending it does', async () => {
    const desk = await createAccount(db.orm.em.fork(), Role.DESK);
    const hash = await sessionOf(desk);
    const start = await counter();
    await db.orm.em.fork().nativeUpdate(Session, { tokenHash: hash }, { lastSeenAt: new Date() });
    expect(await counter()).toBe(start);
    await db.orm.em.fork().nativeUpdate(Session, { tokenHash: hash }, { revokedAt: new Date() });
    expect(BigInt(await counter())).toBeGreaterThan(BigInt(start));
  });
});
