import type { MikroORM } from '@mikro-orm/postgresql';
import { transact } from '../events/transaction.js';
import type { Logger } from '../logging/logger.js';
import { enqueueMail } from '../mail/mail-outbox.js';
import { background } from './background-sql.js';
import { BackgroundJob } from '../shared/background-job.js';
import { PENDING_NOTICE_COLUMNS, pendingNoticeOf, readMailAccess, type PendingRow } from './mail-access.js';
import { readDeliveries } from './mail-preferences.read.js';
import { MailDelivery } from './notification-preference.entity.js';
import { digestMail, type MailItem } from './notification-mail.js';
import { mailItemFor, MailOutcome, recordOutcomes } from './notification-mailer.js';

const JST_OFFSET_MS = 9 * 3_600_000;

/** The Tokyo date (YYYY-MM-DD) and hour of an instant. */
export function tokyoDateAndHour(at: Date): { date: string; hour: number } {
  const tokyo = new Date(at.getTime() + JST_OFFSET_MS);
  return { date: tokyo.toISOString().slice(0, 10), hour: tokyo.getUTCHours() };
}

export interface DigestOptions {
  orm: MikroORM;
  publicBaseUrl: string;
  /** The Tokyo hour (0–23) from which the day's digests go out. */
  digestHour: number;
}

/**
 * One person's digest for `date`, in one transaction. The MailDigest row is inserted first: a
 * second instance doing the same waits on it and then finds it taken, so a day's digest is sent
 * once. Then their pending items are read under lock, each re-checked as the database is now
 * (access, and a preference changed to NONE meanwhile; one changed to IMMEDIATE still comes in
 * the digest, since it was already waiting for it), mailed together and marked decided.
 * Returns whether this run sent it.
 */
async function sendDigestOf(options: DigestOptions, accountId: string, date: string): Promise<boolean> {
  return transact(options.orm.em.fork(), async (tx, events) => {
    const won = await tx.execute<Array<{ account_id: string }>>(
      background('insert into mail_digest (account_id, digest_date, item_count, sent_at) values (?, ?, 0, now()) on conflict do nothing returning account_id'),
      [accountId, date],
    );
    if (won.length === 0) return false;
    const rows = await tx.execute<PendingRow[]>(
      background(`select ${PENDING_NOTICE_COLUMNS} from notification n where n.recipient_id = ? and n.mail_decided_at is null and n.mail_outcome = ? order by n.created_at desc for update`),
      [accountId, MailOutcome.DIGEST],
    );
    const notices = rows.map(pendingNoticeOf);
    const access = await readMailAccess(tx, notices);
    const deliveryOf = await readDeliveries(tx, [accountId]);
    const outcomes = new Map<string, MailOutcome>();
    const items: MailItem[] = [];
    const carried: string[] = [];
    let to: string | null = null;
    for (const notice of notices) {
      const mail = mailItemFor(access, notice, options.publicBaseUrl);
      if (!mail) outcomes.set(notice.id, MailOutcome.NO_ACCESS);
      else if (deliveryOf(accountId, notice.kind) === MailDelivery.NONE) outcomes.set(notice.id, MailOutcome.NONE);
      else {
        outcomes.set(notice.id, MailOutcome.DIGEST);
        items.push(mail.item);
        carried.push(notice.id);
        to = mail.to;
      }
    }
    if (to && items.length > 0) enqueueMail(tx, events, { ...digestMail(to, date, items), notificationIds: carried });
    await recordOutcomes(tx, outcomes, new Date(), true);
    await tx.execute(background('update mail_digest set item_count = ? where account_id = ? and digest_date = ?'), [items.length, accountId, date], 'run');
    return true;
  });
}

/**
 * The day's digests, as of `now` (injected: tests pass their own clock): nothing before the
 * digest hour in Tokyo; from then on, one digest for each person with pending DAILY items who has
 * not had today's. Returns how many this run sent.
 */
export async function runDailyDigests(options: DigestOptions, now: Date): Promise<number> {
  const { date, hour } = tokyoDateAndHour(now);
  if (hour < options.digestHour) return 0;
  const people = await options.orm.em.fork().execute<Array<{ recipient_id: string }>>(
    background(`select distinct n.recipient_id from notification n
      where n.mail_decided_at is null and n.mail_outcome = ?
        and not exists (select 1 from mail_digest d where d.account_id = n.recipient_id and d.digest_date = ?)`),
    [MailOutcome.DIGEST, date],
  );
  let sent = 0;
  for (const { recipient_id } of people) if (await sendDigestOf(options, recipient_id, date)) sent += 1;
  return sent;
}

/** Checks once a minute whether today's digests are due. */
export function mailDigestJob(options: DigestOptions & { logger: Logger; clock?: () => Date }): BackgroundJob {
  const clock = options.clock ?? (() => new Date());
  return new BackgroundJob({
    name: 'mail-digest',
    everyMs: 60_000,
    firstAfterMs: 5_000,
    pass: async () => {
      await runDailyDigests(options, clock());
      return false;
    },
    logger: options.logger,
  });
}
