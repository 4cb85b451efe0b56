import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Access, subscribeWithAccess } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { Match } from '../matches/match.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { ageingOf, matchWait, mayWaitForStartOfWork, proposalWait } from './ageing.js';
import { ageingNowFor, proposalWaitLoaderFor, stageTargetLoaderFor } from './ageing.loaders.js';
import { canReadAgeing } from './ageing.policy.js';
import { listStageTargets, setStageTarget } from './ageing.service.js';
import { Ageing, StageTargetEvent } from './ageing.types.js';
import { stageTargetEventStream } from './ageing-events.subscription.js';
import { AgeingStage, StageTarget } from './stage-target.entity.js';

async function ageingFor(ctx: RequestContext, wait: { stage: AgeingStage; since: Date } | null): Promise<Ageing | null> {
  if (!wait || !canReadAgeing(ctx.viewer)) return null;
  const target = await stageTargetLoaderFor(ctx).load(wait.stage);
  return ageingOf(wait.stage, wait.since, target, ageingNowFor(ctx.em));
}

/** The desk's per-stage targets for ageing (滞留日数の目標): issue 4, item 6. */
@Resolver(() => StageTarget)
export class StageTargetResolver {
  @Access('signedIn')
  @Query(() => [StageTarget], { description: 'Every stage’s target in business days, for the desk and section staff' })
  stageTargets(@Ctx() ctx: RequestContext): Promise<StageTarget[]> {
    return listStageTargets(ctx.em, ctx.viewer);
  }

  @Access('desk')
  @Mutation(() => StageTarget, {
    description:
      'The desk sets a stage’s target: 1 to 365 business days; and, when remindEveryBusinessDays is given, how often (1 to 365 business days) to remind again once over it (null: remind once; omitted: unchanged). A stale expectedVersion is a CONFLICT.',
  })
  setStageTarget(
    @Ctx() ctx: RequestContext,
    @Arg('stage', () => AgeingStage) stage: AgeingStage,
    @Arg('businessDays', () => Int) businessDays: number,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('remindEveryBusinessDays', () => Int, { nullable: true }) remindEveryBusinessDays?: number | null,
  ): Promise<StageTarget> {
    return setStageTarget(ctx.em, ctx.viewer, stage, businessDays, expectedVersion, remindEveryBusinessDays);
  }

  @Access('signedIn')
  @Subscription(() => StageTargetEvent, {
    description: 'Changes to the stage targets (desk and section staff). Pass the last cursor seen as `after` to receive what was missed.',
    subscribe: subscribeWithAccess<{ after?: string | null }>((context, args) => stageTargetEventStream(context, args.after)),
  })
  stageTargetEvents(@Root() event: StageTargetEvent, @Arg('after', () => String, { nullable: true }) _after: string | null): StageTargetEvent {
    return event;
  }
}

@Resolver(() => Proposal)
export class ProposalAgeingResolver {
  @FieldResolver(() => Ageing, {
    nullable: true,
    description: 'How long its current stage has waited against the target (SUBMITTED, UNDER_REVIEW, IN_DIALOGUE, AGREED); null in other states and for proposers',
  })
  ageing(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<Ageing | null> {
    return ageingFor(ctx, proposalWait(proposal));
  }
}

@Resolver(() => Match)
export class MatchAgeingResolver {
  @FieldResolver(() => Ageing, {
    nullable: true,
    description:
      'While PENDING, how long it has waited for the section’s answer (MATCH_ANSWER); for the ACCEPTED lead match of an AGREED proposal, how long the start of the work has waited (START_OF_WORK); otherwise null, and null for proposers',
  })
  async ageing(@Root() match: Match, @Ctx() ctx: RequestContext): Promise<Ageing | null> {
    if (!canReadAgeing(ctx.viewer)) return null;
    const proposal = mayWaitForStartOfWork(match) ? await proposalWaitLoaderFor(ctx).load(match.proposal.id) : null;
    return ageingFor(ctx, matchWait(match, proposal));
  }
}
