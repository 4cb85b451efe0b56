import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import MailComposer from 'nodemailer/lib/mail-composer';
import { openDatabase } from '../db/orm.js';
import { transact } from '../events/transaction.js';
import { createLogger } from '../logging/logger.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { CaughtMail } from './caught-mail.entity.js';
import { MailDispatcher, describeMailError, retryDelayMs } from './mail-dispatcher.js';
import { MailMessage } from './mail-message.entity.js';
import { enqueueMail } from './mail-outbox.js';
import { calendarMethodOf, mailParts, parseMail } from './mime.js';
import { startSmtpCatcher, type SmtpCatcher } from './smtp-catcher.js';

const logger = createLogger('silent');
let db: TestDatabase;
let secondOrm: MikroORM;
let catcher: SmtpCatcher;

beforeAll(async () => {
  db = await createTestDatabase();
  // A second server instance: its own ORM and pool on the same database.
  secondOrm = await openDatabase(db.url, 5);
  catcher = await startSmtpCatcher(db.orm, logger);
});
afterAll(async () => {
  await catcher?.close();
  await secondOrm?.close();
  await db?.dispose();
});

describe('two dispatchers on one database', () => {
  it('deliver each message exactly once', async () => {
    const count = 40;
    await transact(db.orm.em.fork(), async (tx, events) => {
      for (let i = 0; i < count; i++) enqueueMail(tx, events, { kind: 'test', to: `twice-${i}@example.jp`, subject: `件名 ${i}`, text: `本文 ${i}` });
    });
    const options = { smtpUrl: catcher.url, from: 'Desk <desk@localhost>', retryBaseMs: 100, logger, pollMs: 200 };
    const first = new MailDispatcher({ ...options, orm: db.orm });
    const second = new MailDispatcher({ ...options, orm: secondOrm });
    first.start();
    second.start();
    try {
      const deadline = Date.now() + 20_000;
      while ((await db.orm.em.fork().count(MailMessage, { kind: 'test', sentAt: null })) > 0) {
        if (Date.now() > deadline) throw new Error('not all sent');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    const caught = await db.orm.em.fork().find(CaughtMail, { to: { $like: 'twice-%' } });
    expect(first.stats.sent + second.stats.sent).toBe(count);
    expect(caught).toHaveLength(count);
    expect(new Set(caught.map((m) => m.messageId)).size).toBe(count);
    const sent = await db.orm.em.fork().find(MailMessage, { kind: 'test' });
    expect(sent.every((m) => m.attempts === 1 && m.sentAt !== null)).toBe(true);
    expect(caught.find((m) => m.to === 'twice-7@example.jp')).toMatchObject({ subject: '件名 7', text: '本文 7' });
  });
});

describe('retries', () => {
  it('back off exponentially up to 60 × the base', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => retryDelayMs(n, 60_000) / 60_000)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('record a failure as a code and status, never the text (it can quote addresses)', () => {
    expect(describeMailError(Object.assign(new Error('Recipient command failed: 550 <x@example.jp> unknown'), { code: 'EENVELOPE', responseCode: 550 }))).toBe('EENVELOPE 550');
    expect(describeMailError(new Error('connect ECONNREFUSED'))).toBe('ERROR');
    expect(describeMailError({ code: 'weird <x@example.jp>' })).toBe('ERROR');
  });
});

describe('the catcher reads MIME', () => {
  it('decodes encoded-word subjects and quoted-printable / base64 Japanese bodies', () => {
    const qp = Buffer.from(
      'Subject: =?UTF-8?B?44CQ5p2/5qmL5Yy644CR?= =?UTF-8?Q?_=E6=8B=9B=E5=BE=85?=\r\nMessage-ID: <abc@renkei>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=E6=8B=9B=E5=BE=85=E3=81=97=E3=81=BE=E3=81=99=\r\n https://x/invitations/a=3Db\r\n',
    );
    expect(parseMail(qp)).toEqual({ subject: '【板橋区】 招待', text: '招待します https://x/invitations/a=b\n', calendar: null, messageId: '<abc@renkei>' });
    const b64 = Buffer.from(`Subject: plain\r\nContent-Type: multipart/alternative; boundary="xx"\r\n\r\n--xx\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from('板橋区').toString('base64')}\r\n--xx--\r\n`);
    expect(parseMail(b64)).toMatchObject({ subject: 'plain', text: '板橋区' });
  });
});

describe('calendar invitations', () => {
  const CALENDAR = [
    'BEGIN:VCALENDAR',
    'PRODID:-//Itabashi City//Renkei//JA',
    'VERSION:2.0',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    'UID:abc@renkei',
    'SEQUENCE:0',
    'DTSTAMP:20261124T090000Z',
    'DTSTART:20261201T010000Z',
    'DTEND:20261201T020000Z',
    'SUMMARY:打合せ',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

  it('are composed as multipart with the text and a text/calendar part whose method is the object’s METHOD, in UTF-8', async () => {
    const raw = await new MailComposer({ from: 'desk@localhost', to: 'a@example.jp', subject: '打合せ', ...mailParts({ textBody: '本文', calendar: CALENDAR }) }).compile().build();
    const head = raw.toString('latin1');
    expect(head).toMatch(/Content-Type: multipart\/mixed/);
    expect(head).toMatch(/Content-Type: multipart\/alternative/);
    expect(head).toMatch(/Content-Type: text\/plain; charset=utf-8/);
    expect(head).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/);
    const parsed = parseMail(raw);
    expect(parsed.text).toBe('本文');
    expect(parsed.calendar).toBe(CALENDAR);
    const cancel = CALENDAR.replace('METHOD:REQUEST', 'METHOD:CANCEL');
    expect(mailParts({ textBody: 'x', calendar: cancel }).icalEvent?.method).toBe('CANCEL');
    expect(calendarMethodOf(cancel)).toBe('CANCEL');
    expect(mailParts({ textBody: 'x', calendar: null })).toEqual({ text: 'x' });
  });

  it('reach the catcher, and the caught mail keeps the text and the VEVENT apart', async () => {
    const to = `invited-${Date.now()}@example.jp`;
    await transact(db.orm.em.fork(), async (tx, events) => {
      enqueueMail(tx, events, { kind: 'meeting-invitation', to, subject: '打合せのご案内', text: '本文です', calendar: CALENDAR });
    });
    const dispatcher = new MailDispatcher({ orm: db.orm, smtpUrl: catcher.url, from: 'Desk <desk@localhost>', retryBaseMs: 100, logger, pollMs: 200 });
    dispatcher.start();
    try {
      const deadline = Date.now() + 20_000;
      while (!(await db.orm.em.fork().findOne(CaughtMail, { to }))) {
        if (Date.now() > deadline) throw new Error('not caught');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await dispatcher.stop();
    }
    const caught = await db.orm.em.fork().findOneOrFail(CaughtMail, { to });
    expect(caught.text).toBe('本文です');
    expect(caught.calendar).toBe(CALENDAR);
    expect(caught.calendar).toContain('BEGIN:VEVENT');
  });
});
