import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * DEVELOPMENT ONLY: a mail received by the local SMTP catcher (smtp-catcher.ts), which the
 * platform starts when SMTP_URL is not set. Desk staff read these in development mode
 * (Query.caughtMail); with SMTP_URL set nothing is written here.
 */
@Entity({ tableName: 'caught_mail' })
@Index({ properties: ['receivedAt'] })
export class CaughtMail {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The envelope recipients, comma-separated. */
  @Property({ type: 'text' })
  to: string;

  @Property({ type: 'text' })
  subject: string;

  @Property({ type: 'text' })
  text: string;

  /** The text/calendar part of an invitation (RFC 5545), as received. */
  @Property({ type: 'text', nullable: true })
  calendar: string | null = null;

  /** The Message-ID header, to tell a mail sent twice from two mails. */
  @Property({ type: 'text', nullable: true })
  messageId: string | null;

  @Property({ type: 'timestamptz' })
  receivedAt: Opt<Date> = new Date();

  constructor(to: string, subject: string, text: string, messageId: string | null, calendar: string | null = null) {
    this.to = to;
    this.subject = subject;
    this.text = text;
    this.messageId = messageId;
    this.calendar = calendar;
  }
}
