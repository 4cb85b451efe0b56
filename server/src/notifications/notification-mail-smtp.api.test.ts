import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../db/embedded-postgres.js';
import { Account } from '../identity/account.entity.js';
import { MailMessage } from '../mail/mail-message.entity.js';
import { parseMail, type ParsedMail } from '../mail/mime.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { Notification } from './notification.entity.js';
import { DECLINE, SET_PREFERENCE, START_THREAD, cast, mention, waitFor } from './notification-mail.test-kit.js';

/**
 * A real SMTP server that refuses one kind of recipient, as a mail server refuses an address that
 * does not exist (550), and keeps what it accepts in memory for the test to read.
 */
async function startRefusingSmtp(port: number): Promise<{ received: Array<ParsedMail & { to: string }>; close(): Promise<void> }> {
  const received: Array<ParsedMail & { to: string }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused-')) callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ ...parseMail(Buffer.concat(chunks)), to: session.envelope.rcptTo.map((r) => r.address).join(', ') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  expect((server.server.address() as AddressInfo).port).toBe(port);
  return { received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let server: TestServer;
let port: number;
beforeAll(async () => {
  port = await freePort(); // nothing listens there yet
  server = await startTestServer({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_RETRY_BASE_SECONDS: '1', PUBLIC_BASE_URL: 'https://renkei.example.jp' });
});
afterAll(async () => {
  await server?.stop();
});

describe('with an SMTP server that is unreachable, then refuses one address', () => {
  it('keeps the mail queued and the app working, delivers it when the server is back, and a refused address blocks nobody', async () => {
    const c = await cast(server);
    const p = await c.proposal();
    // The supporting section's person has an address the mail server does not know.
    const refused = `refused-${randomBytes(3).toString('hex')}@example.jp`;
    await server.db.orm.em.fork().nativeUpdate(Account, { id: c.a.staffB.id }, { email: refused });
    await c.s.desk.ok(START_THREAD, { pid: p.proposalId, input: { audience: 'INTERNAL', title: '検討', body: `ご確認ください ${mention(c.a.staffA)} ${mention(c.a.staffB)}` } });

    const em = () => server.db.orm.em.fork();
    const pending = await waitFor('failed attempts', async () => {
      const rows = await em().find(MailMessage, { to: { $in: [c.a.staffA.email, refused] } });
      return rows.length === 2 && rows.every((row) => row.attempts >= 1) ? rows : null;
    });
    expect(pending.every((row) => row.sentAt === null && row.failedAt === null && /^[A-Z0-9_]+( \d+)?$/.test(row.lastError ?? ''))).toBe(true);
    // Decided once: the notifications are not mailed again.
    expect((await em().find(Notification, { recipientId: { $in: [c.a.staffA.id, c.a.staffB.id] } })).map((n) => n.mailOutcome)).toEqual(['IMMEDIATE', 'IMMEDIATE']);
    // The app keeps working meanwhile, notifications and all.
    await c.s.staffA.ok(SET_PREFERENCE, { k: 'REPLY', d: 'DAILY' });
    await c.s.desk.ok(START_THREAD, { pid: p.proposalId, input: { audience: 'SHARED', title: '日程', body: `候補日をお送りします ${mention(c.a.member)}` } });

    const smtp = await startRefusingSmtp(port);
    try {
      const delivered = await waitFor('delivery after the retry', async () => smtp.received.find((m) => m.to === c.a.staffA.email), 20_000);
      expect(delivered.text).toContain(`https://renkei.example.jp/section/proposals/${p.proposalId}`);
      await waitFor('the proposer’s mail too', async () => smtp.received.find((m) => m.to === c.a.member.email), 20_000);
      // Marked sent when the dispatcher commits, just after the server accepted it.
      const sent = await waitFor('marked sent', async () => {
        const row = await em().findOneOrFail(MailMessage, { to: c.a.staffA.email });
        return row.sentAt ? row : null;
      });
      expect(sent.attempts).toBeGreaterThanOrEqual(2);
      // The refused address: a 5xx is permanent, so it fails at once with the server's code, is
      // never delivered, and holds nothing else up.
      const stuck = await waitFor('the refusal', async () => {
        const row = await em().findOneOrFail(MailMessage, { to: refused });
        return row.lastError?.includes('550') ? row : null;
      }, 20_000);
      expect(stuck.sentAt).toBeNull();
      expect(stuck.failedAt).not.toBeNull();
      expect(stuck.lastError).not.toContain('@');
      expect(smtp.received.some((m) => m.to.includes('refused-'))).toBe(false);
      expect(smtp.received.filter((m) => m.to === c.a.staffA.email)).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });
});

describe('a mail held back by an outage, for someone who then loses access', () => {
  it('is not sent when the server is back: the recipient is asked about again at sending time', async () => {
    const c = await cast(server);
    const p = await c.proposal();
    const em = () => server.db.orm.em.fork();
    // The server is down (the test above closed it); the supporting section is mentioned and its
    // immediate mail is queued, as is the lead section's.
    await c.s.desk.ok(START_THREAD, { pid: p.proposalId, input: { audience: 'INTERNAL', title: '所管の確認', body: `ご確認ください ${mention(c.a.staffA)} ${mention(c.a.staffB)}` } });
    await waitFor('both mails tried once', async () => {
      const rows = await em().find(MailMessage, { to: { $in: [c.a.staffA.email, c.a.staffB.email] } });
      return rows.length === 2 && rows.every((row) => row.attempts >= 1) ? rows : null;
    });
    // Meanwhile the supporting section declines: it may no longer see the proposal.
    await c.s.staffB.ok(DECLINE, { id: p.supportMatch.id, v: p.supportMatch.version, r: '所管外' });

    const smtp = await startRefusingSmtp(port);
    try {
      await waitFor('the lead section’s mail', async () => smtp.received.find((m) => m.to === c.a.staffA.email), 20_000);
      const dropped = await waitFor('the dropped mail', async () => {
        const row = await em().findOneOrFail(MailMessage, { to: c.a.staffB.email });
        return row.failedAt ? row : null;
      }, 20_000);
      expect(dropped.lastError).toBe('NO_ACCESS');
      expect(dropped.sentAt).toBeNull();
      expect(smtp.received.some((m) => m.to === c.a.staffB.email)).toBe(false);
    } finally {
      await smtp.close();
    }
  });
});
