import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount } from '../../test/factories.js';
import { Account, Role } from './account.entity.js';
import { Session } from './session.entity.js';

const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { id email role } }';
const ME = '{ me { id email role } }';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ LOGIN_THROTTLE_MAX: '3' });
});
afterAll(async () => {
  await server?.stop();
});

describe('signing in', () => {
  it('sets an httpOnly session cookie, stores only a hash of it, and `me` answers from it', async () => {
    const account = await createAccount(server.db.orm.em.fork(), Role.DESK);
    const response = await fetch(server.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: LOGIN, variables: { e: account.email.toUpperCase(), p: TEST_PASSWORD } }),
    });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^renkei_session=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const token = decodeURIComponent(setCookie.split(';')[0]!.split('=')[1]!);
    const stored = await server.db.orm.em.fork().find(Session, { account: account.id });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toContain(token);
    const session = new HttpSession(server.httpUrl);
    session.cookie = setCookie.split(';')[0];
    expect((await session.ok(ME)).me).toEqual({ id: account.id, email: account.email, role: 'DESK' });
  });

  it('hashes passwords with argon2id', async () => {
    const account = await createAccount(server.db.orm.em.fork(), Role.PROPOSER);
    const stored = await server.db.orm.em.fork().findOneOrFail(Account, { id: account.id });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('gives an unknown e-mail and a wrong password the same answer', async () => {
    const account = await createAccount(server.db.orm.em.fork(), Role.SECTION);
    const unknown = await new HttpSession(server.httpUrl).request(LOGIN, { e: 'nobody@test.renkei.jp', p: TEST_PASSWORD });
    const wrong = await new HttpSession(server.httpUrl).request(LOGIN, { e: account.email, p: 'wrong password' });
    expect(unknown.errors?.[0]).toEqual(wrong.errors?.[0]);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('throttles repeated failures for one address, even with the right password afterwards', async () => {
    const account = await createAccount(server.db.orm.em.fork(), Role.PROPOSER);
    for (let i = 0; i < 3; i += 1) {
      const failed = await new HttpSession(server.httpUrl).request(LOGIN, { e: account.email, p: `guess ${i}` });
      expect(failed.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const blocked = await new HttpSession(server.httpUrl).request(LOGIN, { e: account.email, p: TEST_PASSWORD });
    expect(blocked.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(blocked.data?.login ?? null).toBeNull();
  });

  it('ends the session on logout, for this and later requests', async () => {
    const account = await createAccount(server.db.orm.em.fork(), Role.DESK);
    const session = await new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
    const cookie = session.cookie;
    expect((await session.ok(ME)).me.id).toBe(account.id);
    await session.ok('mutation { logout }');
    const replay = new HttpSession(server.httpUrl);
    replay.cookie = cookie; // someone who kept a copy of the old cookie
    expect((await replay.ok(ME)).me).toBeNull();
  });

  it('ends every session of a disabled account at once', async () => {
    const account = await createAccount(server.db.orm.em.fork(), Role.DESK);
    const session = await new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
    await server.db.orm.em.fork().nativeUpdate(Account, { id: account.id }, { disabledAt: new Date() });
    expect((await session.ok(ME)).me).toBeNull();
    const again = await new HttpSession(server.httpUrl).request(LOGIN, { e: account.email, p: TEST_PASSWORD });
    expect(again.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses empty and over-long credentials with field codes', async () => {
    const result = await new HttpSession(server.httpUrl).request(LOGIN, { e: '', p: 'x'.repeat(2000) });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.fields).toEqual([
      expect.objectContaining({ field: 'email', code: 'REQUIRED' }),
      expect.objectContaining({ field: 'password', code: 'TOO_LONG' }),
    ]);
  });
});
