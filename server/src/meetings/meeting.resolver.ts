import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import DataLoader from 'dataloader';
import { NotFoundError } from '../errors/domain-errors.js';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { proposalActorFacts, proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposals } from '../proposals/proposal.service.js';
import { Audience } from '../shared/audience.js';
import { Meeting } from './meeting.entity.js';
import { MeetingInput, ScheduleMeetingInput } from './meeting.input.js';
import { canChangeMeeting, canEditMinutes, canScheduleMeeting } from './meeting.policy.js';
import { cancelMeeting, findVisibleMeeting, meetingParticipantCandidates, meetingsOfProposals, participantsOfMeetings, scheduleMeeting, updateMeeting } from './meeting.service.js';
import { MeetingAbilities, MeetingPerson, MeetingProposal, ProposalMeetingAbilities } from './meeting.types.js';

/**
 * Per-operation loaders, keyed by the operation's EntityManager (a subscription gets a fresh one
 * per event): the meetings of every proposal on a page, the participants of every meeting, and
 * the proposals of meetings (through the visibility rule), in one statement each.
 */
interface Loaders {
  meetings: DataLoader<string, Meeting[]>;
  participants: DataLoader<string, MeetingPerson[]>;
  proposals: DataLoader<string, Proposal | null>;
}
const loaders = new WeakMap<object, Loaders>();
function loadersFor(ctx: RequestContext): Loaders {
  const em = ctx.em;
  let found = loaders.get(em);
  if (!found) {
    found = {
      meetings: new DataLoader((proposalIds) => meetingsOfProposals(em, ctx.viewer, proposalIds)),
      participants: new DataLoader((meetingIds) => participantsOfMeetings(em, meetingIds)),
      proposals: new DataLoader((ids) => findVisibleProposals(em, ctx.viewer, ids)),
    };
    loaders.set(em, found);
  }
  return found;
}

/** A meeting is only ever read through a visible proposal: a missing one here means access ended meanwhile. */
async function proposalOf(meeting: Meeting, ctx: RequestContext): Promise<Proposal> {
  const proposal = await loadersFor(ctx).proposals.load(meeting.proposal.id);
  if (!proposal) throw new NotFoundError('Meeting');
  return proposal;
}

@Resolver(() => Meeting)
export class MeetingResolver {
  @Access('signedIn')
  @Query(() => Meeting, { nullable: true, description: 'One meeting; NOT_FOUND when it does not exist or the viewer may not see it (the two look the same)' })
  async meeting(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Meeting> {
    const meeting = await findVisibleMeeting(ctx.em, ctx.viewer, id);
    if (!meeting) throw new NotFoundError('Meeting');
    return meeting;
  }

  @Access('signedIn')
  @Query(() => [MeetingPerson], {
    description: 'Who may be invited to a meeting of this audience on the proposal (for the scheduling form): the desk and staff of ACCEPTED sections only',
  })
  meetingParticipantCandidates(@Ctx() ctx: RequestContext, @Arg('proposalId', () => ID) proposalId: string, @Arg('audience', () => Audience) audience: Audience): Promise<MeetingPerson[]> {
    return meetingParticipantCandidates(ctx.em, ctx.viewer, proposalId, audience);
  }

  @Access('signedIn')
  @Mutation(() => Meeting, {
    description:
      'Schedules a meeting (打合せ) on a proposal IN_DIALOGUE, AGREED or IN_PROGRESS: the desk or staff of an ACCEPTED section. Every participant gets an invitation with an .ics. A retry with the same idempotencyKey returns the first meeting.',
  })
  scheduleMeeting(
    @Ctx() ctx: RequestContext,
    @Arg('proposalId', () => ID) proposalId: string,
    @Arg('input', () => ScheduleMeetingInput) input: ScheduleMeetingInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
  ): Promise<Meeting> {
    return scheduleMeeting(ctx.em, ctx.config, ctx.viewer, proposalId, input, idempotencyKey);
  }

  @Access('signedIn')
  @Mutation(() => Meeting, { description: 'Reschedules or edits a meeting that has not started, and changes who is invited; the audience stays. Participants get the update, people taken off get a cancellation.' })
  updateMeeting(
    @Ctx() ctx: RequestContext,
    @Arg('meetingId', () => ID) meetingId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('input', () => MeetingInput) input: MeetingInput,
  ): Promise<Meeting> {
    return updateMeeting(ctx.em, ctx.config, ctx.viewer, meetingId, expectedVersion, input);
  }

  @Access('signedIn')
  @Mutation(() => Meeting, { description: 'Cancels a meeting that has not started, with a reason; every participant gets a cancellation' })
  cancelMeeting(
    @Ctx() ctx: RequestContext,
    @Arg('meetingId', () => ID) meetingId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('reason', () => String) reason: string,
  ): Promise<Meeting> {
    return cancelMeeting(ctx.em, ctx.config, ctx.viewer, meetingId, expectedVersion, reason);
  }

  @FieldResolver(() => MeetingProposal, { description: 'The proposal it is about: only what names it' })
  async proposal(@Root() meeting: Meeting, @Ctx() ctx: RequestContext): Promise<MeetingProposal> {
    const { id, title, referenceNumber } = await proposalOf(meeting, ctx);
    return { id, title, referenceNumber };
  }

  @FieldResolver(() => [MeetingPerson], { description: 'Who is invited: the desk, then section staff, then the proposer’s side, each by name' })
  participants(@Root() meeting: Meeting, @Ctx() ctx: RequestContext): Promise<MeetingPerson[]> {
    return loadersFor(ctx).participants.load(meeting.id);
  }

  @FieldResolver(() => MeetingAbilities)
  async viewerCan(@Root() meeting: Meeting, @Ctx() ctx: RequestContext): Promise<MeetingAbilities> {
    const proposal = await proposalOf(meeting, ctx);
    const facts = proposalActorFacts(proposal);
    const change = canChangeMeeting(ctx.viewer, facts, meeting, new Date());
    return { update: change, cancel: change, editMinutes: canEditMinutes(ctx.viewer, { proposal: proposalVisibilityFacts(proposal), audience: meeting.audience }) };
  }
}

/** The proposal's side: its meetings, for whoever sees the proposal (proposers: SHARED ones only). */
@Resolver(() => Proposal)
export class ProposalMeetingsResolver {
  @FieldResolver(() => [Meeting], { description: 'Its meetings (打合せ), soonest first; proposers see the SHARED ones only' })
  meetings(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<Meeting[]> {
    return loadersFor(ctx).meetings.load(proposal.id);
  }

  @FieldResolver(() => ProposalMeetingAbilities)
  viewerCanMeetings(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): ProposalMeetingAbilities {
    return { schedule: canScheduleMeeting(ctx.viewer, proposalActorFacts(proposal)) };
  }
}
