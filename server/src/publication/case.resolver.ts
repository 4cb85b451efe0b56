import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { proposalActorFacts } from '../proposals/proposal.policy.js';
import { canChangeCaseConsent, canComposeCase, canPreviewCase, canPublishCase, canReadCase, canWithdrawCase, isCasePublisher } from './case.policy.js';
import { CaseInput } from './case.input.js';
import { caseLoadersFor } from './case.loaders.js';
import {
  caseComposerItems,
  casePublishBlockers,
  composeCase,
  giveCaseConsent,
  previewCase,
  publishCase,
  withdrawCase,
  withdrawCaseConsent,
} from './case.service.js';
import { caseBlockView, CaseComposerItem, CasePublishBlocker, publishedContentView, PublicCaseView, PublishedCaseContentView } from './case.types.js';
import type { PublicCase } from './public-case.entity.js';

function caseView(page: PublicCase, proposal: Proposal, ctx: RequestContext): PublicCaseView {
  const facts = proposalActorFacts(proposal);
  const consentable = canChangeCaseConsent(ctx.viewer, facts, page.state);
  return {
    id: page.id,
    state: page.state,
    title: page.title,
    summary: page.summary,
    blocks: page.blocks.map(caseBlockView),
    fieldCodes: page.fieldCodes,
    fiscalYear: page.fiscalYear,
    consentedAt: page.consentedAt,
    consentedBy: page.consentedBy,
    consentedByName: null,
    firstPublishedAt: page.firstPublishedAt,
    publishedAt: page.publishedAt,
    withdrawnAt: page.withdrawnAt,
    withdrawReason: page.withdrawReason,
    publishedContent: page.publishedContent ? publishedContentView(page.publishedContent) : null,
    version: page.version,
    proposalId: proposal.id,
    viewerCan: {
      manage: isCasePublisher(ctx.viewer, facts),
      preview: canPreviewCase(ctx.viewer, facts),
      compose: canComposeCase(ctx.viewer, facts, page.state),
      giveConsent: consentable && page.consentedAt === null,
      withdrawConsent: consentable && page.consentedAt !== null,
      publish: canPublishCase(ctx.viewer, facts, page.state),
      withdraw: canWithdrawCase(ctx.viewer, facts, page.state),
    },
  };
}

/** The public case page (事例): composing, consent, publication and withdrawal (issue 6, item 2). */
@Resolver(() => Proposal)
export class ProposalCaseResolver {
  @FieldResolver(() => PublicCaseView, {
    nullable: true,
    description: 'The case page (事例), draft included: for the desk, the proposing organisation and ACCEPTED sections; null for anyone else and until the desk composes one',
  })
  async publicCase(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<PublicCaseView | null> {
    // Only called on proposals the viewer may see (read through the visibility rule), matches loaded.
    if (!proposal.matches.isInitialized() || !canReadCase(ctx.viewer, proposalActorFacts(proposal))) return null;
    const page = await caseLoadersFor(ctx).cases.load(proposal.id);
    return page ? caseView(page, proposal, ctx) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer may compose the case page now: the desk, while REPORTED and the case is not PUBLISHED' })
  async viewerCanComposeCase(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<boolean> {
    if (!proposal.matches.isInitialized()) return false;
    const page = await caseLoadersFor(ctx).cases.load(proposal.id);
    return canComposeCase(ctx.viewer, proposalActorFacts(proposal), page?.state ?? null);
  }

  @Access('signedIn')
  @Query(() => PublishedCaseContentView, {
    nullable: true,
    description: 'What the public would see if the current draft were published (the same builder as publishing): for the desk and the proposing organisation; null otherwise or without a case. Items that cannot be published are left out (see casePublishBlockers).',
  })
  async casePreview(@Ctx() ctx: RequestContext, @Arg('proposalId', () => ID) proposalId: string): Promise<PublishedCaseContentView | null> {
    const content = await previewCase(ctx.em, ctx.viewer, proposalId);
    return content ? publishedContentView(content) : null;
  }

  @Access('signedIn')
  @Query(() => [CasePublishBlocker], { description: 'Why publishCase would refuse now (field and code, as its BAD_USER_INPUT would say); empty when publishable or not visible' })
  casePublishBlockers(@Ctx() ctx: RequestContext, @Arg('proposalId', () => ID) proposalId: string): Promise<CasePublishBlocker[]> {
    return casePublishBlockers(ctx.em, ctx.viewer, proposalId);
  }

  @Access('desk')
  @Query(() => [CaseComposerItem], { description: 'Every item the desk could place on the case page; protected ones are listed with protected: true and cannot be placed' })
  async caseComposerItems(@Ctx() ctx: RequestContext, @Arg('proposalId', () => ID) proposalId: string): Promise<CaseComposerItem[]> {
    const items = await caseComposerItems(ctx.em, ctx.viewer, proposalId);
    return items.map((item) => ({ block: caseBlockView(item.block), label: item.label, excerpt: item.excerpt, protected: item.protectionState !== null, protectionState: item.protectionState }));
  }

  @Access('desk')
  @Mutation(() => Proposal, { description: 'The desk creates or edits the DRAFT case page while REPORTED (not while PUBLISHED). Pass expectedVersion when one exists; a change clears the proposer’s consent.' })
  composeCase(
    @Ctx() ctx: RequestContext,
    @Arg('proposalId', () => ID) proposalId: string,
    @Arg('input', () => CaseInput) input: CaseInput,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion: number | null,
  ): Promise<Proposal> {
    return composeCase(ctx.em, ctx.viewer, proposalId, input, expectedVersion);
  }

  @Access('signedIn')
  @Mutation(() => Proposal, { description: 'A member of the proposing organisation consents to publication of the page as composed (公表への同意). Idempotent.' })
  giveCaseConsent(@Ctx() ctx: RequestContext, @Arg('proposalId', () => ID) proposalId: string, @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion: number | null): Promise<Proposal> {
    return giveCaseConsent(ctx.em, ctx.viewer, proposalId, expectedVersion);
  }

  @Access('signedIn')
  @Mutation(() => Proposal, { description: 'A member of the proposing organisation withdraws consent, until the page is published. Idempotent.' })
  withdrawCaseConsent(@Ctx() ctx: RequestContext, @Arg('proposalId', () => ID) proposalId: string): Promise<Proposal> {
    return withdrawCaseConsent(ctx.em, ctx.viewer, proposalId);
  }

  @Access('desk')
  @Mutation(() => Proposal, { description: 'The desk publishes the case page (consent, title, summary, items, fields; nothing protected): the proposal moves REPORTED → PUBLISHED' })
  publishCase(@Ctx() ctx: RequestContext, @Arg('proposalId', () => ID) proposalId: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Proposal> {
    return publishCase(ctx.em, ctx.viewer, proposalId, expectedVersion);
  }

  @Access('desk')
  @Mutation(() => Proposal, { description: 'The desk withdraws the case from the portal with a reason (公開取下げ): the proposal moves PUBLISHED → REPORTED' })
  withdrawCase(
    @Ctx() ctx: RequestContext,
    @Arg('proposalId', () => ID) proposalId: string,
    @Arg('reason', () => String) reason: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
  ): Promise<Proposal> {
    return withdrawCase(ctx.em, ctx.viewer, proposalId, reason, expectedVersion);
  }
}

@Resolver(() => PublicCaseView)
export class PublicCaseResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Who of the organisation consented' })
  async consentedByName(@Root() page: PublicCaseView, @Ctx() ctx: RequestContext): Promise<string | null> {
    return page.consentedBy ? caseLoadersFor(ctx).names.load(page.consentedBy) : null;
  }
}
