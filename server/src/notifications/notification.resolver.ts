import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Access, subscribeWithAccess } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { notificationEventStream } from './notification-events.subscription.js';
import { Notification } from './notification.entity.js';
import { notificationLoadersFor } from './notification.loaders.js';
import { proposalLinkFor } from './notification.policy.js';
import { countUnread, listNotifications, markNotificationsRead } from './notification.service.js';
import { NotificationConnection, NotificationEvent, NotificationProposal, NotificationThread } from './notification.types.js';

/** The in-app notification bell: each person's own notifications, live. */
@Resolver()
export class NotificationResolver {
  @Access('signedIn')
  @Query(() => NotificationConnection, { description: 'The signed-in person’s notifications, newest first' })
  notifications(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<NotificationConnection> {
    return listNotifications(ctx.em, ctx.feed, ctx.viewer, first, after);
  }

  @Access('signedIn')
  @Query(() => Int, { description: 'How many of the signed-in person’s notifications are unread' })
  unreadNotificationCount(@Ctx() ctx: RequestContext): Promise<number> {
    return countUnread(ctx.em, ctx.viewer);
  }

  @Access('signedIn')
  @Mutation(() => Int, { description: 'Marks some of the signed-in person’s notifications read (others’ ids are ignored). Returns how many stay unread.' })
  markNotificationsRead(@Ctx() ctx: RequestContext, @Arg('ids', () => [ID]) ids: string[]): Promise<number> {
    return markNotificationsRead(ctx.em, ctx.viewer, ids);
  }

  @Access('signedIn')
  @Mutation(() => Int, { description: 'Marks every notification of the signed-in person read. Returns how many stay unread (0).' })
  markAllNotificationsRead(@Ctx() ctx: RequestContext): Promise<number> {
    return markNotificationsRead(ctx.em, ctx.viewer, null);
  }

  @Access('signedIn')
  @Subscription(() => NotificationEvent, {
    description: 'The signed-in person’s notifications live (nobody else’s). Pass notifications.eventCursor (or the last event’s cursor) as `after`.',
    subscribe: subscribeWithAccess<{ after?: string | null }>((context, args) => notificationEventStream(context, args.after)),
  })
  notificationEvents(@Root() event: NotificationEvent, @Arg('after', () => String, { nullable: true }) _after: string | null): NotificationEvent {
    return event;
  }
}

/**
 * What a notification shows, read through the recipient's visibility now: names and places, never
 * content. Something the recipient can no longer see shows nothing of itself (null).
 */
@Resolver(() => Notification)
export class NotificationFieldsResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Who did it, by name: null for the system, and null once the recipient can no longer see the proposal' })
  async actorName(@Root() notification: Notification, @Ctx() ctx: RequestContext): Promise<string | null> {
    if (!notification.actorId) return null;
    const loaders = notificationLoadersFor(ctx);
    // Load both at once (one batch each); the name shows only while the proposal is visible.
    const [proposal, name] = await Promise.all([loaders.proposals.load(notification.proposal.id), loaders.actorNames.load(notification.actorId)]);
    return proposal ? name : null;
  }

  @FieldResolver(() => NotificationProposal, { nullable: true, description: 'The proposal, while the recipient can see it; null otherwise (表示できない提案)' })
  async proposal(@Root() notification: Notification, @Ctx() ctx: RequestContext): Promise<NotificationProposal | null> {
    const proposal = await notificationLoadersFor(ctx).proposals.load(notification.proposal.id);
    if (!proposal) return null;
    return { id: proposal.id, title: proposal.title, referenceNumber: proposal.referenceNumber, enteredState: (notification.proposalState as ProposalState | null) ?? null };
  }

  @FieldResolver(() => NotificationThread, { nullable: true, description: 'The thread, while the recipient may read it; null otherwise' })
  async thread(@Root() notification: Notification, @Ctx() ctx: RequestContext): Promise<NotificationThread | null> {
    if (!notification.thread) return null;
    return notificationLoadersFor(ctx).threads.load(notification.thread.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Where it opens in the app for the recipient’s role, while they can see the proposal' })
  async link(@Root() notification: Notification, @Ctx() ctx: RequestContext): Promise<string | null> {
    const proposal = await notificationLoadersFor(ctx).proposals.load(notification.proposal.id);
    return proposal ? proposalLinkFor(ctx.viewer, proposal.id) : null;
  }
}
