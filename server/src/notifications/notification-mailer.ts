import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { transact } from '../events/transaction.js';
import type { Logger } from '../logging/logger.js';
import { enqueueMail } from '../mail/mail-outbox.js';
import { background } from './background-sql.js';
import { BackgroundJob } from '../shared/background-job.js';
import { mayMail, PENDING_NOTICE_COLUMNS, pendingNoticeOf, readMailAccess, type MailAccess, type PendingNotice, type PendingRow } from './mail-access.js';
import { readDeliveries } from './mail-preferences.read.js';
import { onNotificationsCreated } from './mail-wake.js';
import { MailDelivery } from './notification-preference.entity.js';
import { immediateMail, type MailItem } from './notification-mail.js';
import { proposalLinkFor } from './notification.policy.js';

/** What the mailer decided for a notification (notification.mail_outcome). */
export enum MailOutcome {
  IMMEDIATE = 'IMMEDIATE',
  /** Waiting for (mail_decided_at null) or taken by (set) the person's daily digest. */
  DIGEST = 'DIGEST',
  NONE = 'NONE',
  NO_ACCESS = 'NO_ACCESS',
}

const BATCH = 20;

/** The mail item of a notice the recipient may see now; null when they may not. */
export function mailItemFor(access: MailAccess, notice: PendingNotice, publicBaseUrl: string): { to: string; item: MailItem } | null {
  const allowed = mayMail(access, notice);
  if (!allowed) return null;
  const path = proposalLinkFor(allowed.recipient.viewer, allowed.proposal.id);
  if (!path) return null;
  const { id, title, referenceNumber } = allowed.proposal;
  return {
    to: allowed.recipient.email,
    item: {
      kind: notice.kind,
      createdAt: notice.createdAt,
      actorName: notice.actorId ? (access.actorNames.get(notice.actorId) ?? null) : null,
      proposalState: notice.proposalState,
      proposal: { id, title, referenceNumber },
      link: `${publicBaseUrl}${path}`,
    },
  };
}

/**
 * Records outcomes, one statement per outcome. `decidedAt` is set on every one, except that a
 * DIGEST from the mailer stays undecided (null) until the digest takes it (`digestTaken`).
 */
export async function recordOutcomes(tx: EntityManager, outcomes: ReadonlyMap<string, MailOutcome>, decidedAt: Date, digestTaken = false): Promise<void> {
  const byOutcome = new Map<MailOutcome, string[]>();
  for (const [id, outcome] of outcomes) byOutcome.set(outcome, [...(byOutcome.get(outcome) ?? []), id]);
  for (const [outcome, ids] of byOutcome) {
    const decided = outcome === MailOutcome.DIGEST && !digestTaken ? null : decidedAt;
    await tx.execute(background(`update notification set mail_outcome = ?, mail_decided_at = ? where id in (${ids.map(() => '?').join(', ')})`), [outcome, decided, ...ids], 'run');
  }
}

/**
 * One batch of the mailer, in one transaction: takes undecided notifications (`for update skip
 * locked`: two instances never take the same one), and decides each as the database is now —
 * NO_ACCESS when the recipient can no longer see what it points at, else by their preference:
 * IMMEDIATE enqueues the mail in this transaction (the mail exists exactly when the decision
 * commits), DAILY leaves it for the digest, NONE sends nothing. Returns how many it decided.
 */
export async function decideNotificationMail(orm: MikroORM, publicBaseUrl: string, limit = BATCH): Promise<number> {
  return transact(orm.em.fork(), async (tx, events) => {
    const rows = await tx.execute<PendingRow[]>(
      background(`select ${PENDING_NOTICE_COLUMNS} from notification n where n.mail_decided_at is null and n.mail_outcome is null order by n.created_at limit ? for update skip locked`),
      [limit],
    );
    const notices = rows.map(pendingNoticeOf);
    if (notices.length === 0) return 0;
    const access = await readMailAccess(tx, notices);
    const deliveryOf = await readDeliveries(tx, [...access.recipients.keys()]);
    const outcomes = new Map<string, MailOutcome>();
    for (const notice of notices) {
      const mail = mailItemFor(access, notice, publicBaseUrl);
      if (!mail) {
        outcomes.set(notice.id, MailOutcome.NO_ACCESS);
        continue;
      }
      const delivery = deliveryOf(notice.recipientId, notice.kind);
      if (delivery === MailDelivery.IMMEDIATE) enqueueMail(tx, events, { ...immediateMail(mail.to, mail.item), notificationIds: [notice.id] });
      outcomes.set(notice.id, delivery === MailDelivery.IMMEDIATE ? MailOutcome.IMMEDIATE : delivery === MailDelivery.DAILY ? MailOutcome.DIGEST : MailOutcome.NONE);
    }
    await recordOutcomes(tx, outcomes, new Date());
    return notices.length;
  });
}

/** The mailer of this process: woken after a commit that notified someone, and every few seconds for other instances' notifications. */
export function notificationMailerJob(options: { orm: MikroORM; publicBaseUrl: string; logger: Logger; pollMs?: number }): BackgroundJob {
  return new BackgroundJob({
    name: 'notification-mailer',
    everyMs: options.pollMs ?? 5_000,
    pass: async () => (await decideNotificationMail(options.orm, options.publicBaseUrl)) === BATCH,
    logger: options.logger,
    wakeOn: onNotificationsCreated,
  });
}
