import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ArrayType, type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * The mail outbox: one row per mail, written in the same transaction as the change that causes
 * it (enqueueMail), so a mail exists exactly when its change was committed: never lost, never
 * sent for a rolled-back change. The dispatcher sends it, then marks it sent; a failure keeps it
 * with a later nextAttemptAt. Bodies hold only what happened and a link, never protected content.
 */
@Entity({ tableName: 'mail_message' })
@Index({ name: 'mail_message_due_idx', expression: 'create index "mail_message_due_idx" on "mail_message" ("next_attempt_at") where "sent_at" is null and "failed_at" is null' })
export class MailMessage {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** What it is about: 'invitation', later the notification kinds. */
  @Property({ type: 'text' })
  kind: string;

  @Property({ type: 'text' })
  to: string;

  @Property({ type: 'text' })
  subject: string;

  @Property({ type: 'text' })
  textBody: string;

  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'integer' })
  attempts: Opt<number> = 0;

  @Property({ type: 'timestamptz' })
  nextAttemptAt: Opt<Date> = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Opt<Date> | null = null;

  /** Set when the dispatcher gives up (MAX_MAIL_ATTEMPTS); the row stays for the record. */
  @Property({ type: 'timestamptz', nullable: true })
  failedAt: Opt<Date> | null = null;

  /** An iCalendar object (RFC 5545) sent as a text/calendar part beside the text: meeting invitations. */
  @Property({ type: 'text', nullable: true })
  calendar: string | null = null;

  /**
   * The notifications this mail tells of (one, or a digest's). The dispatcher asks again, when it
   * sends, whether the recipient may still see them: a mail held back by an SMTP outage is not
   * sent to someone who lost access meanwhile.
   */
  @Property({ type: ArrayType, columnType: 'uuid[]', defaultRaw: "'{}'" })
  notificationIds: Opt<string[]> = [];

  /** The last failure as an error code and SMTP status only: never an address or a body. */
  @Property({ type: 'text', nullable: true })
  lastError: Opt<string> | null = null;

  constructor(kind: string, to: string, subject: string, textBody: string) {
    this.kind = kind;
    this.to = to;
    this.subject = subject;
    this.textBody = textBody;
  }
}
