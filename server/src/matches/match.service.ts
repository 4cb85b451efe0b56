import type { EntityManager } from '@mikro-orm/postgresql';
import { QueryOrder, type FilterQuery } from '@mikro-orm/core';
import { ConflictError, FieldErrors, ForbiddenError, NotFoundError } from '../errors/domain-errors.js';
import { transact, type EventRecorder } from '../events/transaction.js';
import { checkPageSize, decodeKeyset, encodeKeyset } from '../graphql/connection.js';
import { Account, Role } from '../identity/account.entity.js';
import { isDesk, type AccountViewer, type Viewer } from '../identity/viewer.js';
import { Proposal, type ProposalState } from '../proposals/proposal.entity.js';
import { canSeeProposal, proposalVisibilityFacts, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal, PROPOSAL_TOPIC, type ProposalEventPayload } from '../proposals/proposal.service.js';
import { ProposalEventKind } from '../proposals/proposal.types.js';
import { matchOverTargetCondition } from '../ageing/ageing.service.js';
import { ageingNowFor } from '../ageing/ageing.loaders.js';
import { reportDueCondition } from '../dashboard/report-due.js';
import { Section } from '../sections/section.entity.js';
import { isUuid } from '../shared/uuid.js';
import { Match, MatchState } from './match.entity.js';
import { canAssignDeskOwner, canMatchProposal, inboxSectionOf, isMatchActorFor, isStaffOf } from './match.policy.js';
import { checkMatchTransition, isActiveMatchState, MATCH_TRANSITION_RULES, successorLead, type MatchTransitionName } from './match.state.js';
import { cleanMatchReason, validateMatchInput } from './match.validation.js';
import type { MatchConnection } from './match.types.js';

/**
 * What a match event carries on the proposal's stream: ids and the visibility facts before and
 * after — a section whose match just ended is in `before`, so its subscription is told (and reads
 * `proposal: null`). Never content, never the reason.
 */
export interface MatchEventPayload extends ProposalEventPayload {
  before: ProposalVisibilityFacts;
  matchIds: string[];
  leadSectionIdBefore: string | null;
  leadSectionIdAfter: string | null;
  deskOwnerIdBefore?: string | null;
  deskOwnerIdAfter?: string | null;
}

function activeMatches(proposal: Proposal): Match[] {
  return proposal.matches.getItems().filter((match) => isActiveMatchState(match.state));
}

/** The section of the proposal's active lead match, or null. */
export function leadSectionIdOf(proposal: Proposal): string | null {
  return activeMatches(proposal).find((match) => match.lead)?.section.id ?? null;
}

function record(
  events: EventRecorder,
  viewer: AccountViewer,
  proposal: Proposal,
  kind: ProposalEventKind,
  before: ProposalVisibilityFacts,
  leadBefore: string | null,
  matchIds: string[],
  extra: Partial<MatchEventPayload> = {},
): void {
  const payload: MatchEventPayload = {
    before,
    after: proposalVisibilityFacts(proposal),
    matchIds,
    leadSectionIdBefore: leadBefore,
    leadSectionIdAfter: leadSectionIdOf(proposal),
    ...extra,
  };
  events.record({ topic: PROPOSAL_TOPIC, kind, aggregateId: proposal.id, actorId: viewer.accountId, payload });
}

function deskViewer(viewer: Viewer): AccountViewer {
  if (viewer.kind !== 'account' || !isDesk(viewer)) throw new ForbiddenError();
  return viewer;
}

/**
 * Loads a proposal for a desk change, holding its row lock until the commit, with its matches:
 * visibility (NOT_FOUND), then the version (STALE_VERSION).
 */
async function loadProposalForDesk(tx: EntityManager, viewer: AccountViewer, id: string, expectedVersion: number): Promise<Proposal> {
  if (!isUuid(id)) throw new NotFoundError('Proposal');
  await tx.execute('select 1 from proposal where id = ? for update', [id]);
  const proposal = await findVisibleProposal(tx, viewer, id);
  if (!proposal) throw new NotFoundError('Proposal');
  if (proposal.version !== expectedVersion) {
    throw new ConflictError('STALE_VERSION', 'The proposal was changed by someone else since you loaded it', { currentVersion: proposal.version });
  }
  return proposal;
}

/**
 * Makes `sectionId`'s active match the lead and no other. The old lead is cleared and flushed
 * first: the partial unique index allows one active lead per proposal at every statement.
 * Returns whether anything changed.
 */
async function makeLead(tx: EntityManager, proposal: Proposal, sectionId: string | null): Promise<boolean> {
  const active = activeMatches(proposal);
  const current = active.find((match) => match.lead) ?? null;
  const target = sectionId === null ? null : (active.find((match) => match.section.id === sectionId) ?? null);
  if (current === target) return false;
  if (current) {
    current.lead = false;
    await tx.flush();
  }
  if (target) target.lead = true;
  return true;
}

// ---------------------------------------------------------------------------------------------
// The desk's use cases on a proposal

/**
 * Matches a proposal in dialogue to sections — in different departments if need be — and names
 * the lead. Sections already actively matched are kept as they are; the others get a PENDING match.
 */
export async function matchProposal(em: EntityManager, viewer: Viewer, proposalId: string, expectedVersion: number, sectionIds: readonly string[], leadSectionId: string): Promise<Proposal> {
  const desk = deskViewer(viewer);
  const clean = validateMatchInput(sectionIds, leadSectionId);
  await transact(em, async (tx, events) => {
    const proposal = await loadProposalForDesk(tx, desk, proposalId, expectedVersion);
    if (!canMatchProposal(desk, proposal.state)) throw new ConflictError('ILLEGAL_STATE', `A proposal that is ${proposal.state} cannot be matched: only one in dialogue`);
    const sections = await tx.find(Section, { id: { $in: clean.sectionIds }, retiredAt: null });
    const errors = new FieldErrors();
    if (sections.length !== clean.sectionIds.length) errors.add('sectionIds', 'UNKNOWN_REFERENCE', 'No such active section');
    const alreadyMatched = new Set(activeMatches(proposal).map((match) => match.section.id));
    const adding = sections.filter((section) => !alreadyMatched.has(section.id));
    const matchedAfter = new Set([...alreadyMatched, ...adding.map((section) => section.id)]);
    if (!matchedAfter.has(clean.leadSectionId)) errors.add('leadSectionId', 'INVALID', 'The lead must be one of the proposal’s matched sections');
    errors.throwIfAny();

    const before = proposalVisibilityFacts(proposal);
    const leadBefore = leadSectionIdOf(proposal);
    const added = adding.map((section) => {
      const match = new Match(proposal, section, desk.accountId);
      tx.persist(match);
      proposal.matches.add(match);
      return match;
    });
    const leadChanged = await makeLead(tx, proposal, clean.leadSectionId);
    if (added.length === 0 && !leadChanged) return; // Nothing to do: a retry of the same call.
    proposal.updatedAt = new Date();
    const kind = added.length > 0 ? ProposalEventKind.MATCH_PROPOSED : ProposalEventKind.LEAD_CHANGED;
    record(events, desk, proposal, kind, before, leadBefore, added.map((match) => match.id));
  });
  return (await findVisibleProposal(em.fork(), viewer, proposalId))!;
}

/** Names another actively matched section the lead (主担当). */
export async function setLeadSection(em: EntityManager, viewer: Viewer, proposalId: string, expectedVersion: number, sectionId: string): Promise<Proposal> {
  const desk = deskViewer(viewer);
  await transact(em, async (tx, events) => {
    const proposal = await loadProposalForDesk(tx, desk, proposalId, expectedVersion);
    const target = activeMatches(proposal).find((match) => match.section.id === sectionId.trim().toLowerCase());
    if (!target) new FieldErrors().add('sectionId', 'INVALID', 'The lead must be one of the proposal’s actively matched sections').throwIfAny();
    const before = proposalVisibilityFacts(proposal);
    const leadBefore = leadSectionIdOf(proposal);
    if (!(await makeLead(tx, proposal, target!.section.id))) return;
    proposal.updatedAt = new Date();
    record(events, desk, proposal, ProposalEventKind.LEAD_CHANGED, before, leadBefore, [target!.id]);
  });
  return (await findVisibleProposal(em.fork(), viewer, proposalId))!;
}

/** Names the desk member responsible for the proposal (担当者): an enabled desk account. */
export async function assignDeskOwner(em: EntityManager, viewer: Viewer, proposalId: string, expectedVersion: number, accountId: string): Promise<Proposal> {
  const desk = deskViewer(viewer);
  if (!canAssignDeskOwner(desk)) throw new ForbiddenError();
  await transact(em, async (tx, events) => {
    const proposal = await loadProposalForDesk(tx, desk, proposalId, expectedVersion);
    const owner = isUuid(accountId) ? await tx.findOne(Account, { id: accountId, role: Role.DESK, disabledAt: null }) : null;
    if (!owner) new FieldErrors().add('accountId', 'UNKNOWN_REFERENCE', 'No such desk member').throwIfAny();
    const ownerBefore = proposal.deskOwner?.id ?? null;
    if (ownerBefore === owner!.id) return;
    const before = proposalVisibilityFacts(proposal);
    const leadBefore = leadSectionIdOf(proposal);
    proposal.deskOwner = owner!;
    proposal.updatedAt = new Date();
    record(events, desk, proposal, ProposalEventKind.DESK_OWNER_CHANGED, before, leadBefore, [], { deskOwnerIdBefore: ownerBefore, deskOwnerIdAfter: owner!.id });
  });
  return (await findVisibleProposal(em.fork(), viewer, proposalId))!;
}

// ---------------------------------------------------------------------------------------------
// A match's own transitions

const MATCH_EVENTS: Record<MatchTransitionName, ProposalEventKind> = {
  accept: ProposalEventKind.MATCH_ACCEPTED,
  decline: ProposalEventKind.MATCH_DECLINED,
  withdraw: ProposalEventKind.MATCH_WITHDRAWN,
};

/**
 * Accept, decline (the section's staff) or withdraw (the desk). Under the proposal's row lock, in
 * this order: who may know the match exists — its own section's staff (also once it has ended:
 * they were told of it), or whoever sees the proposal — else NOT_FOUND; the actor (FORBIDDEN);
 * the state (ILLEGAL_STATE: reloading would not help, so it is said before a stale version); the
 * version (STALE_VERSION). When the lead's match ends, the lead passes on (see successorLead).
 */
export async function transitionMatch(em: EntityManager, viewer: Viewer, matchId: string, expectedVersion: number, transition: MatchTransitionName, reason?: string | null): Promise<Match> {
  if (viewer.kind !== 'account') throw new ForbiddenError();
  const cleanReason = MATCH_TRANSITION_RULES[transition].needsReason ? cleanMatchReason(reason) : null;
  await transact(em, async (tx, events) => {
    if (!isUuid(matchId)) throw new NotFoundError('Match');
    const [row] = await tx.execute<Array<{ proposal_id: string }>>('select proposal_id from "match" where id = ?', [matchId]);
    if (!row) throw new NotFoundError('Match');
    await tx.execute('select 1 from proposal where id = ? for update', [row.proposal_id]);
    const proposal = await tx.findOneOrFail(Proposal, { id: row.proposal_id }, { populate: ['matches'] });
    const match = proposal.matches.getItems().find((candidate) => candidate.id === matchId)!;
    const facts = { sectionId: match.section.id, state: match.state, lead: match.lead };
    if (!isStaffOf(viewer, facts.sectionId) && !canSeeProposal(viewer, proposalVisibilityFacts(proposal))) throw new NotFoundError('Match');
    if (!isMatchActorFor(viewer, facts, transition)) throw new ForbiddenError();
    const check = checkMatchTransition(match.state, transition);
    if (!check.ok) throw new ConflictError('ILLEGAL_STATE', `Cannot ${transition} a match that is ${match.state}`);
    if (match.version !== expectedVersion) {
      throw new ConflictError('STALE_VERSION', 'The match was changed by someone else since you loaded it', { currentVersion: match.version });
    }
    const before = proposalVisibilityFacts(proposal);
    const leadBefore = leadSectionIdOf(proposal);
    const wasLead = match.lead && !isActiveMatchState(check.to);
    match.state = check.to;
    match.decidedBy = viewer.accountId;
    match.decidedAt = new Date();
    match.reason = cleanReason;
    if (wasLead) {
      match.lead = false;
      await tx.flush();
      const remaining = activeMatches(proposal).map((m) => ({ sectionId: m.section.id, state: m.state, createdAt: m.createdAt }));
      await makeLead(tx, proposal, successorLead(remaining));
    }
    record(events, viewer, proposal, MATCH_EVENTS[transition], before, leadBefore, [match.id]);
  });
  return (await em.fork().findOneOrFail(Match, { id: matchId }, { populate: ['section.department'] }));
}

// ---------------------------------------------------------------------------------------------
// Reads

/** Every match of several proposals, oldest first, sections and departments joined: one statement. Only for proposals the viewer sees. */
export async function matchesOfProposals(em: EntityManager, proposalIds: readonly string[]): Promise<Match[][]> {
  const rows = await em.find(Match, { proposal: { $in: [...proposalIds] } }, { populate: ['section.department'], orderBy: { createdAt: QueryOrder.ASC, id: QueryOrder.ASC } });
  const byProposal = new Map<string, Match[]>(proposalIds.map((id) => [id, []]));
  for (const row of rows) byProposal.get(row.proposal.id)?.push(row);
  return proposalIds.map((id) => byProposal.get(id) ?? []);
}

/** What narrows the inbox besides the match states (the section dashboard links with them). */
export interface InboxNarrowing {
  overTarget?: boolean | null;
  /** Only matches whose proposal is in one of these states (e.g. IN_PROGRESS: 実施中). */
  proposalStates?: readonly ProposalState[] | null;
  /** true: the lead's matches whose proposal's report is due (報告書待ち); false: the others. */
  reportDue?: boolean | null;
}

/**
 * The inbox's rows: the viewer's section's matches and every narrowing. The one definition the
 * inbox and the section dashboard's figures use, so they never disagree.
 */
export async function sectionInboxConditions(em: EntityManager, viewer: Viewer, states: readonly MatchState[], narrowing: InboxNarrowing = {}): Promise<FilterQuery<Match>> {
  const sectionId = inboxSectionOf(viewer);
  if (!sectionId) throw new ForbiddenError('The inbox is section staff’s');
  const conditions: FilterQuery<Match>[] = [{ section: sectionId, ...(states.length ? { state: { $in: [...states] } } : {}) }];
  if (narrowing.overTarget != null) conditions.push(await matchOverTargetCondition(em, viewer, narrowing.overTarget));
  if (narrowing.proposalStates?.length) conditions.push({ proposal: { state: { $in: [...narrowing.proposalStates] } } });
  if (narrowing.reportDue != null) {
    const due = { lead: true, proposal: reportDueCondition(viewer, true, ageingNowFor(em)) } as FilterQuery<Match>;
    conditions.push(narrowing.reportDue ? due : { $not: due } as FilterQuery<Match>);
  }
  return conditions.length === 1 ? conditions[0]! : { $and: conditions };
}

/** The section inbox (受付箱): the viewer's section's matches in the given states, oldest first. */
export async function sectionInbox(
  em: EntityManager,
  viewer: Viewer,
  states: readonly MatchState[],
  first: number,
  after: string | null | undefined,
  narrowing: InboxNarrowing = {},
): Promise<MatchConnection> {
  checkPageSize(first);
  const where = await sectionInboxConditions(em, viewer, states, narrowing);
  let pageWhere = where;
  if (after) {
    const cursor = decodeKeyset(after);
    if (!isUuid(cursor.id)) new FieldErrors().add('after', 'INVALID', 'Not a cursor from this list').throwIfAny();
    pageWhere = { $and: [where, { $or: [{ createdAt: { $gt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { $gt: cursor.id } }] }] };
  }
  const rows = await em.find(Match, pageWhere, { orderBy: { createdAt: QueryOrder.ASC, id: QueryOrder.ASC }, limit: first + 1, populate: ['section.department'] });
  const totalCount = await em.count(Match, where);
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeKeyset(node.createdAt, node.id), node }));
  return { edges, totalCount, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** An enabled account's display name for the responsibility panel, batched. */
export async function accountsByIds(em: EntityManager, ids: readonly string[]): Promise<Array<{ id: string; displayName: string } | null>> {
  const accounts = await em.find(Account, { id: { $in: [...ids] } }, { fields: ['id', 'displayName'] });
  const byId = new Map(accounts.map((account) => [account.id, account]));
  return ids.map((id) => byId.get(id) ?? null);
}
