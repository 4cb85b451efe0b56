import type { EntityManager } from '@mikro-orm/postgresql';
import type { MailMessage } from '../mail/mail-message.entity.js';
import { background } from './background-sql.js';
import { mayMail, pendingNoticeOf, PENDING_NOTICE_COLUMNS, readMailAccess, type PendingRow } from './mail-access.js';
import { MailOutcome } from './notification-mailer.js';

/**
 * Asked by the mail dispatcher in its sending transaction, for a mail that tells of notifications:
 * may the recipient still see every one of them? The mailer decided when the notification was
 * new; an SMTP outage can hold the mail for hours, and someone who lost access meanwhile (a
 * declined match, a left organisation, a disabled account) must get nothing. A digest with any
 * item no longer visible is dropped whole, and its still-visible items go back to wait for the
 * next digest: nothing is lost, nothing leaks.
 */
export async function recheckNotificationMail(tx: EntityManager, message: MailMessage): Promise<'SEND' | 'DROP'> {
  const ids = message.notificationIds;
  const rows = await tx.execute<Array<PendingRow & { mail_outcome: string | null }>>(
    background(`select ${PENDING_NOTICE_COLUMNS}, n.mail_outcome from notification n where n.id in (${ids.map(() => '?').join(', ')})`),
    [...ids],
  );
  const notices = rows.map(pendingNoticeOf);
  const access = await readMailAccess(tx, notices);
  const visible = notices.filter((notice) => mayMail(access, notice) !== null);
  if (visible.length === ids.length) return 'SEND';
  const waitAgain = rows.filter((row) => row.mail_outcome === MailOutcome.DIGEST && visible.some((notice) => notice.id === row.id)).map((row) => row.id);
  if (waitAgain.length > 0) {
    await tx.execute(background(`update notification set mail_decided_at = null where id in (${waitAgain.map(() => '?').join(', ')})`), waitAgain, 'run');
  }
  return 'DROP';
}
