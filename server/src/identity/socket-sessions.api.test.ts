import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { createMember, createOrganisation } from '../../test/proposal-factories.js';
import { AuditEntry } from '../audit/audit-entry.entity.js';
import type { Section } from '../sections/section.entity.js';
import { Account, Role } from './account.entity.js';
import { Session } from './session.entity.js';
import { SESSION_ENDED_CLOSE_CODE } from './socket-sessions.js';

const ME = '{ me { id } }';
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { id } }';
const CHANGE = 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
const DISABLE = 'mutation($id: ID!, $r: String!) { disableAccount(accountId: $id, reason: $r) { id enabled } }';
const ENABLE = 'mutation($id: ID!, $r: String!) { enableAccount(accountId: $id, reason: $r) { id enabled } }';
const NEW_PASSWORD = 'a new password 2026';

/**
 * Server A checks its sockets every second (the timeouts); server B, on the same database, only
 * every hour: a socket on B that closes after an act on A was closed by the act's event.
 */
let a: TestServer;
let b: TestServer;
let section: Section;
let deskSession: HttpSession;
let deskAccount: Account;
const opened: Client[] = [];

beforeAll(async () => {
  a = await startTestServer({ SOCKET_SESSION_CHECK_SECONDS: '1', LOGIN_THROTTLE_MAX: '3' });
  b = await startTestServer({ SOCKET_SESSION_CHECK_SECONDS: '3600' }, a.db);
  const em = a.db.orm.em.fork();
  [section] = (await createDepartmentWithSections(em, ['接続テスト課'])) as [Section];
  deskAccount = await createAccount(em, Role.DESK);
  deskSession = await signIn(deskAccount);
}, 60_000);

afterAll(async () => {
  for (const client of opened) await client.dispose();
  await b?.stop();
  await a?.stop();
});

async function signIn(account: { email: string }, password = TEST_PASSWORD, server = a): Promise<HttpSession> {
  return new HttpSession(server.httpUrl).login(account.email, password);
}

interface LiveSocket {
  client: Client;
  /** Resolves with the close code once the server closes the socket. */
  closed: Promise<number>;
  isClosed(): boolean;
  /** A query over this socket: the viewer's id, or null when signed out. */
  me(): Promise<string | null>;
}

/** A graphql-ws connection carrying the session's cookie, acknowledged, with a live subscription open. */
async function openSocket(session: HttpSession, server: TestServer = a): Promise<LiveSocket> {
  let closedWith: number | null = null;
  let resolveClosed!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (resolveClosed = resolve));
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const client = session.websocket(server.wsUrl, {
    // The close is what these tests wait for, not an error to print.
    onNonLazyError: () => {},
    on: {
      connected: () => connected(),
      closed: (event) => {
        closedWith = (event as { code: number }).code;
        resolveClosed(closedWith);
      },
    },
  });
  opened.push(client);
  client.subscribe({ query: 'subscription { notificationEvents { __typename } }' }, { next: () => {}, error: () => {}, complete: () => {} });
  await ready;
  const me = async () => {
    for await (const result of client.iterate<{ me: { id: string } | null }>({ query: ME })) return result.data?.me?.id ?? null;
    return null;
  };
  return { client, closed, isClosed: () => closedWith !== null, me };
}

/** The socket is open and still acts as the person: a query over it answers as them. */
async function expectOpenAs(socket: LiveSocket, accountId: string): Promise<void> {
  expect(await socket.me()).toBe(accountId);
  expect(socket.isClosed()).toBe(false);
}

async function newProposer(): Promise<Account> {
  const em = a.db.orm.em.fork();
  return createMember(em, await createOrganisation(em));
}

describe('sockets follow their session', () => {
  it('logout closes that session’s sockets with 4403, on every instance; the person’s other session and other people stay connected', async () => {
    const person = await newProposer();
    const other = await createAccount(a.db.orm.em.fork(), Role.SECTION, section);
    const leaving = await signIn(person);
    const staying = await signIn(person);
    const sockets = { hereA: await openSocket(leaving), hereA2: await openSocket(leaving), hereB: await openSocket(leaving, b), stayA: await openSocket(staying), otherB: await openSocket(await signIn(other), b) };

    await leaving.ok('mutation { logout }');

    expect(await sockets.hereA.closed).toBe(SESSION_ENDED_CLOSE_CODE);
    expect(await sockets.hereA2.closed).toBe(SESSION_ENDED_CLOSE_CODE);
    expect(await sockets.hereB.closed).toBe(SESSION_ENDED_CLOSE_CODE);
    await expectOpenAs(sockets.stayA, person.id);
    await expectOpenAs(sockets.otherB, other.id);
  });

  it('signing out everywhere closes every socket of the person and ends every session', async () => {
    const person = await createAccount(a.db.orm.em.fork(), Role.SECTION, section);
    const first = await signIn(person);
    const second = await signIn(person);
    const bystander = await newProposer();
    const sockets = [await openSocket(first), await openSocket(second, b)];
    const watching = await openSocket(await signIn(bystander), b);

    expect((await first.ok<{ signOutEverywhere: number }>('mutation { signOutEverywhere }')).signOutEverywhere).toBe(2);

    expect(await Promise.all(sockets.map((socket) => socket.closed))).toEqual([SESSION_ENDED_CLOSE_CODE, SESSION_ENDED_CLOSE_CODE]);
    expect((await second.ok(ME)).me).toBeNull();
    expect((await first.ok(ME)).me).toBeNull();
    await expectOpenAs(watching, bystander.id);
    const audit = await a.db.orm.em.fork().find(AuditEntry, { action: 'SIGNED_OUT_EVERYWHERE', subjectId: person.id });
    expect(audit.map((entry) => [entry.actorId, entry.details])).toEqual([[person.id, { sessionsEnded: 2 }]]);
  });

  it('a password change ends the person’s other sessions and their sockets; this session and its socket continue', async () => {
    const person = await newProposer();
    const current = await signIn(person);
    const elsewhere = await signIn(person);
    const currentSocket = await openSocket(current);
    const elsewhereSocket = await openSocket(elsewhere, b);

    expect((await current.ok<{ changePassword: number }>(CHANGE, { c: TEST_PASSWORD, n: NEW_PASSWORD })).changePassword).toBe(1);

    expect(await elsewhereSocket.closed).toBe(SESSION_ENDED_CLOSE_CODE);
    expect((await elsewhere.ok(ME)).me).toBeNull();
    expect((await current.ok(ME)).me.id).toBe(person.id);
    await expectOpenAs(currentSocket, person.id);
    const old = await new HttpSession(a.httpUrl).request(LOGIN, { e: person.email, p: TEST_PASSWORD });
    expect(old.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await (await signIn(person, NEW_PASSWORD)).ok(ME)).me.id).toBe(person.id);
    const audit = await a.db.orm.em.fork().find(AuditEntry, { action: 'PASSWORD_CHANGED', subjectId: person.id });
    expect(audit.map((entry) => [entry.actorId, entry.details])).toEqual([[person.id, { otherSessionsEnded: 1 }]]);
  });

  it('a password change needs the right current password, throttled like sign-in, and a new password by the registration rules', async () => {
    const person = await createAccount(a.db.orm.em.fork(), Role.DESK);
    const session = await signIn(person);
    const other = await openSocket(await signIn(person));
    const fieldsOf = async (variables: Record<string, string>) => {
      const result = await session.request(CHANGE, variables);
      return [result.errors?.[0]?.extensions?.code, result.errors?.[0]?.extensions?.fields?.map((f) => `${f.field}:${f.code}`)];
    };
    expect(await fieldsOf({ c: '', n: 'short' })).toEqual(['BAD_USER_INPUT', ['currentPassword:REQUIRED', 'newPassword:INVALID']]);
    expect(await fieldsOf({ c: TEST_PASSWORD, n: TEST_PASSWORD })).toEqual(['BAD_USER_INPUT', ['newPassword:INVALID']]);
    for (let i = 0; i < 3; i += 1) expect(await fieldsOf({ c: `wrong ${i}`, n: NEW_PASSWORD })).toEqual(['BAD_USER_INPUT', ['currentPassword:INVALID']]);
    expect(await fieldsOf({ c: TEST_PASSWORD, n: NEW_PASSWORD })).toEqual(['RATE_LIMITED', undefined]);
    // Nothing changed: the old password is still the one, and the other session lives on.
    const stored = await a.db.orm.em.fork().findOneOrFail(Account, { id: person.id });
    expect(await (await import('./password.js')).verifyPassword(stored.passwordHash, TEST_PASSWORD)).toBe(true);
    await expectOpenAs(other, person.id);
    expect((await new HttpSession(a.httpUrl).request(CHANGE, { c: TEST_PASSWORD, n: NEW_PASSWORD })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('disabling an account ends all its sessions and sockets at once; login, HTTP and new sockets then give it nothing', async () => {
    const person = await newProposer();
    const bystander = await newProposer();
    const sessions = [await signIn(person), await signIn(person)];
    const sockets = [await openSocket(sessions[0]!), await openSocket(sessions[1]!, b)];
    const watching = await openSocket(await signIn(bystander));

    const result = await deskSession.ok<{ disableAccount: { enabled: boolean } }>(DISABLE, { id: person.id, r: '退職のため' });
    expect(result.disableAccount.enabled).toBe(false);

    expect(await Promise.all(sockets.map((socket) => socket.closed))).toEqual([SESSION_ENDED_CLOSE_CODE, SESSION_ENDED_CLOSE_CODE]);
    for (const session of sessions) expect((await session.ok(ME)).me).toBeNull();
    const refused = await new HttpSession(a.httpUrl).request(LOGIN, { e: person.email, p: TEST_PASSWORD });
    const wrong = await new HttpSession(a.httpUrl).request(LOGIN, { e: bystander.email, p: 'not the password' });
    expect(refused.errors?.[0]).toEqual(wrong.errors?.[0]);
    // A socket opened later with the old cookie is closed as soon as it asks for anything.
    const late = await openSocket(sessions[0]!, b);
    expect(await late.closed).toBe(SESSION_ENDED_CLOSE_CODE);
    await expectOpenAs(watching, bystander.id);
    const audit = await a.db.orm.em.fork().find(AuditEntry, { action: 'ACCOUNT_DISABLED', subjectId: person.id });
    expect(audit.map((entry) => [entry.actorId, entry.reason, entry.details])).toEqual([[deskAccount.id, '退職のため', { sessionsEnded: 2 }]]);

    expect((await deskSession.ok<{ enableAccount: { enabled: boolean } }>(ENABLE, { id: person.id, r: '復職' })).enableAccount.enabled).toBe(true);
    expect((await sessions[0]!.ok(ME)).me).toBeNull();
    expect((await (await signIn(person)).ok(ME)).me.id).toBe(person.id);
  });

  it('a socket whose session ended starts no new operation, even before any check closed it', async () => {
    const person = await createAccount(a.db.orm.em.fork(), Role.SECTION, section);
    const session = await signIn(person);
    const socket = await openSocket(session, b);
    await expectOpenAs(socket, person.id);
    // Ended behind the platform's back (no event): only server B's hourly check would see it.
    await a.db.orm.em.fork().nativeUpdate(Session, { account: person.id }, { revokedAt: new Date() });

    expect(await socket.me().catch(() => 'refused')).toBe('refused');
    expect(await socket.closed).toBe(SESSION_ENDED_CLOSE_CODE);
  });

  it.each([
    ['idle timeout', { lastSeenAt: new Date(Date.now() - 24 * 3600_000) }],
    ['absolute expiry', { expiresAt: new Date(Date.now() - 1000) }],
  ])('the periodic check closes sockets of a session ended by its %s', async (_what, change) => {
    const person = await newProposer();
    const bystander = await newProposer();
    const socket = await openSocket(await signIn(person));
    const watching = await openSocket(await signIn(bystander));
    await a.db.orm.em.fork().nativeUpdate(Session, { account: person.id }, change);

    expect(await socket.closed).toBe(SESSION_ENDED_CLOSE_CODE);
    await expectOpenAs(watching, bystander.id);
  });
});

describe('who may disable and enable accounts', () => {
  it('the desk only: section staff and proposers are FORBIDDEN, the public UNAUTHENTICATED, and nothing changes', async () => {
    const target = await newProposer();
    const section1 = await signIn(await createAccount(a.db.orm.em.fork(), Role.SECTION, section));
    const proposer = await signIn(await newProposer());
    for (const [session, code] of [[section1, 'FORBIDDEN'], [proposer, 'FORBIDDEN'], [new HttpSession(a.httpUrl), 'UNAUTHENTICATED']] as const) {
      expect((await session.request(DISABLE, { id: target.id, r: 'x' })).errors?.[0]?.extensions?.code).toBe(code);
      expect((await session.request('{ accounts { totalCount } }')).errors?.[0]?.extensions?.code).toBe(code);
    }
    expect((await a.db.orm.em.fork().findOneOrFail(Account, { id: target.id })).disabledAt).toBeNull();
  });

  it('needs a reason; an unknown account is NOT_FOUND; the last enabled desk account cannot be disabled', async () => {
    const target = await newProposer();
    const noReason = await deskSession.request(DISABLE, { id: target.id, r: '  ' });
    expect(noReason.errors?.[0]?.extensions?.fields).toEqual([expect.objectContaining({ field: 'reason', code: 'REQUIRED' })]);
    expect((await deskSession.request(DISABLE, { id: '00000000-0000-4000-8000-000000000000', r: 'x' })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await deskSession.request(DISABLE, { id: 'not-an-id', r: 'x' })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // Make this desk account the only enabled one, then try to disable it.
    const em = a.db.orm.em.fork();
    const others = await em.find(Account, { role: Role.DESK, disabledAt: null, id: { $ne: deskAccount.id } });
    await em.nativeUpdate(Account, { id: { $in: others.map((o) => o.id) } }, { disabledAt: new Date() });
    try {
      const last = await deskSession.request(DISABLE, { id: deskAccount.id, r: '自分を無効に' });
      expect([last.errors?.[0]?.extensions?.code, last.errors?.[0]?.extensions?.rule]).toEqual(['CONFLICT', 'LAST_DESK_ACCOUNT']);
      expect((await deskSession.ok(ME)).me.id).toBe(deskAccount.id);
    } finally {
      await em.nativeUpdate(Account, { id: { $in: others.map((o) => o.id) } }, { disabledAt: null });
    }
  });

  it('lists accounts for the desk, searched by name, e-mail, section or organisation, by role and enabled state, page by page', async () => {
    const em = a.db.orm.em.fork();
    const organisation = await createOrganisation(em, 'ページングテスト株式会社');
    const members = [await createMember(em, organisation), await createMember(em, organisation), await createMember(em, organisation)];
    await em.nativeUpdate(Account, { id: members[0]!.id }, { disabledAt: new Date() });
    const LIST = 'query($f: AccountListFilter, $after: String) { accounts(first: 2, after: $after, filter: $f) { totalCount pageInfo { hasNextPage endCursor } edges { node { id organisationName enabled role } } } }';
    type Page = { accounts: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: { id: string; organisationName: string; enabled: boolean } }> } };
    const first = (await deskSession.ok<Page>(LIST, { f: { search: 'ページングテスト' } })).accounts;
    const second = (await deskSession.ok<Page>(LIST, { f: { search: 'ページングテスト' }, after: first.pageInfo.endCursor })).accounts;
    expect([first.totalCount, first.pageInfo.hasNextPage, second.pageInfo.hasNextPage]).toEqual([3, true, false]);
    expect([...first.edges, ...second.edges].map((e) => e.node.id).sort()).toEqual(members.map((m) => m.id).sort());
    expect(first.edges[0]!.node.organisationName).toBe('ページングテスト株式会社');
    const disabled = (await deskSession.ok<Page>(LIST, { f: { search: 'ページングテスト', enabled: false } })).accounts;
    expect(disabled.edges.map((e) => e.node.id)).toEqual([members[0]!.id]);
    const byMail = (await deskSession.ok<Page>(LIST, { f: { search: members[1]!.email.toUpperCase() } })).accounts;
    expect(byMail.edges.map((e) => e.node.id)).toEqual([members[1]!.id]);
    const bySection = (await deskSession.ok<Page>(LIST, { f: { search: '接続テスト課', role: 'PROPOSER' } })).accounts;
    expect(bySection.totalCount).toBe(0);
    expect((await deskSession.ok<Page>(LIST, { f: { search: '%' } })).accounts.totalCount).toBe(0);
  });
});
