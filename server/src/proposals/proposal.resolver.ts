import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import DataLoader from 'dataloader';
import { Challenge } from '../challenges/challenge.entity.js';
import { canSeeChallenge, visibilityFactsOf } from '../challenges/challenge.policy.js';
import { Access, subscribeWithAccess } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { Account } from '../identity/account.entity.js';
import { Section } from '../sections/section.entity.js';
import { ProposalTransition } from './proposal-transition.entity.js';
import { calendarDaysBetween } from './proposal-reference.js';
import { Proposal } from './proposal.entity.js';
import { ProposalDraftInput, ProposalFilter, ProposalOrder, ProposalPledgesInput } from './proposal.input.js';
import { canEditDraft, canTransition, proposalFacts } from './proposal.policy.js';
import { createProposalDraft, findVisibleProposal, listProposals, saveProposalDraft, submitProposal, transitionProposal } from './proposal.service.js';
import { awaitingOf } from './proposal.state.js';
import { ProposalAbilities, ProposalAwaiting, ProposalConnection, ProposalEvent, ProposalOrganisation, ProposalTimelineEntry } from './proposal.types.js';
import { proposalEventStream } from './proposal-events.subscription.js';
import { isDesk } from '../identity/viewer.js';
import { partnershipLoadersFor } from '../partnerships/partnership.loaders.js';
import { AGREED_OR_LATER, canAddProgressNote, canRecordAgreement, canRecordAgreementDocument, canStartWork } from '../partnerships/partnership.policy.js';

/**
 * Per-operation loaders, keyed by the operation's EntityManager (a subscription gets a fresh one
 * per event): the sections and the timelines of every proposal on a page in one query each.
 */
interface Loaders {
  sections: DataLoader<string, Section | null>;
  timelines: DataLoader<string, ProposalTimelineEntry[]>;
}
const loaders = new WeakMap<object, Loaders>();
function loadersFor(ctx: RequestContext): Loaders {
  const em = ctx.em;
  let found = loaders.get(em);
  if (!found) {
    found = {
      sections: new DataLoader(async (ids) => {
        const sections = await em.find(Section, { id: { $in: [...ids] } }, { populate: ['department'] });
        const byId = new Map(sections.map((section) => [section.id, section]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
      timelines: new DataLoader(async (proposalIds) => {
        // Only called for proposals the viewer may see: the field resolver runs on visible ones.
        const rows = await em.find(ProposalTransition, { proposal: { $in: [...proposalIds] } }, { orderBy: { at: 'asc', id: 'asc' } });
        const actorIds = [...new Set(rows.map((row) => row.actorId))];
        const actors = actorIds.length ? await em.find(Account, { id: { $in: actorIds } }, { fields: ['id', 'displayName'] }) : [];
        const names = new Map(actors.map((actor) => [actor.id, actor.displayName]));
        return proposalIds.map((id) =>
          rows
            .filter((row) => row.proposal.id === id)
            .map((row) => ({ at: row.at, fromState: row.fromState, toState: row.toState, actorName: names.get(row.actorId) ?? '', reason: row.reason })),
        );
      }),
    };
    loaders.set(em, found);
  }
  return found;
}

@Resolver(() => Proposal)
export class ProposalResolver {
  @Access('public')
  @Query(() => Proposal, { nullable: true, description: 'Null when it does not exist or the viewer may not see it (the two look the same)' })
  proposal(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Proposal | null> {
    return findVisibleProposal(ctx.em, ctx.viewer, id);
  }

  @Access('public')
  @Query(() => ProposalConnection, {
    description: 'Proposals the viewer may see: a proposer, its organisation’s; the desk, every submitted one (the intake queue). The public sees none.',
  })
  proposals(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => ProposalFilter, { nullable: true }) filter: ProposalFilter | null,
    @Arg('order', () => ProposalOrder, { defaultValue: ProposalOrder.OLDEST_SUBMITTED_FIRST }) order: ProposalOrder,
  ): Promise<ProposalConnection> {
    return listProposals(ctx.em, ctx.viewer, first, after, filter, order);
  }

  @Access('signedIn')
  @Mutation(() => Proposal, { description: 'Starts a draft for the viewer’s organisation. A retry with the same idempotencyKey returns the first result.' })
  createProposalDraft(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => ProposalDraftInput) input: ProposalDraftInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
  ): Promise<Proposal> {
    return createProposalDraft(ctx.em, ctx.viewer, input, idempotencyKey);
  }

  @Access('signedIn')
  @Mutation(() => Proposal, { description: 'Autosave: incomplete content is accepted (only lengths and references are checked). A stale expectedVersion is a CONFLICT.' })
  saveProposalDraft(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('input', () => ProposalDraftInput) input: ProposalDraftInput,
  ): Promise<Proposal> {
    return saveProposalDraft(ctx.em, ctx.viewer, id, expectedVersion, input);
  }

  @Access('signedIn')
  @Mutation(() => Proposal, {
    description: 'Submits a complete draft with the pledges affirmed; the first submission gets a 受付番号. Pressed twice with one idempotencyKey: one submission.',
  })
  submitProposal(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('pledges', () => ProposalPledgesInput) pledges: ProposalPledgesInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
  ): Promise<Proposal> {
    return submitProposal(ctx.em, ctx.viewer, id, expectedVersion, pledges, idempotencyKey);
  }

  @Access('desk')
  @Mutation(() => Proposal, { description: 'Takes a submitted proposal into review (受付)' })
  acceptProposalForReview(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Proposal> {
    return transitionProposal(ctx.em, ctx.viewer, id, expectedVersion, 'acceptForReview');
  }

  @Access('desk')
  @Mutation(() => Proposal, { description: 'Returns it as out of scope (対象外), with a reason' })
  returnProposal(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('reason', () => String) reason: string,
  ): Promise<Proposal> {
    return transitionProposal(ctx.em, ctx.viewer, id, expectedVersion, 'return', reason);
  }

  @Access('desk')
  @Mutation(() => Proposal, { description: 'Sends it back to the proposer as a draft with a note (修正依頼); the submitted content is kept as a revision' })
  requestProposalChanges(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('note', () => String) note: string,
  ): Promise<Proposal> {
    return transitionProposal(ctx.em, ctx.viewer, id, expectedVersion, 'requestChanges', note);
  }

  @Access('desk')
  @Mutation(() => Proposal, { description: 'Moves a proposal under review into dialogue (対話)' })
  startProposalDialogue(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Proposal> {
    return transitionProposal(ctx.em, ctx.viewer, id, expectedVersion, 'startDialogue');
  }

  @Access('desk')
  @Mutation(() => Proposal, { description: 'Not realised (見送り), with a reason' })
  markProposalNotRealized(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('reason', () => String) reason: string,
  ): Promise<Proposal> {
    return transitionProposal(ctx.em, ctx.viewer, id, expectedVersion, 'markNotRealized', reason);
  }

  @Access('signedIn')
  @Mutation(() => Proposal, { description: 'Withdrawn by the proposer (取り下げ), at any point before AGREED' })
  withdrawProposal(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
  ): Promise<Proposal> {
    return transitionProposal(ctx.em, ctx.viewer, id, expectedVersion, 'withdraw', reason);
  }

  @Access('signedIn')
  @Subscription(() => ProposalEvent, {
    description: 'Live changes to proposals the viewer may see (the desk’s intake queue, a proposer’s home). Pass the last cursor seen as `after` to receive what was missed.',
    subscribe: subscribeWithAccess<{ after?: string | null }>((context, args) => proposalEventStream(context, args.after)),
  })
  proposalEvents(@Root() event: ProposalEvent, @Arg('after', () => String, { nullable: true }) _after: string | null): ProposalEvent {
    return event;
  }

  @FieldResolver(() => [Section], { description: 'Sections the proposer hopes to work with (希望する所管課)' })
  async hopedSections(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<Section[]> {
    const sections = await loadersFor(ctx).sections.loadMany(proposal.hopedSectionIds);
    return sections.filter((section): section is Section => section instanceof Section);
  }

  @FieldResolver(() => Challenge, { nullable: true, description: 'The challenge it answers, when the viewer may see that challenge' })
  challenge(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Challenge | null {
    const challenge = proposal.challenge;
    if (!challenge) return null;
    return canSeeChallenge(ctx.viewer, visibilityFactsOf(challenge)) ? challenge : null;
  }

  @FieldResolver(() => ProposalOrganisation)
  organisation(@Root() proposal: Proposal): ProposalOrganisation {
    const { id, name, kind } = proposal.organisation;
    return { id, name, kind };
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Calendar days (Asia/Tokyo) since the first submission; null if never submitted' })
  daysSinceSubmission(@Root() proposal: Proposal): number | null {
    return proposal.submittedAt ? calendarDaysBetween(proposal.submittedAt, new Date()) : null;
  }

  @FieldResolver(() => [ProposalTimelineEntry], { description: 'The audit trail: every transition with who, when, from, to and why' })
  timeline(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<ProposalTimelineEntry[]> {
    return loadersFor(ctx).timelines.load(proposal.id);
  }

  @FieldResolver(() => ProposalAwaiting)
  awaiting(@Root() proposal: Proposal): ProposalAwaiting {
    return ProposalAwaiting[awaitingOf(proposal.state)];
  }

  @FieldResolver(() => ProposalAbilities)
  async viewerCan(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<ProposalAbilities> {
    const facts = proposalFacts(proposal);
    // The form decides whether an agreement record is kept; read only once agreed (batched).
    const decision = AGREED_OR_LATER.includes(proposal.state) && isDesk(ctx.viewer) ? await partnershipLoadersFor(ctx).decisions.load(proposal.id) : null;
    const can = (transition: Parameters<typeof canTransition>[2]) => canTransition(ctx.viewer, facts, transition);
    return {
      edit: canEditDraft(ctx.viewer, facts),
      submit: can('submit'),
      withdraw: can('withdraw'),
      acceptForReview: can('acceptForReview'),
      return: can('return'),
      requestChanges: can('requestChanges'),
      startDialogue: can('startDialogue'),
      markNotRealized: can('markNotRealized'),
      recordAgreement: canRecordAgreement(ctx.viewer, facts),
      recordAgreementDocument: canRecordAgreementDocument(ctx.viewer, facts, decision?.form ?? null),
      startWork: canStartWork(ctx.viewer, facts),
      addProgressNote: canAddProgressNote(ctx.viewer, facts),
    };
  }
}
