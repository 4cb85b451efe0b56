import { Arg, Ctx, ID, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import { Access, subscribeWithAccess } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { viewerForToken } from '../identity/session.service.js';
import { workspacePresenceStream } from './presence-events.subscription.js';
import { presenceTiming } from './presence-timing.js';
import { signalTyping } from './presence.service.js';
import { WorkspacePresenceEvent } from './presence.types.js';

/** Who is on a proposal's workspace now, and who is typing (入力中) in which thread. */
@Resolver()
export class PresenceResolver {
  @Access('signedIn')
  @Mutation(() => Boolean, {
    description:
      'The viewer is typing in a thread of a proposal whose workspace they have open. False when ignored (the workspace is not open, or the same signal came within 2 s). NOT_FOUND for a proposal or thread outside the viewer’s audience.',
  })
  signalTyping(@Ctx() ctx: RequestContext, @Arg('proposalId', () => ID) proposalId: string, @Arg('threadId', () => ID) threadId: string): Promise<boolean> {
    return signalTyping(ctx.em, (tx) => viewerForToken(tx, ctx.sessionToken, ctx.config, { touch: false }), proposalId, threadId, presenceTiming());
  }

  @Access('signedIn')
  @Subscription(() => WorkspacePresenceEvent, {
    description: 'Who is on a proposal’s workspace now and who types where. While open, the viewer is shown as present; the first event is the viewer’s own arrival. Ends (NOT_FOUND) when the viewer can no longer see the proposal.',
    subscribe: subscribeWithAccess<{ proposalId: string }>((context, args) => workspacePresenceStream(context, args.proposalId)),
  })
  workspacePresence(@Root() event: WorkspacePresenceEvent, @Arg('proposalId', () => ID) _proposalId: string): WorkspacePresenceEvent {
    return event;
  }
}
