import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../graphql/connection.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { Notification } from './notification.entity.js';

@ObjectType({ description: 'Where a notification points: the proposal, shown only while the recipient can see it' })
export class NotificationProposal {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true, description: '受付番号, once submitted' })
  referenceNumber!: string | null;

  @Field(() => ProposalState, { description: 'For PROPOSAL_STATE: the state the proposal entered (not necessarily its state now)', nullable: true })
  enteredState!: ProposalState | null;
}

@ObjectType({ description: 'The thread a notification points at, shown only while the recipient may read it' })
export class NotificationThread {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;
}

@ObjectType()
export class NotificationEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Notification)
  node!: Notification;
}

@ObjectType({ description: 'The signed-in person’s notifications, newest first' })
export class NotificationConnection {
  @Field(() => [NotificationEdge])
  edges!: NotificationEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many of the person’s notifications are unread' })
  unreadCount!: number;

  @Field(() => String, { description: 'Taken before the list was read: pass it as `after` to notificationEvents' })
  eventCursor!: string;
}

export enum NotificationEventKind {
  /** A notification for the viewer was created: `notification` is it. */
  CREATED = 'CREATED',
  /** Some of the viewer's notifications were marked read (maybe in another tab). */
  READ = 'READ',
}
registerEnumType(NotificationEventKind, { name: 'NotificationEventKind' });

@ObjectType({ description: 'A live change to the signed-in person’s notifications' })
export class NotificationEvent {
  @Field(() => String, { description: 'Opaque position of this event; pass it back as `after` to resume after a reconnect' })
  cursor!: string;

  @Field(() => NotificationEventKind)
  kind!: NotificationEventKind;

  @Field(() => Notification, { nullable: true, description: 'CREATED: the new notification' })
  notification!: Notification | null;

  @Field(() => Int, { description: 'How many of the person’s notifications are unread now' })
  unreadCount!: number;
}
