import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Access, subscribeWithAccess } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { CHALLENGE_FIELDS, challengeFieldByCode } from './challenge-fields.js';
import { Challenge } from './challenge.entity.js';
import { ChallengeFilter, ChallengeInput } from './challenge.input.js';
import { canEditChallenge, canTransitionChallenge, visibilityFactsOf } from './challenge.policy.js';
import { createChallenge, findVisibleChallenge, listChallenges, transitionChallenge, updateChallenge } from './challenge.service.js';
import { ChallengeAbilities, ChallengeConnection, ChallengeEvent, ChallengeField } from './challenge.types.js';
import { challengeEventStream } from './challenge-events.subscription.js';

@Resolver(() => Challenge)
export class ChallengeResolver {
  @Access('public')
  @Query(() => ChallengeConnection, { description: 'Challenges the viewer may see (the public: published, not drafts), newest first' })
  challenges(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => ChallengeFilter, { nullable: true }) filter: ChallengeFilter | null,
  ): Promise<ChallengeConnection> {
    return listChallenges(ctx.em, ctx.viewer, first, after, filter);
  }

  @Access('public')
  @Query(() => Challenge, { nullable: true, description: 'Null when it does not exist or the viewer may not see it' })
  challenge(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Challenge | null> {
    return findVisibleChallenge(ctx.em, ctx.viewer, id);
  }

  @Access('public')
  @Query(() => [ChallengeField], { description: 'The catalogue of fields (分野)' })
  challengeFields(): ChallengeField[] {
    return CHALLENGE_FIELDS.map((field) => ({ ...field }));
  }

  @Access('desk')
  @Mutation(() => Challenge, { description: 'Creates a draft. A retry with the same idempotencyKey returns the first result.' })
  createChallenge(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => ChallengeInput) input: ChallengeInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
  ): Promise<Challenge> {
    return createChallenge(ctx.em, ctx.viewer, input, idempotencyKey);
  }

  @Access('desk')
  @Mutation(() => Challenge, { description: 'A stale expectedVersion is a CONFLICT' })
  updateChallenge(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('input', () => ChallengeInput) input: ChallengeInput,
  ): Promise<Challenge> {
    return updateChallenge(ctx.em, ctx.viewer, id, expectedVersion, input);
  }

  @Access('desk')
  @Mutation(() => Challenge, { description: 'Starts taking proposals (受付開始); also reopens a closed one' })
  openChallenge(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Challenge> {
    return transitionChallenge(ctx.em, ctx.viewer, id, expectedVersion, 'open');
  }

  @Access('desk')
  @Mutation(() => Challenge, { description: 'Stops taking proposals (受付終了)' })
  closeChallenge(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Challenge> {
    return transitionChallenge(ctx.em, ctx.viewer, id, expectedVersion, 'close');
  }

  @Access('desk')
  @Mutation(() => Challenge, { description: 'Shows it to the public; needs an owning section' })
  publishChallenge(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Challenge> {
    return transitionChallenge(ctx.em, ctx.viewer, id, expectedVersion, 'publish');
  }

  @Access('desk')
  @Mutation(() => Challenge, { description: 'Withdraws it from the public, with a reason (kept in the audit trail)' })
  unpublishChallenge(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('reason', () => String) reason: string,
  ): Promise<Challenge> {
    return transitionChallenge(ctx.em, ctx.viewer, id, expectedVersion, 'unpublish', reason);
  }

  @Access('public')
  @Subscription(() => ChallengeEvent, {
    description: 'Live changes to challenges the viewer may see. Pass the last cursor seen as `after` to receive what was missed.',
    subscribe: subscribeWithAccess<{ after?: string | null }>((context, args) => challengeEventStream(context, args.after)),
  })
  challengeEvents(@Root() event: ChallengeEvent, @Arg('after', () => String, { nullable: true }) _after: string | null): ChallengeEvent {
    return event;
  }

  @FieldResolver(() => [ChallengeField])
  fields(@Root() challenge: Challenge): ChallengeField[] {
    return challenge.fieldCodes.flatMap((code) => {
      const field = challengeFieldByCode(code);
      return field ? [{ ...field }] : [];
    });
  }

  @FieldResolver(() => ChallengeAbilities)
  viewerCan(@Root() challenge: Challenge, @Ctx() ctx: RequestContext): ChallengeAbilities {
    const facts = visibilityFactsOf(challenge);
    return {
      edit: canEditChallenge(ctx.viewer),
      open: canTransitionChallenge(ctx.viewer, facts, 'open'),
      close: canTransitionChallenge(ctx.viewer, facts, 'close'),
      publish: canTransitionChallenge(ctx.viewer, facts, 'publish'),
      unpublish: canTransitionChallenge(ctx.viewer, facts, 'unpublish'),
    };
  }
}
