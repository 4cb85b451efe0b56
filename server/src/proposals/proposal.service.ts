import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode, QueryOrder, raw, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import { ChallengeStatus, type Challenge } from '../challenges/challenge.entity.js';
import { findVisibleChallenge } from '../challenges/challenge.service.js';
import { ConflictError, FieldErrors, ForbiddenError, NotFoundError } from '../errors/domain-errors.js';
import { transact, type EventRecorder } from '../events/transaction.js';
import { checkPageSize } from '../graphql/connection.js';
import { findIdempotentResult, rememberIdempotentResult, validateIdempotencyKey } from '../idempotency/idempotency.js';
import type { AccountViewer, Viewer } from '../identity/viewer.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { findActiveSection } from '../sections/section.service.js';
import { isUuid } from '../shared/uuid.js';
import { boundQuery } from '../db/bound-query.js';
import { notifyProposalStateChange } from '../notifications/proposal-state-notices.js';
import { proposalOverTargetCondition } from '../ageing/ageing.service.js';
import { ageingNowFor, stageTargetsFor } from '../ageing/ageing.loaders.js';
import { overTargetCutoff } from '../ageing/business-days.js';
import { AgeingStage } from '../ageing/stage-target.entity.js';
import { MatchState } from '../matches/match.entity.js';
import { checkFiscalYear, checkMonth, fiscalYearPeriod, monthPeriod } from '../dashboard/dashboard.validation.js';
import { reportDueCondition } from '../dashboard/report-due.js';
import { ACTIVE_MATCH_STATES } from '../matches/match.state.js';
import { proposalFieldCodesSql } from '../publication/proposal-fields.sql.js';
import { isDesk } from '../identity/viewer.js';
import { ProposalRevision } from './proposal-revision.entity.js';
import { ProposalTransition } from './proposal-transition.entity.js';
import { fiscalYearOf, formatReferenceNumber } from './proposal-reference.js';
import { Proposal, ProposalState, type ProposalContent } from './proposal.entity.js';
import { ProposalOrder, type ProposalDraftInput, type ProposalFilter, type ProposalPledgesInput } from './proposal.input.js';
import {
  canCreateProposal,
  canEditDraft,
  canSeeProposal,
  isActorFor,
  isMemberOf,
  proposalActorFacts,
  proposalFacts,
  proposalVisibilityFacts,
  proposalVisibilityFilter,
  type ProposalActorFacts,
  type ProposalVisibilityFacts,
} from './proposal.policy.js';
import { checkProposalTransition, TRANSITION_RULES, type ProposalTransitionName } from './proposal.state.js';
import { ProposalEventKind, type ProposalConnection } from './proposal.types.js';
import { checkCompleteness, checkPledges, cleanReason, validateDraftInput } from './proposal.validation.js';

export const PROPOSAL_TOPIC = 'proposal';

/** What a proposal event carries: ids and the facts a policy needs before and after. Never content. */
export interface ProposalEventPayload {
  [key: string]: unknown;
  before: ProposalVisibilityFacts | null;
  after: ProposalVisibilityFacts;
}

/**
 * Everything a proposal's fields need, joined in the same statement, plus its matches in one more
 * (select-in, for the visibility facts): lists cost the same whatever their size.
 */
const POPULATE = ['organisation', 'challenge.owningSection.department', 'matches'] as const;

/** A proposal the viewer may see, or null: missing and not allowed look the same. */
export async function findVisibleProposal(em: EntityManager, viewer: Viewer, id: string, options: { forUpdate?: boolean } = {}): Promise<Proposal | null> {
  if (!isUuid(id)) return null;
  const where: FilterQuery<Proposal> = { $and: [{ id }, proposalVisibilityFilter(viewer)] };
  // A row lock takes the proposal row alone; plain reads join what the fields need.
  // Matches are read by a second statement (select-in), outside the lock, for the policy facts.
  if (options.forUpdate) return em.findOne(Proposal, where, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['matches'] });
  return em.findOne(Proposal, where, { populate: [...POPULATE] });
}

/**
 * The visibility facts of a proposal as it is now, whoever may see it: what canSeeProposal and
 * the thread policies decide by, the same as proposalVisibilityFacts of the proposal with its
 * matches. Only for code that then decides, with canSeeProposal on what it read, for each of
 * several audiences at once (a live dialogue event read once for all its audiences); everything
 * else uses findVisibleProposal.
 */
export async function proposalFactsForAudiences(em: EntityManager, id: string): Promise<ProposalVisibilityFacts | null> {
  if (!isUuid(id)) return null;
  // It is read at every live event of the proposal, so one small statement without the ORM (whose
  // query building and hydration of the proposal and its matches cost ten times the statement).
  const rows = await boundQuery<{ organisation_id: string; state: ProposalState; ever_submitted: boolean; matched: string[] | null }>(
    em,
    `select p.organisation_id, p.state, p.submitted_at is not null as ever_submitted,
       array(select m.section_id from match m where m.proposal_id = p.id and m.state::text = any($2::text[])) as matched
     from proposal p where p.id = $1`,
    [id, ACTIVE_MATCH_STATES],
  );
  const row = rows[0];
  if (!row) return null;
  return { organisationId: row.organisation_id, everSubmitted: row.ever_submitted, state: row.state, matchedSectionIds: [...(row.matched ?? [])].sort() };
}

/** Several proposals by id, each the one the viewer may see or null, in a fixed number of statements (for batched field resolvers). */
export async function findVisibleProposals(em: EntityManager, viewer: Viewer, ids: readonly string[]): Promise<Array<Proposal | null>> {
  const valid = ids.filter(isUuid);
  const rows = valid.length ? await em.find(Proposal, { $and: [{ id: { $in: valid } }, proposalVisibilityFilter(viewer)] }, { populate: [...POPULATE] }) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

// ---------------------------------------------------------------------------------------------
// Lists

type OrderKey = 'submittedAt' | 'updatedAt';
interface OrderSpec {
  key: OrderKey;
  direction: 'asc' | 'desc';
}
const ORDERS: Record<ProposalOrder, OrderSpec> = {
  [ProposalOrder.OLDEST_SUBMITTED_FIRST]: { key: 'submittedAt', direction: 'asc' },
  [ProposalOrder.NEWEST_SUBMITTED_FIRST]: { key: 'submittedAt', direction: 'desc' },
  [ProposalOrder.RECENTLY_UPDATED]: { key: 'updatedAt', direction: 'desc' },
};

interface ProposalCursor {
  order: ProposalOrder;
  value: Date | null;
  id: string;
}

function encodeProposalCursor(order: ProposalOrder, proposal: Proposal): string {
  const value = ORDERS[order].key === 'submittedAt' ? proposal.submittedAt : proposal.updatedAt;
  return Buffer.from(JSON.stringify([order, value ? value.toISOString() : null, proposal.id])).toString('base64url');
}

function decodeProposalCursor(cursor: string, order: ProposalOrder): ProposalCursor {
  try {
    const [cursorOrder, value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string | null, string];
    const date = value === null ? null : new Date(value);
    if (cursorOrder !== order || !isUuid(id) || (date !== null && Number.isNaN(date.getTime()))) throw new Error('bad cursor');
    return { order, value: date, id };
  } catch {
    new FieldErrors().add('after', 'INVALID', 'Not a cursor from this list in this order').throwIfAny();
    throw new Error('unreachable');
  }
}

/** Rows after the cursor in the given order; never-submitted drafts (a null submittedAt) come last. */
function afterCursor(spec: OrderSpec, cursor: ProposalCursor): FilterQuery<Proposal> {
  const op = spec.direction === 'asc' ? '$gt' : '$lt';
  if (cursor.value === null) return { [spec.key]: null, id: { [op]: cursor.id } } as FilterQuery<Proposal>;
  return {
    $or: [
      { [spec.key]: { [op]: cursor.value } },
      { [spec.key]: cursor.value, id: { [op]: cursor.id } },
      ...(spec.key === 'submittedAt' ? [{ submittedAt: null }] : []),
    ],
  } as FilterQuery<Proposal>;
}

/**
 * The list's rows for a viewer and a filter: the visibility rule and every filter condition. The
 * one definition the list, its CSV export and any figure that links to the list use, so they
 * never disagree.
 */
export async function proposalListConditions(em: EntityManager, viewer: Viewer, filter: ProposalFilter | null | undefined): Promise<FilterQuery<Proposal>[]> {
  const conditions: FilterQuery<Proposal>[] = [proposalVisibilityFilter(viewer)];
  if (filter?.states?.length) conditions.push({ state: { $in: filter.states } });
  if (filter?.kind) conditions.push({ kind: filter.kind });
  if (filter?.challengeId) conditions.push(isUuid(filter.challengeId) ? { challenge: filter.challengeId } : { id: { $in: [] } });
  if (filter?.fieldCode) conditions.push(proposalFieldCondition(filter.fieldCode));
  if (filter?.organisationKind) conditions.push({ organisation: { kind: filter.organisationKind } });
  if (filter?.overTarget != null) conditions.push(await proposalOverTargetCondition(em, viewer, filter.overTarget));
  // One "now" per operation (the ageing clock), so a figure and the list it links to agree.
  const now = ageingNowFor(em);
  if (filter?.fiscalYear != null) {
    const { start, end } = fiscalYearPeriod(checkFiscalYear(filter.fiscalYear, now));
    conditions.push({ submittedAt: { $gte: start, $lt: end } });
  }
  if (filter?.submittedMonth != null) {
    const { start, end } = monthPeriod(checkMonth(filter.submittedMonth, now));
    conditions.push({ submittedAt: { $gte: start, $lt: end } });
  }
  if (filter?.sectionId != null) conditions.push(sectionMatchCondition(viewer, filter));
  else if (filter?.matchState != null) conditions.push(anyMatchCondition(viewer, filter.matchState));
  if (filter?.matchOverTarget != null) conditions.push(await matchAnswerOverTargetCondition(em, viewer, filter.matchOverTarget));
  if (filter?.reportDue != null) conditions.push(reportDueCondition(viewer, filter.reportDue, now));
  return conditions;
}

/** The proposal's fields (published case, else challenge, else 'unclassified') include the code. */
function proposalFieldCondition(code: string): FilterQuery<Proposal> {
  return { [raw((alias: string) => `? = any(${proposalFieldCodesSql(alias)})`, [code])]: [] } as FilterQuery<Proposal>;
}

/** Matched to a section (the desk's load per section): its match in the given state, or active; the lead only if asked. */
function sectionMatchCondition(viewer: Viewer, filter: ProposalFilter): FilterQuery<Proposal> {
  if (!isDesk(viewer)) throw new ForbiddenError('Filtering by section is for the desk');
  if (!isUuid(filter.sectionId!)) return { id: { $in: [] } };
  const state = filter.matchState ? filter.matchState : { $in: [...ACTIVE_MATCH_STATES] };
  return { matches: { $some: { section: filter.sectionId!, state, ...(filter.leadSection ? { lead: true } : {}) } } } as FilterQuery<Proposal>;
}

/** Has a match (any section) in this state: the desk's MATCH_ANSWER stage counts PENDING ones. */
function anyMatchCondition(viewer: Viewer, state: MatchState): FilterQuery<Proposal> {
  if (!isDesk(viewer)) throw new ForbiddenError('Filtering by matches is for the desk');
  return { matches: { $some: { state } } } as FilterQuery<Proposal>;
}

/** Has a PENDING match made before the MATCH_ANSWER cutoff (or, with false, none): the same cutoff the inbox flags use. */
async function matchAnswerOverTargetCondition(em: EntityManager, viewer: Viewer, over: boolean): Promise<FilterQuery<Proposal>> {
  if (!isDesk(viewer)) throw new ForbiddenError('Filtering by matches is for the desk');
  const target = (await stageTargetsFor(em)).get(AgeingStage.MATCH_ANSWER)!;
  const late = { state: MatchState.PENDING, createdAt: { $lt: overTargetCutoff(target, ageingNowFor(em)) } };
  return (over ? { matches: { $some: late } } : { matches: { $none: late } }) as FilterQuery<Proposal>;
}

export async function listProposals(
  em: EntityManager,
  viewer: Viewer,
  first: number,
  after: string | null | undefined,
  filter: ProposalFilter | null | undefined,
  order: ProposalOrder = ProposalOrder.OLDEST_SUBMITTED_FIRST,
): Promise<ProposalConnection> {
  checkPageSize(first);
  const spec = ORDERS[order];
  const conditions = await proposalListConditions(em, viewer, filter);
  const where: FilterQuery<Proposal> = { $and: conditions };
  const pageWhere: FilterQuery<Proposal> = after ? { $and: [...conditions, afterCursor(spec, decodeProposalCursor(after, order))] } : where;
  const orderBy = {
    [spec.key]: spec.direction === 'asc' ? QueryOrder.ASC_NULLS_LAST : QueryOrder.DESC_NULLS_LAST,
    id: spec.direction,
  } as QueryOrderMap<Proposal>;
  // One after the other on one connection: an EntityManager is not meant for concurrent queries.
  const rows = await em.find(Proposal, pageWhere, { orderBy, limit: first + 1, populate: [...POPULATE] });
  const totalCount = await em.count(Proposal, where);
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeProposalCursor(order, node), node }));
  return { edges, totalCount, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

// ---------------------------------------------------------------------------------------------
// Changes

function record(events: EventRecorder, viewer: AccountViewer, proposal: Proposal, kind: ProposalEventKind, before: ProposalVisibilityFacts | null): void {
  const payload: ProposalEventPayload = { before, after: proposalVisibilityFacts(proposal) };
  events.record({ topic: PROPOSAL_TOPIC, kind, aggregateId: proposal.id, actorId: viewer.accountId, payload });
}

function isOpenForProposals(challenge: Challenge): boolean {
  return challenge.publishedAt !== null && challenge.status === ChallengeStatus.OPEN;
}

/** Validates a draft and resolves its references; the proposal's current challenge may stay even once it closed. */
async function resolveDraft(em: EntityManager, viewer: Viewer, input: ProposalDraftInput, current: Proposal | null): Promise<ProposalContent> {
  const clean = validateDraftInput(input);
  const errors = new FieldErrors();
  let challenge: Challenge | null = null;
  if (clean.challengeId !== null) {
    const keeping = current?.challenge?.id === clean.challengeId;
    challenge = await findVisibleChallenge(em, viewer, clean.challengeId);
    if (!challenge) errors.add('challengeId', 'UNKNOWN_REFERENCE', 'No such challenge');
    else if (!keeping && !isOpenForProposals(challenge)) errors.add('challengeId', 'INVALID', 'This challenge does not take proposals now');
  }
  for (const sectionId of clean.hopedSectionIds) {
    if (!(await findActiveSection(em, sectionId))) {
      errors.add('hopedSectionIds', 'UNKNOWN_REFERENCE', 'No such active section');
      break;
    }
  }
  errors.throwIfAny();
  const { challengeId: _challengeId, ...rest } = clean;
  return { ...rest, challenge };
}

function signedInProposer(viewer: Viewer): AccountViewer & { organisationId: string } {
  if (viewer.kind !== 'account' || !canCreateProposal(viewer)) throw new ForbiddenError('Only a member of a proposing organisation can do this');
  return viewer as AccountViewer & { organisationId: string };
}

export async function createProposalDraft(em: EntityManager, viewer: Viewer, input: ProposalDraftInput, idempotencyKey: string | null | undefined): Promise<Proposal> {
  const proposer = signedInProposer(viewer);
  validateIdempotencyKey(idempotencyKey);
  const previous = await findIdempotentResult(em, proposer.accountId, idempotencyKey, 'createProposalDraft');
  if (previous) return (await findVisibleProposal(em.fork(), viewer, previous)) ?? Promise.reject(new NotFoundError('Proposal'));
  const id = await transact(em, async (tx, events) => {
    const content = await resolveDraft(tx, viewer, input, null);
    const proposal = new Proposal(tx.getReference(Organisation, proposer.organisationId), proposer.accountId);
    proposal.setContent(content);
    tx.persist(proposal);
    tx.persist(new ProposalTransition(proposal, null, ProposalState.DRAFT, proposer.accountId, null));
    rememberIdempotentResult(tx, proposer.accountId, idempotencyKey, 'createProposalDraft', proposal.id);
    record(events, proposer, proposal, ProposalEventKind.CREATED, null);
    return proposal.id;
  }).catch(async (error: unknown) => {
    // A concurrent request with the same key won the race: answer with its result.
    const winner = await findIdempotentResult(em.fork(), proposer.accountId, idempotencyKey, 'createProposalDraft').catch(() => null);
    if (winner) return winner;
    throw error;
  });
  return (await findVisibleProposal(em.fork(), viewer, id))!;
}

/**
 * Loads a proposal for a change, inside the transaction, holding its row lock until the commit
 * (two presses of one button queue up instead of racing), then checks in order: visibility
 * (NOT_FOUND, the same as missing), the actor (FORBIDDEN), the version (STALE_VERSION).
 */
export async function loadForChange(tx: EntityManager, viewer: Viewer, id: string, expectedVersion: number, mayAct: (facts: ProposalActorFacts) => boolean): Promise<Proposal> {
  if (!isUuid(id)) throw new NotFoundError('Proposal');
  await tx.execute('select 1 from proposal where id = ? for update', [id]);
  const proposal = await findVisibleProposal(tx, viewer, id);
  if (!proposal) throw new NotFoundError('Proposal');
  if (!mayAct(proposalActorFacts(proposal))) throw new ForbiddenError();
  if (proposal.version !== expectedVersion) {
    throw new ConflictError('STALE_VERSION', 'The proposal was changed by someone else since you loaded it', { currentVersion: proposal.version });
  }
  return proposal;
}

export async function saveProposalDraft(em: EntityManager, viewer: Viewer, id: string, expectedVersion: number, input: ProposalDraftInput): Promise<Proposal> {
  const proposer = signedInProposer(viewer);
  await transact(em, async (tx, events) => {
    const proposal = await loadForChange(tx, viewer, id, expectedVersion, (facts) => isMemberOf(viewer, facts.organisationId));
    if (!canEditDraft(viewer, proposalVisibilityFacts(proposal))) {
      throw new ConflictError('ILLEGAL_STATE', `A proposal that is ${proposal.state} cannot be edited`);
    }
    const before = proposalVisibilityFacts(proposal);
    proposal.setContent(await resolveDraft(tx, viewer, input, proposal));
    proposal.updatedAt = new Date();
    record(events, proposer, proposal, ProposalEventKind.UPDATED, before);
  });
  return (await findVisibleProposal(em.fork(), viewer, id))!;
}

/** The next 受付番号 of the fiscal year `at` falls in; inside the caller's transaction, so a rollback returns it. */
export async function issueReferenceNumber(tx: EntityManager, at: Date): Promise<string> {
  const fiscalYear = fiscalYearOf(at);
  const rows = await tx.execute<Array<{ last_number: number }>>(
    `insert into proposal_reference_counter (fiscal_year, last_number) values (?, 1)
       on conflict (fiscal_year) do update set last_number = proposal_reference_counter.last_number + 1
     returning last_number`,
    [fiscalYear],
  );
  return formatReferenceNumber(fiscalYear, Number(rows[0]!.last_number));
}

export async function submitProposal(
  em: EntityManager,
  viewer: Viewer,
  id: string,
  expectedVersion: number,
  pledges: ProposalPledgesInput,
  idempotencyKey: string | null | undefined,
): Promise<Proposal> {
  const proposer = signedInProposer(viewer);
  validateIdempotencyKey(idempotencyKey);
  const answer = async (resultId: string): Promise<Proposal> => {
    if (resultId !== id) throw new ConflictError('DUPLICATE', 'This idempotency key was used for another proposal');
    return (await findVisibleProposal(em.fork(), viewer, id)) ?? Promise.reject(new NotFoundError('Proposal'));
  };
  const previous = await findIdempotentResult(em, proposer.accountId, idempotencyKey, 'submitProposal');
  if (previous) return answer(previous);
  await transact(em, async (tx, events) => {
    const proposal = await loadForChange(tx, viewer, id, expectedVersion, (facts) => isActorFor(viewer, facts, 'submit'));
    const check = checkProposalTransition(proposal.state, 'submit');
    if (!check.ok) throw new ConflictError('ILLEGAL_STATE', `A proposal that is ${proposal.state} cannot be submitted`);
    if (proposalFacts(proposal).organisationSuspended) throw new ForbiddenError('The organisation is suspended and cannot submit proposals');
    const errors = new FieldErrors();
    checkPledges(pledges, errors);
    const challengeOpen = proposal.challenge !== null && isOpenForProposals(proposal.challenge);
    checkCompleteness(proposal, challengeOpen, errors);
    errors.throwIfAny();
    const before = proposalVisibilityFacts(proposal);
    const now = new Date();
    if (proposal.referenceNumber === null) proposal.referenceNumber = await issueReferenceNumber(tx, now);
    proposal.submittedAt ??= now;
    proposal.pledgesAffirmedAt = now;
    proposal.pledgesAffirmedBy = proposer.accountId;
    proposal.changeRequestNote = null;
    proposal.state = check.to;
    proposal.stateEnteredAt = new Date();
    proposal.updatedAt = now;
    tx.persist(new ProposalTransition(proposal, before.state, check.to, proposer.accountId, null));
    rememberIdempotentResult(tx, proposer.accountId, idempotencyKey, 'submitProposal', proposal.id);
    record(events, proposer, proposal, ProposalEventKind.SUBMITTED, before);
    await notifyProposalStateChange(tx, events, proposal, proposer.accountId);
  }).catch(async (error: unknown) => {
    // The same button pressed twice at once: the second waited for the first's row lock and then
    // failed; answer it with the first's result.
    const winner = await findIdempotentResult(em.fork(), proposer.accountId, idempotencyKey, 'submitProposal').catch(() => null);
    if (winner === id) return;
    throw error;
  });
  return answer(id);
}

/** The transitions transitionProposal makes; submit, agree, startWork, acceptReport, publish and withdrawPublication have use cases of their own. */
export type SimpleProposalTransition = Exclude<ProposalTransitionName, 'submit' | 'agree' | 'startWork' | 'acceptReport' | 'publish' | 'withdrawPublication'>;

const TRANSITION_EVENTS: Record<SimpleProposalTransition, ProposalEventKind> = {
  acceptForReview: ProposalEventKind.ACCEPTED_FOR_REVIEW,
  return: ProposalEventKind.RETURNED,
  requestChanges: ProposalEventKind.CHANGES_REQUESTED,
  startDialogue: ProposalEventKind.DIALOGUE_STARTED,
  markNotRealized: ProposalEventKind.NOT_REALIZED,
  withdraw: ProposalEventKind.WITHDRAWN,
};

/** The submitted content, kept when the proposal goes back to the proposer (for comparison and disclosure). */
function contentSnapshot(proposal: Proposal): Record<string, unknown> {
  return {
    referenceNumber: proposal.referenceNumber,
    kind: proposal.kind,
    challengeId: proposal.challenge?.id ?? null,
    title: proposal.title,
    wardIssue: proposal.wardIssue,
    content: proposal.content,
    expectedEffects: proposal.expectedEffects,
    askOfWard: proposal.askOfWard,
    wardCost: proposal.wardCost,
    wardCostEstimate: proposal.wardCostEstimate,
    wardCostReason: proposal.wardCostReason,
    ownResources: proposal.ownResources,
    schedule: proposal.schedule,
    hopedSectionIds: [...proposal.hopedSectionIds],
    submittedAt: proposal.submittedAt?.toISOString() ?? null,
    pledgesAffirmedAt: proposal.pledgesAffirmedAt?.toISOString() ?? null,
    pledgesAffirmedBy: proposal.pledgesAffirmedBy,
    version: proposal.version,
  };
}

/** Every transition but submit: who may make it and what it needs come from the state machine. */
export async function transitionProposal(
  em: EntityManager,
  viewer: Viewer,
  id: string,
  expectedVersion: number,
  transition: SimpleProposalTransition,
  reason?: string | null,
): Promise<Proposal> {
  const rule = TRANSITION_RULES[transition];
  if (viewer.kind !== 'account') throw new ForbiddenError();
  const field = rule.needs.includes('note') ? 'note' : 'reason';
  const cleanText = cleanReason(field, reason, rule.needs.includes('reason') || rule.needs.includes('note'));
  await transact(em, async (tx, events) => {
    const proposal = await loadForChange(tx, viewer, id, expectedVersion, (facts) => isActorFor(viewer, facts, transition));
    const check = checkProposalTransition(proposal.state, transition);
    if (!check.ok) throw new ConflictError('ILLEGAL_STATE', `Cannot ${transition} a proposal that is ${proposal.state}`);
    const before = proposalVisibilityFacts(proposal);
    if (transition === 'requestChanges') {
      const revision = (await tx.count(ProposalRevision, { proposal: proposal.id })) + 1;
      tx.persist(new ProposalRevision(proposal, revision, contentSnapshot(proposal), viewer.accountId));
      proposal.changeRequestNote = cleanText;
    }
    proposal.state = check.to;
    proposal.stateEnteredAt = new Date();
    proposal.updatedAt = new Date();
    tx.persist(new ProposalTransition(proposal, before.state, check.to, viewer.accountId, cleanText));
    record(events, viewer, proposal, TRANSITION_EVENTS[transition], before);
    await notifyProposalStateChange(tx, events, proposal, viewer.accountId);
  });
  return (await findVisibleProposal(em.fork(), viewer, id))!;
}

/** For a subscriber: whether this event concerns them (they could see the proposal before or after). */
export function eventConcernsViewer(viewer: Viewer, payload: ProposalEventPayload): boolean {
  return canSeeProposal(viewer, payload.after) || (payload.before !== null && canSeeProposal(viewer, payload.before));
}
