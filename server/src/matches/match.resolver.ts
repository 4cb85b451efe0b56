import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import DataLoader from 'dataloader';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { Proposal, ProposalState } from '../proposals/proposal.entity.js';
import { calendarDaysBetween } from '../proposals/proposal-reference.js';
import { findVisibleProposals } from '../proposals/proposal.service.js';
import { Section } from '../sections/section.entity.js';
import { Match, MatchState } from './match.entity.js';
import { canMakeLead, canReadMatchReason, canTransitionMatch } from './match.policy.js';
import { accountsByIds, assignDeskOwner, matchesOfProposals, matchProposal, sectionInbox, setLeadSection, transitionMatch } from './match.service.js';
import { isActiveMatchState } from './match.state.js';
import { MatchAbilities, MatchConnection, ProposalResponsibilities } from './match.types.js';

/**
 * Per-operation loaders, keyed by the operation's EntityManager (a subscription gets a fresh one
 * per event): the matches of every proposal on a page, the proposals of every match in an inbox,
 * and the desk owners, in one statement each.
 */
interface Loaders {
  matches: DataLoader<string, Match[]>;
  proposals: DataLoader<string, Proposal | null>;
  accounts: DataLoader<string, { id: string; displayName: string } | null>;
}
const loaders = new WeakMap<object, Loaders>();
function loadersFor(ctx: RequestContext): Loaders {
  const em = ctx.em;
  let found = loaders.get(em);
  if (!found) {
    found = {
      matches: new DataLoader((proposalIds) => matchesOfProposals(em, proposalIds)),
      // Read through the visibility rule: a match whose section lost access shows no proposal.
      proposals: new DataLoader((ids) => findVisibleProposals(em, ctx.viewer, ids)),
      accounts: new DataLoader((ids) => accountsByIds(em, ids)),
    };
    loaders.set(em, found);
  }
  return found;
}

@Resolver(() => Match)
export class MatchResolver {
  @Access('signedIn')
  @Query(() => MatchConnection, { description: 'The viewer’s section’s matches (所管課の受付箱), oldest first; by default the pending ones. Section staff only.' })
  sectionInbox(
    @Ctx() ctx: RequestContext,
    @Arg('states', () => [MatchState], { nullable: true, defaultValue: [MatchState.PENDING] }) states: MatchState[] | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('overTarget', () => Boolean, { nullable: true, description: 'true: only matches over their waiting target (the section’s answer, or for the accepted lead, the start of work); false: only the others' }) overTarget: boolean | null,
    @Arg('proposalStates', () => [ProposalState], { nullable: true, description: 'Only matches whose proposal is in one of these states (e.g. IN_PROGRESS)' }) proposalStates: ProposalState[] | null,
    @Arg('reportDue', () => Boolean, { nullable: true, description: 'true: only the lead’s matches whose report is due (in progress, agreed period ended, no report submitted); false: the others' }) reportDue: boolean | null,
  ): Promise<MatchConnection> {
    return sectionInbox(ctx.em, ctx.viewer, states ?? [MatchState.PENDING], first, after, { overTarget, proposalStates, reportDue });
  }

  @Access('desk')
  @Mutation(() => Proposal, {
    description: 'Matches a proposal in dialogue to sections (any departments) and names the lead among its matched sections. Sections already matched stay as they are.',
  })
  matchProposal(
    @Ctx() ctx: RequestContext,
    @Arg('proposalId', () => ID) proposalId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('sectionIds', () => [ID]) sectionIds: string[],
    @Arg('leadSectionId', () => ID) leadSectionId: string,
  ): Promise<Proposal> {
    return matchProposal(ctx.em, ctx.viewer, proposalId, expectedVersion, sectionIds, leadSectionId);
  }

  @Access('signedIn')
  @Mutation(() => Match, { description: 'The matched section takes the proposal on (staff of that section, while PENDING)' })
  acceptMatch(@Ctx() ctx: RequestContext, @Arg('matchId', () => ID) matchId: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Match> {
    return transitionMatch(ctx.em, ctx.viewer, matchId, expectedVersion, 'accept');
  }

  @Access('signedIn')
  @Mutation(() => Match, { description: 'The matched section declines, with a reason; its access to the proposal ends at once' })
  declineMatch(
    @Ctx() ctx: RequestContext,
    @Arg('matchId', () => ID) matchId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('reason', () => String) reason: string,
  ): Promise<Match> {
    return transitionMatch(ctx.em, ctx.viewer, matchId, expectedVersion, 'decline', reason);
  }

  @Access('desk')
  @Mutation(() => Match, { description: 'The desk removes a match, with a reason; the section’s access to the proposal ends at once' })
  withdrawMatch(
    @Ctx() ctx: RequestContext,
    @Arg('matchId', () => ID) matchId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('reason', () => String) reason: string,
  ): Promise<Match> {
    return transitionMatch(ctx.em, ctx.viewer, matchId, expectedVersion, 'withdraw', reason);
  }

  @Access('desk')
  @Mutation(() => Proposal, { description: 'Names another actively matched section the lead (主担当課)' })
  setLeadSection(
    @Ctx() ctx: RequestContext,
    @Arg('proposalId', () => ID) proposalId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('sectionId', () => ID) sectionId: string,
  ): Promise<Proposal> {
    return setLeadSection(ctx.em, ctx.viewer, proposalId, expectedVersion, sectionId);
  }

  @Access('desk')
  @Mutation(() => Proposal, { description: 'Names the desk member responsible for the proposal (担当者)' })
  assignDeskOwner(
    @Ctx() ctx: RequestContext,
    @Arg('proposalId', () => ID) proposalId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('accountId', () => ID) accountId: string,
  ): Promise<Proposal> {
    return assignDeskOwner(ctx.em, ctx.viewer, proposalId, expectedVersion, accountId);
  }

  @FieldResolver(() => Section)
  section(@Root() match: Match): Section {
    // Every read of matches joins the section and its department.
    return match.section;
  }

  @FieldResolver(() => Proposal, { nullable: true, description: 'Null when the viewer can no longer see the proposal (the match was declined or withdrawn)' })
  proposal(@Root() match: Match, @Ctx() ctx: RequestContext): Promise<Proposal | null> {
    return loadersFor(ctx).proposals.load(match.proposal.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why it was declined or withdrawn; the ward’s note, not shown to proposers' })
  reason(@Root() match: Match, @Ctx() ctx: RequestContext): string | null {
    return canReadMatchReason(ctx.viewer) ? match.reason : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Calendar days (Asia/Tokyo) it has waited, while PENDING' })
  ageInDays(@Root() match: Match): number | null {
    return match.state === MatchState.PENDING ? calendarDaysBetween(match.createdAt, new Date()) : null;
  }

  @FieldResolver(() => MatchAbilities)
  viewerCan(@Root() match: Match, @Ctx() ctx: RequestContext): MatchAbilities {
    const facts = { sectionId: match.section.id, state: match.state, lead: match.lead };
    return {
      accept: canTransitionMatch(ctx.viewer, facts, 'accept'),
      decline: canTransitionMatch(ctx.viewer, facts, 'decline'),
      withdraw: canTransitionMatch(ctx.viewer, facts, 'withdraw'),
      makeLead: canMakeLead(ctx.viewer, facts),
    };
  }
}

/** The proposal's side: its matches and its responsibility panel (役割分担), for whoever sees the proposal. */
@Resolver(() => Proposal)
export class ProposalMatchesResolver {
  @FieldResolver(() => [Match], { description: 'Every match of the proposal, oldest first, with its state' })
  matches(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<Match[]> {
    return loadersFor(ctx).matches.load(proposal.id);
  }

  @FieldResolver(() => ProposalResponsibilities)
  async responsibilities(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<ProposalResponsibilities> {
    const { matches, accounts } = loadersFor(ctx);
    const [all, owner] = await Promise.all([matches.load(proposal.id), proposal.deskOwner ? accounts.load(proposal.deskOwner.id) : Promise.resolve(null)]);
    const active = all.filter((match) => isActiveMatchState(match.state));
    const { name, contactName, contactEmail, contactPhone } = proposal.organisation;
    return {
      leadSection: active.find((match) => match.lead) ?? null,
      supportingSections: active.filter((match) => !match.lead),
      deskOwner: owner ? { id: owner.id, displayName: owner.displayName } : null,
      proposerContact: { organisationName: name, contactName, contactEmail, contactPhone },
    };
  }
}
