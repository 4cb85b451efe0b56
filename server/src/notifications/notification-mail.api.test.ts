import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openDatabase } from '../db/orm.js';
import { CaughtMail } from '../mail/caught-mail.entity.js';
import { MailMessage } from '../mail/mail-message.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { MailDigest } from './mail-digest.entity.js';
import { runDailyDigests } from './mail-digest.js';
import { Notification, NotificationKind } from './notification.entity.js';
import { decideNotificationMail } from './notification-mailer.js';
import { CONTENT_FIELDS, DECLINE, MY_PREFERENCES, REFERENCE, REQUEST_PROTECTION, SET_PREFERENCE, START_THREAD, cast, mention, waitFor } from './notification-mail.test-kit.js';

const BASE = 'https://renkei.example.jp';
let server: TestServer;
let secondOrm: MikroORM;

beforeAll(async () => {
  server = await startTestServer({ PUBLIC_BASE_URL: BASE });
  secondOrm = await openDatabase(server.db.url, 5);
  // The digest is run here by hand with its own clock; the reminders have their own test.
  await server.platform.notificationJobs.digest.stop();
  await server.platform.notificationJobs.reminders.stop();
});
afterAll(async () => {
  await server?.stop();
  await secondOrm?.close();
});

const em = () => server.db.orm.em.fork();
const caughtFor = (email: string) => em().find(CaughtMail, { to: email }, { orderBy: { receivedAt: 'asc' } });
const noticesOf = (accountId: string) => em().find(Notification, { recipientId: accountId }, { orderBy: { createdAt: 'asc' } });
/** Every notice of the person has been through the mailer (a DAILY one waits for the digest). */
const allDecided = async (accountId: string) => (await noticesOf(accountId)).every((n) => n.mailOutcome !== null);

describe('immediate mail', () => {
  it('a mention in an INTERNAL thread arrives over SMTP with the link, and without the message, the thread title or protected content', async () => {
    const c = await cast(server);
    const p = await c.proposal();
    await c.s.member.ok(REQUEST_PROTECTION, { pid: p.proposalId, item: { kind: 'FIELD', fieldName: 'content' }, r: '独自のノウハウ' });
    const secretTitle = `庁内検討 ${randomBytes(4).toString('hex')}`;
    const secretBody = `所管課の見解 ${randomBytes(4).toString('hex')}`;
    await c.s.staffA.ok(START_THREAD, { pid: p.proposalId, input: { audience: 'INTERNAL', title: secretTitle, body: `${secretBody} ${mention(c.a.desk)}` } });

    const [mail] = await waitFor('the mail', async () => ((await caughtFor(c.a.desk.email)).length ? caughtFor(c.a.desk.email) : null));
    const { referenceNumber, title } = (await c.s.desk.ok(REFERENCE, { id: p.proposalId })).proposal;
    expect(mail!.subject).toContain('メンション');
    expect(mail!.subject).toContain(referenceNumber);
    expect(mail!.text).toContain(`${BASE}/desk/proposals/${p.proposalId}`);
    expect(mail!.text).toContain(title);
    expect(mail!.text).toContain('mentioned you');
    for (const secret of [secretTitle, secretBody, ...CONTENT_FIELDS]) {
      expect(mail!.text).not.toContain(secret);
      expect(mail!.subject).not.toContain(secret);
    }
    const [notice] = await noticesOf(c.a.desk.id);
    expect(notice).toMatchObject({ kind: NotificationKind.MENTION, mailOutcome: 'IMMEDIATE' });
    expect(notice!.mailDecidedAt).not.toBeNull();
    // Sent once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await caughtFor(c.a.desk.email)).toHaveLength(1);
  });

  it('someone whose match was declined before the mail was due gets no mail at all', async () => {
    const c = await cast(server);
    const p = await c.proposal();
    const mailer = server.platform.notificationJobs.mailer;
    await mailer.stop();
    try {
      await c.s.desk.ok(START_THREAD, { pid: p.proposalId, input: { audience: 'INTERNAL', title: '支援の可否', body: `ご確認ください ${mention(c.a.staffB)}` } });
      expect((await noticesOf(c.a.staffB.id)).map((n) => n.mailOutcome)).toEqual([null]);
      await c.s.staffB.ok(DECLINE, { id: p.supportMatch.id, v: p.supportMatch.version, r: '所管外' });
      while ((await decideNotificationMail(server.db.orm, BASE)) > 0);
    } finally {
      mailer.start();
    }
    const [notice] = await noticesOf(c.a.staffB.id);
    expect(notice).toMatchObject({ kind: NotificationKind.MENTION, mailOutcome: 'NO_ACCESS' });
    expect(notice!.mailDecidedAt).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await em().count(MailMessage, { to: c.a.staffB.email })).toBe(0);
    expect(await caughtFor(c.a.staffB.email)).toHaveLength(0);
  });

  it('NONE sends nothing, and the bell still has it', async () => {
    const c = await cast(server);
    const p = await c.proposal();
    const prefs = (await c.s.member.ok(SET_PREFERENCE, { k: 'MENTION', d: 'NONE' })).setMailPreference;
    expect(prefs.find((x: { kind: string }) => x.kind === 'MENTION')).toEqual({ kind: 'MENTION', delivery: 'NONE', isDefault: false });
    await c.s.desk.ok(START_THREAD, { pid: p.proposalId, input: { audience: 'SHARED', title: 'ご相談', body: `日程について ${mention(c.a.member)}` } });
    await waitFor('the decision', () => allDecided(c.a.member.id));
    const mention_ = (await noticesOf(c.a.member.id)).find((n) => n.kind === NotificationKind.MENTION);
    expect(mention_).toMatchObject({ mailOutcome: 'NONE' });
    expect(mention_!.mailDecidedAt).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await em().count(MailMessage, { to: c.a.member.email, kind: 'notification-MENTION' })).toBe(0);
  });
});

describe('the daily digest', () => {
  it('groups by proposal, newest first, is sent once by two instances at once, and leaves out what the person can no longer see', async () => {
    const c = await cast(server);
    await c.s.member.ok(SET_PREFERENCE, { k: 'MENTION', d: 'DAILY' });
    await c.s.staffB.ok(SET_PREFERENCE, { k: 'MENTION', d: 'DAILY' });
    // The proposer hears of each state change (PROPOSAL_STATE: daily by default) of two proposals…
    const first = await c.proposal();
    const second = await c.proposal();
    // …then of a mention on the first, which makes the first the newest.
    await c.s.desk.ok(START_THREAD, { pid: first.proposalId, input: { audience: 'SHARED', title: '確認', body: `資料をお願いします ${mention(c.a.member)}` } });
    // The supporting section is mentioned, then declines before the digest.
    await c.s.desk.ok(START_THREAD, { pid: second.proposalId, input: { audience: 'INTERNAL', title: '支援', body: `ご確認ください ${mention(c.a.staffB)}` } });
    await waitFor('the decisions', async () => (await allDecided(c.a.member.id)) && (await allDecided(c.a.staffB.id)));
    await c.s.staffB.ok(DECLINE, { id: second.supportMatch.id, v: second.supportMatch.version, r: '所管外' });
    expect((await noticesOf(c.a.member.id)).every((n) => n.mailOutcome === 'DIGEST' && n.mailDecidedAt === null)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await caughtFor(c.a.member.email)).toHaveLength(0);

    // Before 08:00 in Tokyo nothing goes; at 08:30 two instances race and one digest is sent.
    expect(await runDailyDigests({ orm: server.db.orm, publicBaseUrl: BASE, digestHour: 8 }, new Date('2026-12-01T22:59:00Z'))).toBe(0);
    const at = new Date('2026-12-01T23:30:00Z'); // 2026-12-02 08:30 JST
    await Promise.all([
      runDailyDigests({ orm: server.db.orm, publicBaseUrl: BASE, digestHour: 8 }, at),
      runDailyDigests({ orm: secondOrm, publicBaseUrl: BASE, digestHour: 8 }, at),
    ]);
    const [digest] = await waitFor('the digest', async () => ((await caughtFor(c.a.member.email)).length ? caughtFor(c.a.member.email) : null));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await caughtFor(c.a.member.email)).toHaveLength(1);
    expect(await em().count(MailDigest, { accountId: c.a.member.id })).toBe(1);
    expect(digest!.subject).toContain('12月2日');

    const ref = async (id: string) => (await c.s.member.ok(REFERENCE, { id })).proposal.referenceNumber as string;
    const [refFirst, refSecond] = [await ref(first.proposalId), await ref(second.proposalId)];
    const text = digest!.text;
    expect(text.indexOf(refFirst)).toBeGreaterThan(-1);
    expect(text.indexOf(refFirst)).toBeLessThan(text.indexOf(refSecond));
    const firstBlock = text.slice(text.indexOf(refFirst), text.indexOf(refSecond));
    expect(firstBlock.indexOf('メンション')).toBeLessThan(firstBlock.indexOf('対話中'));
    expect(firstBlock.indexOf('対話中')).toBeLessThan(firstBlock.indexOf('審査中'));
    expect(firstBlock).toContain(`${BASE}/proposer/proposals/${first.proposalId}`);
    expect(text).toContain(`${BASE}/proposer/proposals/${second.proposalId}`);
    expect(text).not.toContain('資料をお願いします');
    for (const field of CONTENT_FIELDS) expect(text).not.toContain(field);
    expect((await noticesOf(c.a.member.id)).every((n) => n.mailOutcome === 'DIGEST' && n.mailDecidedAt !== null)).toBe(true);

    // The declined section's person: no digest at all, the item recorded as NO_ACCESS.
    expect(await em().count(MailMessage, { to: c.a.staffB.email })).toBe(0);
    expect((await noticesOf(c.a.staffB.id)).map((n) => n.mailOutcome)).toEqual(['NO_ACCESS']);
    // A second run the same day sends nothing more.
    await runDailyDigests({ orm: server.db.orm, publicBaseUrl: BASE, digestHour: 8 }, at);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await caughtFor(c.a.member.email)).toHaveLength(1);
  });
});

describe('mail preferences', () => {
  it('list every kind with its default until chosen', async () => {
    const c = await cast(server);
    const prefs = (await c.s.staffA.ok(MY_PREFERENCES)).myMailPreferences;
    expect(prefs).toEqual([
      { kind: 'MENTION', delivery: 'IMMEDIATE', isDefault: true },
      { kind: 'REPLY', delivery: 'IMMEDIATE', isDefault: true },
      { kind: 'THREAD_MESSAGE', delivery: 'DAILY', isDefault: true },
      { kind: 'PROPOSAL_STATE', delivery: 'DAILY', isDefault: true },
      { kind: 'STAGE_OVER_TARGET', delivery: 'IMMEDIATE', isDefault: true },
      { kind: 'REPORT_DUE', delivery: 'IMMEDIATE', isDefault: true },
    ]);
    await c.s.staffA.ok(SET_PREFERENCE, { k: 'THREAD_MESSAGE', d: 'IMMEDIATE' });
    const again = (await c.s.staffA.ok(SET_PREFERENCE, { k: 'THREAD_MESSAGE', d: 'NONE' })).setMailPreference;
    expect(again.find((x: { kind: string }) => x.kind === 'THREAD_MESSAGE')).toEqual({ kind: 'THREAD_MESSAGE', delivery: 'NONE', isDefault: false });
    // Each person's own: another's are untouched.
    expect((await c.s.staffB.ok(MY_PREFERENCES)).myMailPreferences.every((x: { isDefault: boolean }) => x.isDefault)).toBe(true);
  });

  it('are refused to the signed-out with UNAUTHENTICATED, and a bad kind or delivery with BAD_USER_INPUT', async () => {
    const anonymous = new HttpSession(server.httpUrl);
    for (const [query, variables] of [
      [MY_PREFERENCES, {}],
      [SET_PREFERENCE, { k: 'MENTION', d: 'NONE' }],
    ] as const) {
      const result = await anonymous.request(query, variables);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const c = await cast(server);
    const bad = await c.s.member.request(SET_PREFERENCE, { k: 'MENTION', d: 'WEEKLY' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
