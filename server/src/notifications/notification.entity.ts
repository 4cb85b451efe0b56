import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Proposal } from '../proposals/proposal.entity.js';
import { Message } from '../threads/message.entity.js';
import { Thread } from '../threads/thread.entity.js';

export enum NotificationKind {
  /** Someone @mentioned the recipient. */
  MENTION = 'MENTION',
  /** Someone replied to the recipient's message. */
  REPLY = 'REPLY',
  /** A new message in a thread the recipient follows. */
  THREAD_MESSAGE = 'THREAD_MESSAGE',
  /** A proposal the recipient is part of changed state. */
  PROPOSAL_STATE = 'PROPOSAL_STATE',
  /** A reminder: a stage the recipient is responsible for is over its target (滞留). */
  STAGE_OVER_TARGET = 'STAGE_OVER_TARGET',
  /** A reminder: the implementation report the recipient's section owes is due soon. */
  REPORT_DUE = 'REPORT_DUE',
}
registerEnumType(NotificationKind, { name: 'NotificationKind', description: 'Why the recipient is told' });

/**
 * An in-app notification (the bell) for one person. It names what happened and where — never
 * the content itself: what is shown is read through the recipient's current visibility when
 * listed, so a notification about something the recipient can no longer see shows nothing of it.
 */
@ObjectType({ description: 'An in-app notification for the signed-in person' })
@Entity({ tableName: 'notification' })
@Index({ properties: ['recipientId', 'readAt', 'createdAt'] })
@Index({ name: 'notification_mail_undecided_idx', expression: 'create index "notification_mail_undecided_idx" on "notification" ("created_at") where "mail_decided_at" is null' })
export class Notification {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  recipientId: string;

  @Field(() => NotificationKind)
  @Enum({ items: () => NotificationKind, nativeEnumName: 'notification_kind' })
  kind: NotificationKind;

  @ManyToOne(() => Proposal, { deleteRule: 'cascade' })
  proposal: Proposal;

  @ManyToOne(() => Thread, { nullable: true, deleteRule: 'cascade' })
  thread: Thread | null = null;

  @ManyToOne(() => Message, { nullable: true, deleteRule: 'cascade' })
  message: Message | null = null;

  /** Who did it (null for the system). */
  @Property({ type: 'uuid', nullable: true })
  actorId: string | null = null;

  /** For PROPOSAL_STATE: the state entered. */
  @Property({ type: 'text', nullable: true })
  proposalState: string | null = null;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  readAt: Date | null = null;

  /**
   * When the mail side was decided: sent at once, put in a digest, or not mailed (the person's
   * choice, or they could no longer see what it points at when the mail was due). Null while
   * undecided: the mailer takes undecided rows, so a crash between deciding and sending loses none.
   */
  @Property({ type: 'timestamptz', nullable: true })
  mailDecidedAt: Date | null = null;

  /** IMMEDIATE, DIGEST, NONE (the person's choice) or NO_ACCESS (recipients are computed when the mail is sent). */
  @Property({ type: 'text', nullable: true })
  mailOutcome: string | null = null;

  constructor(recipientId: string, kind: NotificationKind, proposal: Proposal) {
    this.recipientId = recipientId;
    this.kind = kind;
    this.proposal = proposal;
  }
}
