import { Ctx, Query, Resolver } from 'type-graphql';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { encodeCursor } from './event-position.js';

@Resolver()
export class EventCursorResolver {
  @Access('public')
  @Query(() => String, {
    description: 'The current position of the live event streams. Ask for it with the data you display and pass it as `after` when subscribing: nothing that happens in between is missed.',
  })
  async liveCursor(@Ctx() ctx: RequestContext): Promise<string> {
    return encodeCursor(await ctx.feed.head());
  }
}
