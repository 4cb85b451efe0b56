import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Access, subscribeWithAccess } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { viewerForToken } from '../identity/session.service.js';
import { minutesEventStream } from './minutes-events.subscription.js';
import { minutesTiming } from './minutes-timing.js';
import { editMinutes, readMinutes, readPresence } from './minutes.service.js';
import { MinutesEditReceipt, MinutesEvent, MinutesPresent, MinutesSnapshot } from './minutes.types.js';

/** Live minutes (議事録) of a meeting, written together by everyone in its audience. */
@Resolver()
export class MinutesResolver {
  @Access('signedIn')
  @Query(() => MinutesSnapshot, { description: 'A meeting’s minutes now, with the cursor to subscribe after. NOT_FOUND outside the meeting’s audience, as for a missing meeting.' })
  meetingMinutes(@Ctx() ctx: RequestContext, @Arg('meetingId', () => ID) meetingId: string): Promise<MinutesSnapshot> {
    return readMinutes(ctx.em, ctx.feed, ctx.viewer, meetingId);
  }

  @Access('signedIn')
  @Query(() => [MinutesPresent], { description: 'Who has the meeting’s minutes open now' })
  minutesPresence(@Ctx() ctx: RequestContext, @Arg('meetingId', () => ID) meetingId: string): Promise<MinutesPresent[]> {
    return readPresence(ctx.em, ctx.viewer, meetingId, minutesTiming().staleMs);
  }

  @Access('signedIn')
  @Mutation(() => MinutesEditReceipt, {
    description:
      'Merges an edit of the minutes: a Yjs update (base64, at most 256 KiB) of the shared text `minutes`. Idempotent: sending an update again changes nothing. Refused for a cancelled meeting (CONFLICT ILLEGAL_STATE) and outside the audience (NOT_FOUND).',
  })
  editMinutes(@Ctx() ctx: RequestContext, @Arg('meetingId', () => ID) meetingId: string, @Arg('update', () => String) update: string): Promise<MinutesEditReceipt> {
    return editMinutes(ctx.em, (tx) => viewerForToken(tx, ctx.sessionToken, ctx.config), meetingId, update);
  }

  @Access('signedIn')
  @Subscription(() => MinutesEvent, {
    description: 'A meeting’s minutes live: edits by others and who is here. While open, the viewer is shown as present. Pass meetingMinutes.cursor (or the last event’s cursor) as `after`.',
    subscribe: subscribeWithAccess<{ meetingId: string; after?: string | null }>((context, args) => minutesEventStream(context, args.meetingId, args.after)),
  })
  minutesEvents(
    @Root() event: MinutesEvent,
    @Arg('meetingId', () => ID) _meetingId: string,
    @Arg('after', () => String, { nullable: true }) _after: string | null,
  ): MinutesEvent {
    return event;
  }
}
