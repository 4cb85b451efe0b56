import type { EntityManager } from '@mikro-orm/postgresql';
import { QueryOrder, type FilterQuery } from '@mikro-orm/core';
import type { Config } from '../config/env.js';
import { ConflictError, FieldErrors, ForbiddenError, NotFoundError } from '../errors/domain-errors.js';
import { transact, type EventRecorder } from '../events/transaction.js';
import { findIdempotentResult, rememberIdempotentResult, validateIdempotencyKey } from '../idempotency/idempotency.js';
import { Account, Role } from '../identity/account.entity.js';
import { peopleOf } from '../identity/person-view.js';
import type { AccountViewer, Viewer } from '../identity/viewer.js';
import { enqueueMail } from '../mail/mail-outbox.js';
import { Membership } from '../organisations/membership.entity.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { proposalActorFacts, proposalVisibilityFacts, proposalVisibilityFilter } from '../proposals/proposal.policy.js';
import { findVisibleProposal, PROPOSAL_TOPIC, type ProposalEventPayload } from '../proposals/proposal.service.js';
import { ProposalEventKind } from '../proposals/proposal.types.js';
import { Audience } from '../shared/audience.js';
import { isUuid } from '../shared/uuid.js';
import { meetingMail, type MeetingMailPerson, type MeetingMailReason } from './meeting-mail.js';
import { Meeting, MeetingParticipant, MeetingState } from './meeting.entity.js';
import type { MeetingInput, ScheduleMeetingInput } from './meeting.input.js';
import { canSeeMeeting, isEligibleParticipant, isMeetingScheduler, meetingAudienceFilter, MEETING_PROPOSAL_STATES } from './meeting.policy.js';
import type { MeetingPerson } from './meeting.types.js';
import { cleanCancelReason, validateMeetingInput, type CleanMeeting } from './meeting.validation.js';

type MailConfig = Pick<Config, 'publicBaseUrl' | 'mailFrom'>;

/**
 * What a meeting event carries on the proposal's stream: ids, the proposal's visibility facts and
 * the meeting's audience — the subscription withholds an INTERNAL meeting's events from proposers.
 * Never the meeting's content.
 */
export interface MeetingEventPayload extends ProposalEventPayload {
  meetingId: string;
  audience: Audience;
}

function record(events: EventRecorder, actor: AccountViewer, proposal: Proposal, kind: ProposalEventKind, meeting: Meeting): void {
  const facts = proposalVisibilityFacts(proposal);
  const payload: MeetingEventPayload = { before: facts, after: facts, meetingId: meeting.id, audience: meeting.audience };
  events.record({ topic: PROPOSAL_TOPIC, kind, aggregateId: proposal.id, actorId: actor.accountId, payload });
}

function signedIn(viewer: Viewer): AccountViewer {
  if (viewer.kind !== 'account') throw new ForbiddenError();
  return viewer;
}

function mailPerson(account: Account): MeetingMailPerson {
  return { name: account.displayName, email: account.email, role: account.role };
}

/** One mail per person, enqueued in the use case's transaction: sent only if the change commits. */
function sendMeetingMail(tx: EntityManager, events: EventRecorder, config: MailConfig, reason: MeetingMailReason, meeting: Meeting, to: readonly Account[], participants: readonly Account[]): void {
  const facts = {
    meetingId: meeting.id,
    proposalId: meeting.proposal.id,
    title: meeting.title,
    startsAt: meeting.startsAt,
    endsAt: meeting.endsAt,
    place: meeting.place,
    onlineUrl: meeting.onlineUrl,
    agenda: meeting.agenda,
    sequence: meeting.icsSequence,
    cancelReason: meeting.cancelReason,
    stamp: new Date(),
  };
  const everyone = participants.map(mailPerson);
  for (const account of to) enqueueMail(tx, events, meetingMail(reason, facts, mailPerson(account), everyone, config));
}

/**
 * The accounts chosen as participants, each checked against the proposal as it is now: unknown
 * ids are UNKNOWN_REFERENCE; anyone who may not take part (a disabled account, a section without
 * an active match, a proposer of another organisation, any proposer in an INTERNAL meeting) is
 * NOT_ACCEPTED. Returned in the order chosen.
 */
async function resolveParticipants(tx: EntityManager, proposal: Proposal, audience: Audience, ids: readonly string[]): Promise<Account[]> {
  const accounts = await tx.find(Account, { id: { $in: [...ids] } });
  const members = await tx.find(Membership, { account: { $in: [...ids] }, leftAt: null });
  const organisationOf = new Map(members.map((membership) => [membership.account.id, membership.organisation.id]));
  const facts = proposalVisibilityFacts(proposal);
  const errors = new FieldErrors();
  if (accounts.length !== ids.length) errors.add('participantIds', 'UNKNOWN_REFERENCE', 'No such account');
  const refused = accounts.filter(
    (account) =>
      !isEligibleParticipant(
        { role: account.role, disabled: account.disabledAt !== null, sectionId: account.section?.id ?? null, organisationId: organisationOf.get(account.id) ?? null },
        facts,
        audience,
      ),
  );
  if (refused.length > 0) errors.add('participantIds', 'NOT_ACCEPTED', 'Not everyone chosen may take part in this meeting');
  errors.throwIfAny();
  const byId = new Map(accounts.map((account) => [account.id, account]));
  return ids.map((id) => byId.get(id)!);
}

function applyContent(meeting: Meeting, clean: CleanMeeting): void {
  meeting.title = clean.title;
  meeting.startsAt = clean.startsAt;
  meeting.endsAt = clean.endsAt;
  meeting.place = clean.place;
  meeting.onlineUrl = clean.onlineUrl;
  meeting.agenda = clean.agenda;
}

/** A meeting the viewer may see, or null: missing and not allowed look the same. The audience rule and the proposal's are both in the SQL. */
export async function findVisibleMeeting(em: EntityManager, viewer: Viewer, id: string): Promise<Meeting | null> {
  if (!isUuid(id)) return null;
  const where: FilterQuery<Meeting> = { $and: [{ id }, meetingAudienceFilter(viewer), { proposal: proposalVisibilityFilter(viewer) }] };
  return em.findOne(Meeting, where);
}

/**
 * Loads a meeting for a change under its proposal's row lock (a match ending, or a second press of
 * the same button, waits for this commit), then checks in order: visibility (NOT_FOUND, the same as
 * missing), the actor (FORBIDDEN), the state (ILLEGAL_STATE: cancelled, started, or a proposal no
 * longer in a meeting state), the version (STALE_VERSION).
 */
async function loadMeetingForChange(tx: EntityManager, viewer: AccountViewer, meetingId: string, expectedVersion: number, now: Date): Promise<{ meeting: Meeting; proposal: Proposal }> {
  if (!isUuid(meetingId)) throw new NotFoundError('Meeting');
  const [row] = await tx.execute<Array<{ proposal_id: string }>>('select proposal_id from meeting where id = ?', [meetingId]);
  if (!row) throw new NotFoundError('Meeting');
  const proposal = await findVisibleProposal(tx, viewer, row.proposal_id, { forUpdate: true });
  const meeting = await tx.findOne(Meeting, { id: meetingId }, { populate: ['participants.account'] });
  if (!proposal || !meeting || !canSeeMeeting(viewer, { proposal: proposalVisibilityFacts(proposal), audience: meeting.audience })) throw new NotFoundError('Meeting');
  const facts = proposalActorFacts(proposal);
  if (!isMeetingScheduler(viewer, facts)) throw new ForbiddenError();
  if (meeting.state === MeetingState.CANCELLED) throw new ConflictError('ILLEGAL_STATE', 'A cancelled meeting cannot be changed');
  if (meeting.startsAt.getTime() <= now.getTime()) throw new ConflictError('ILLEGAL_STATE', 'A meeting that has started cannot be moved or cancelled');
  if (!MEETING_PROPOSAL_STATES.includes(facts.state)) throw new ConflictError('ILLEGAL_STATE', `No meetings are held on a proposal that is ${facts.state}`);
  if (meeting.version !== expectedVersion) {
    throw new ConflictError('STALE_VERSION', 'The meeting was changed by someone else since you loaded it', { currentVersion: meeting.version });
  }
  return { meeting, proposal };
}

// ---------------------------------------------------------------------------------------------
// Use cases

/**
 * Schedules a meeting (打合せ) on a proposal in dialogue, agreed or in progress: the desk or staff
 * of an ACCEPTED section. Every participant gets an invitation with its .ics, in the same
 * transaction. A retry with the same idempotencyKey returns the first meeting.
 */
export async function scheduleMeeting(em: EntityManager, config: MailConfig, viewer: Viewer, proposalId: string, input: ScheduleMeetingInput, idempotencyKey: string | null | undefined): Promise<Meeting> {
  const actor = signedIn(viewer);
  validateIdempotencyKey(idempotencyKey);
  const clean = validateMeetingInput(input, new Date());
  const answer = async (id: string): Promise<Meeting> => (await findVisibleMeeting(em.fork(), viewer, id)) ?? Promise.reject(new NotFoundError('Meeting'));
  const previous = await findIdempotentResult(em, actor.accountId, idempotencyKey, 'scheduleMeeting');
  if (previous) return answer(previous);
  const id = await transact(em, async (tx, events) => {
    const proposal = await findVisibleProposal(tx, viewer, proposalId, { forUpdate: true });
    if (!proposal) throw new NotFoundError('Proposal');
    const facts = proposalActorFacts(proposal);
    if (!isMeetingScheduler(viewer, facts)) throw new ForbiddenError();
    if (!MEETING_PROPOSAL_STATES.includes(facts.state)) throw new ConflictError('ILLEGAL_STATE', `Meetings are held while a proposal is in dialogue, agreed or in progress, not when it is ${facts.state}`);
    const participants = await resolveParticipants(tx, proposal, input.audience, clean.participantIds);
    const meeting = new Meeting(proposal, input.audience, actor.accountId);
    applyContent(meeting, clean);
    tx.persist(meeting);
    for (const account of participants) meeting.participants.add(new MeetingParticipant(meeting, account));
    rememberIdempotentResult(tx, actor.accountId, idempotencyKey, 'scheduleMeeting', meeting.id);
    record(events, actor, proposal, ProposalEventKind.MEETING_SCHEDULED, meeting);
    sendMeetingMail(tx, events, config, 'scheduled', meeting, participants, participants);
    return meeting.id;
  }).catch(async (error: unknown) => {
    // A concurrent request with the same key won the race: answer with its result.
    const winner = await findIdempotentResult(em.fork(), actor.accountId, idempotencyKey, 'scheduleMeeting').catch(() => null);
    if (winner) return winner;
    throw error;
  });
  return answer(id);
}

/**
 * Reschedules or edits a meeting that has not started, and changes who is invited. The audience
 * stays as it was scheduled. SEQUENCE goes up: participants get the new REQUEST, people taken off
 * the list get a CANCEL.
 */
export async function updateMeeting(em: EntityManager, config: MailConfig, viewer: Viewer, meetingId: string, expectedVersion: number, input: MeetingInput): Promise<Meeting> {
  const actor = signedIn(viewer);
  const now = new Date();
  const clean = validateMeetingInput(input, now);
  await transact(em, async (tx, events) => {
    const { meeting, proposal } = await loadMeetingForChange(tx, actor, meetingId, expectedVersion, now);
    const participants = await resolveParticipants(tx, proposal, meeting.audience, clean.participantIds);
    const chosen = new Set(participants.map((account) => account.id));
    const current = meeting.participants.getItems();
    const removed = current.filter((participant) => !chosen.has(participant.account.id));
    const kept = new Set(current.map((participant) => participant.account.id));
    for (const participant of removed) meeting.participants.remove(participant);
    for (const account of participants) if (!kept.has(account.id)) meeting.participants.add(new MeetingParticipant(meeting, account));
    applyContent(meeting, clean);
    meeting.icsSequence += 1;
    meeting.updatedAt = new Date();
    record(events, actor, proposal, ProposalEventKind.MEETING_UPDATED, meeting);
    sendMeetingMail(tx, events, config, 'updated', meeting, participants, participants);
    const removedAccounts = removed.map((participant) => participant.account);
    sendMeetingMail(tx, events, config, 'removed', meeting, removedAccounts, participants);
  });
  return (await findVisibleMeeting(em.fork(), viewer, meetingId)) ?? Promise.reject(new NotFoundError('Meeting'));
}

/** Cancels a meeting that has not started, with a reason. Every participant gets a CANCEL. */
export async function cancelMeeting(em: EntityManager, config: MailConfig, viewer: Viewer, meetingId: string, expectedVersion: number, reason: string | null | undefined): Promise<Meeting> {
  const actor = signedIn(viewer);
  const cleanReason = cleanCancelReason(reason);
  await transact(em, async (tx, events) => {
    const { meeting, proposal } = await loadMeetingForChange(tx, actor, meetingId, expectedVersion, new Date());
    meeting.state = MeetingState.CANCELLED;
    meeting.cancelReason = cleanReason;
    meeting.icsSequence += 1;
    meeting.updatedAt = new Date();
    record(events, actor, proposal, ProposalEventKind.MEETING_CANCELLED, meeting);
    const participants = meeting.participants.getItems().map((participant) => participant.account);
    sendMeetingMail(tx, events, config, 'cancelled', meeting, participants, participants);
  });
  return (await findVisibleMeeting(em.fork(), viewer, meetingId)) ?? Promise.reject(new NotFoundError('Meeting'));
}

// ---------------------------------------------------------------------------------------------
// Reads, batched

/**
 * The meetings of several proposals the viewer already sees, soonest first, with the audience
 * rule in the SQL (proposers get SHARED meetings only): one statement.
 */
export async function meetingsOfProposals(em: EntityManager, viewer: Viewer, proposalIds: readonly string[]): Promise<Meeting[][]> {
  const where: FilterQuery<Meeting> = { $and: [{ proposal: { $in: [...proposalIds] } }, meetingAudienceFilter(viewer)] };
  const rows = await em.find(Meeting, where, { orderBy: { startsAt: QueryOrder.ASC, id: QueryOrder.ASC } });
  const byProposal = new Map<string, Meeting[]>(proposalIds.map((id) => [id, []]));
  for (const row of rows) byProposal.get(row.proposal.id)?.push(row);
  return proposalIds.map((id) => byProposal.get(id) ?? []);
}

/** The participants of several meetings the viewer sees: the desk, then sections, then the proposer's side, by name. */
export async function participantsOfMeetings(em: EntityManager, meetingIds: readonly string[]): Promise<MeetingPerson[][]> {
  const rows = await em.find(MeetingParticipant, { meeting: { $in: [...meetingIds] } }, { populate: ['account.section.department'], orderBy: { account: { role: QueryOrder.ASC, displayName: QueryOrder.ASC }, id: QueryOrder.ASC } });
  const people = await peopleOf(
    em,
    rows.map((row) => row.account),
  );
  const byMeeting = new Map<string, MeetingPerson[]>(meetingIds.map((id) => [id, []]));
  for (const row of rows) byMeeting.get(row.meeting.id)?.push(people.get(row.account.id)!);
  return meetingIds.map((id) => byMeeting.get(id) ?? []);
}

/**
 * Who may be invited to a meeting of this audience on this proposal, for the scheduling form:
 * enabled desk staff, enabled staff of actively matched sections and, for SHARED, the proposing
 * organisation's enabled members. Only for those who schedule meetings on it.
 */
export async function meetingParticipantCandidates(em: EntityManager, viewer: Viewer, proposalId: string, audience: Audience): Promise<MeetingPerson[]> {
  const proposal = await findVisibleProposal(em, viewer, proposalId);
  if (!proposal) throw new NotFoundError('Proposal');
  if (!isMeetingScheduler(viewer, proposalActorFacts(proposal))) throw new ForbiddenError();
  const facts = proposalVisibilityFacts(proposal);
  const who: FilterQuery<Account>[] = [{ role: Role.DESK }];
  if (facts.matchedSectionIds.length) who.push({ role: Role.SECTION, section: { $in: facts.matchedSectionIds } });
  if (audience === Audience.SHARED) {
    const members = await em.find(Membership, { organisation: facts.organisationId, leftAt: null }, { fields: ['account'] });
    if (members.length) who.push({ role: Role.PROPOSER, id: { $in: members.map((membership) => membership.account.id) } });
  }
  const accounts = await em.find(Account, { $and: [{ disabledAt: null }, { $or: who }] }, { populate: ['section.department'], orderBy: { role: QueryOrder.ASC, displayName: QueryOrder.ASC, id: QueryOrder.ASC } });
  const people = await peopleOf(em, accounts);
  return accounts.map((account) => people.get(account.id)!);
}
