import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Role } from '../identity/account.entity.js';
import { freePort } from '../db/embedded-postgres.js';
import { transact } from '../events/transaction.js';
import { pino } from 'pino';
import { createLogger } from '../logging/logger.js';
import { MailDispatcher } from './mail-dispatcher.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { HttpSession } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount } from '../../test/factories.js';
import { createMember, createOrganisation } from '../../test/proposal-factories.js';
import { CaughtMail } from './caught-mail.entity.js';
import { MailMessage } from './mail-message.entity.js';
import { enqueueMail } from './mail-outbox.js';
import { startSmtpCatcher } from './smtp-catcher.js';

const INVITE = 'mutation($e: String!) { inviteMember(email: $e) { id email expiresAt url } }';
const ACCEPT = 'mutation($t: String!, $n: String!, $p: String!) { acceptInvitation(token: $t, displayName: $n, password: $p) { id email role } }';
const MY_ORG = '{ myOrganisation { id name members { email } } }';
const CAUGHT = 'query($first: Int) { caughtMail(first: $first) { id to subject text receivedAt } }';
const CATCHER = '{ mailCatcherActive }';

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function signedIn(server: TestServer, role: Role): Promise<HttpSession> {
  const account = await createAccount(server.db.orm.em.fork(), role);
  return new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
}

async function orgMember(server: TestServer): Promise<{ session: HttpSession; organisationName: string; displayName: string }> {
  const em = server.db.orm.em.fork();
  const organisation = await createOrganisation(em);
  const member = await createMember(em, organisation);
  return { session: await new HttpSession(server.httpUrl).login(member.email, TEST_PASSWORD), organisationName: organisation.name, displayName: member.displayName };
}

function address(tag: string): string {
  return `${tag}-${randomBytes(4).toString('hex')}@example.jp`;
}

describe('with the local catcher (no SMTP_URL)', () => {
  let server: TestServer;
  let desk: HttpSession;

  beforeAll(async () => {
    server = await startTestServer({ PUBLIC_BASE_URL: 'https://renkei.example.jp/' });
    desk = await signedIn(server, Role.DESK);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('an invitation sends exactly one mail, received over SMTP, whose link accepts the invitation', async () => {
    const inviter = await orgMember(server);
    const email = address('invited');
    const link = (await inviter.session.ok(INVITE, { e: email })).inviteMember;
    expect(link.url).toMatch(/^\/invitations\/[\w-]{20,}$/);

    const caught = await waitFor('the mail', async () => {
      const mails = (await desk.ok(CAUGHT, { first: 100 })).caughtMail as Array<{ to: string; subject: string; text: string; receivedAt: string }>;
      return mails.find((m) => m.to === email);
    });
    expect(caught.subject).toContain(inviter.organisationName);
    expect(caught.subject).toContain('Invitation to join');
    const absolute = `https://renkei.example.jp${link.url}`;
    expect(caught.text).toContain(absolute);
    expect(caught.text).toContain(inviter.displayName);
    expect(caught.text).toContain(inviter.organisationName);
    expect(caught.text).toContain('無視'); // 心当たりがなければ無視してよい
    expect(caught.text).toContain('ignore');
    expect(caught.text).toMatch(/valid until .*20\d\d/);

    // Exactly one: one outbox row, sent once, caught once. (The catcher has it before the dispatcher marks it sent.)
    await waitFor('the outbox row marked sent', async () => (await server.db.orm.em.fork().find(MailMessage, { to: email, sentAt: { $ne: null } }))[0]);
    const em = server.db.orm.em.fork();
    const rows = await em.find(MailMessage, { to: email });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sentAt).not.toBeNull();
    expect(rows[0]!.attempts).toBe(1);
    expect(rows[0]!.kind).toBe('invitation');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await em.count(CaughtMail, { to: email })).toBe(1);

    // Following the mailed link's token accepts the invitation.
    const token = /\/invitations\/([\w-]+)/.exec(caught.text)![1]!;
    const invited = new HttpSession(server.httpUrl);
    const accepted = (await invited.ok(ACCEPT, { t: token, n: '招待 次郎', p: TEST_PASSWORD })).acceptInvitation;
    expect(accepted).toMatchObject({ email, role: 'PROPOSER' });
    const org = (await invited.ok(MY_ORG)).myOrganisation;
    expect(org.name).toBe(inviter.organisationName);
  });

  it('a refused invitation enqueues no mail', async () => {
    const inviter = await orgMember(server);
    const em = server.db.orm.em.fork();
    const before = await em.count(MailMessage, {});
    const invalid = await inviter.session.request(INVITE, { e: 'not an address' });
    expect(invalid.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Refused inside the transaction: the inviter is already a member.
    const self = (await inviter.session.ok(MY_ORG)).myOrganisation.members[0].email;
    const already = await inviter.session.request(INVITE, { e: self });
    expect(already.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await em.count(MailMessage, {})).toBe(before);
  });

  it('a mail enqueued by a use case that rolls back is never stored nor sent', async () => {
    const email = address('rolled-back');
    await expect(
      transact(server.db.orm.em.fork(), async (tx, events) => {
        enqueueMail(tx, events, { kind: 'test', to: email, subject: 'never', text: 'never' });
        await tx.flush();
        throw new Error('the use case fails after enqueuing');
      }),
    ).rejects.toThrow('the use case fails');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const em = server.db.orm.em.fork();
    expect(await em.count(MailMessage, { to: email })).toBe(0);
    expect(await em.count(CaughtMail, { to: email })).toBe(0);
  });

  it('caughtMail is for desk staff only', async () => {
    const proposer = await orgMember(server);
    const section = await signedIn(server, Role.SECTION);
    for (const session of [proposer.session, section]) {
      const refused = await session.request(CAUGHT);
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(refused.data).toBeNull();
    }
    const anonymous = await new HttpSession(server.httpUrl).request(CAUGHT);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const tooMany = await desk.request(CAUGHT, { first: 1000 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // The desk's menu offers the caught mail only where there is some to read.
    expect((await desk.ok(CATCHER)).mailCatcherActive).toBe(true);
    expect((await proposer.session.request(CATCHER)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('no log line of the dispatcher carries the invitation token or the address', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    // This test's dispatcher does the sending (the platform's is stopped; this is the describe's last test).
    await server.platform.mail.dispatcher.stop();
    const dispatcher = new MailDispatcher({ orm: server.db.orm, smtpUrl: server.platform.mail.catcher!.url, from: server.config.mailFrom, retryBaseMs: 100, logger });
    dispatcher.start();
    try {
      const inviter = await orgMember(server);
      const email = address('quiet');
      const link = (await inviter.session.ok(INVITE, { e: email })).inviteMember;
      await waitFor('the mail', async () => (await server.db.orm.em.fork().count(CaughtMail, { to: email })) === 1);
      const token = link.url.split('/').pop()!;
      expect(lines.some((line) => line.includes('mail sent'))).toBe(true);
      expect(lines.join('\n')).not.toContain(token);
      expect(lines.join('\n')).not.toContain(email);
    } finally {
      await dispatcher.stop();
    }
  });
});

describe('with an SMTP server that is unreachable, then comes back', () => {
  let db: TestDatabase;
  let server: TestServer;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    port = await freePort(); // nothing listens there yet
    server = await startTestServer({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_RETRY_BASE_SECONDS: '1' }, db);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.dispose();
  });

  it('keeps the mail pending and the app working, and delivers it once the server is reachable', async () => {
    expect(server.platform.mail.catcher).toBeNull();
    const inviter = await orgMember(server);
    const email = address('patient');
    const link = (await inviter.session.ok(INVITE, { e: email })).inviteMember;
    expect(link.url).toMatch(/^\/invitations\//);

    const pending = await waitFor('a failed attempt', async () => {
      const row = await db.orm.em.fork().findOne(MailMessage, { to: email });
      return row && row.attempts >= 1 ? row : null;
    });
    expect(pending.sentAt).toBeNull();
    expect(pending.lastError).toMatch(/^[A-Z0-9_]+( \d+)?$/);
    expect(pending.lastError).not.toContain('@');
    expect(pending.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() - 1000);

    // The app keeps working meanwhile.
    expect((await inviter.session.ok(MY_ORG)).myOrganisation.name).toBe(inviter.organisationName);
    const again = await inviter.session.ok(INVITE, { e: address('another') });
    expect(again.inviteMember.id).toBeTruthy();

    // With SMTP_URL set there is no catcher and nothing to read in the app.
    const desk = await signedIn(server, Role.DESK);
    expect((await desk.ok(CAUGHT)).caughtMail).toEqual([]);
    expect((await desk.ok(CATCHER)).mailCatcherActive).toBe(false);

    // The server comes up on that port: the retry delivers the mail, once.
    const catcher = await startSmtpCatcher(db.orm, createLogger('silent'), port);
    try {
      const sent = await waitFor('delivery after the retry', async () => {
        const row = await db.orm.em.fork().findOne(MailMessage, { to: email });
        return row?.sentAt ? row : null;
      }, 20_000);
      expect(sent.attempts).toBeGreaterThanOrEqual(2);
      expect(sent.lastError).toBeNull();
      const caught = await db.orm.em.fork().find(CaughtMail, { to: email });
      expect(caught).toHaveLength(1);
      expect(caught[0]!.text).toContain(link.url);
    } finally {
      await catcher.close();
    }
  });
});
