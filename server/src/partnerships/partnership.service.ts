import type { EntityManager } from '@mikro-orm/postgresql';
import { QueryOrder } from '@mikro-orm/core';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors/domain-errors.js';
import { transact, type EventRecorder } from '../events/transaction.js';
import { findIdempotentResult, rememberIdempotentResult, validateIdempotencyKey } from '../idempotency/idempotency.js';
import { Account } from '../identity/account.entity.js';
import { isDesk, type AccountViewer, type Viewer } from '../identity/viewer.js';
import { ProposalTransition } from '../proposals/proposal-transition.entity.js';
import { ProposalState, type Proposal } from '../proposals/proposal.entity.js';
import { isActorFor, proposalActorFacts, proposalVisibilityFacts, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal, loadForChange, PROPOSAL_TOPIC, type ProposalEventPayload } from '../proposals/proposal.service.js';
import { notifyProposalStateChange } from '../notifications/proposal-state-notices.js';
import { checkProposalTransition } from '../proposals/proposal.state.js';
import { ProposalEventKind } from '../proposals/proposal.types.js';
import { Section } from '../sections/section.entity.js';
import { AgreementRecord } from './agreement-record.entity.js';
import { PartnershipDecision } from './partnership-decision.entity.js';
import type { AgreementDocumentInput, PartnershipDecisionInput, ProgressNoteInput } from './partnership.input.js';
import { canRecordAgreementDocument, isProgressAuthor } from './partnership.policy.js';
import { tokyoToday, validateAgreementDocumentInput, validateDecisionInput, validateProgressNoteInput } from './partnership.validation.js';
import { ProgressNote } from './progress-note.entity.js';

/** What a partnership event carries on the proposal's stream: ids and the visibility facts. Never content. */
export interface PartnershipEventPayload extends ProposalEventPayload {
  decisionId?: string;
  agreementRecordId?: string;
  progressNoteId?: string;
  /** A signed agreement document filed on the record (agreement-document.service.ts). */
  attachmentId?: string;
}

function record(events: EventRecorder, viewer: AccountViewer, proposal: Proposal, kind: ProposalEventKind, before: ProposalVisibilityFacts, extra: Partial<PartnershipEventPayload> = {}): void {
  const payload: PartnershipEventPayload = { before, after: proposalVisibilityFacts(proposal), ...extra };
  events.record({ topic: PROPOSAL_TOPIC, kind, aggregateId: proposal.id, actorId: viewer.accountId, payload });
}

function signedIn(viewer: Viewer): AccountViewer {
  if (viewer.kind !== 'account') throw new ForbiddenError();
  return viewer;
}

/**
 * The desk records the partnership as agreed (AGREED) with its decision. Under the proposal's row
 * lock: visibility (NOT_FOUND), the desk (FORBIDDEN), the version (STALE_VERSION), the state and
 * an ACCEPTED lead match (ILLEGAL_STATE). The input is checked first, whole: a bad input changes nothing.
 */
export async function recordAgreement(em: EntityManager, viewer: Viewer, proposalId: string, expectedVersion: number, input: PartnershipDecisionInput): Promise<Proposal> {
  const actor = signedIn(viewer);
  const clean = validateDecisionInput(input);
  await transact(em, async (tx, events) => {
    const proposal = await loadForChange(tx, viewer, proposalId, expectedVersion, (facts) => isActorFor(viewer, facts, 'agree'));
    const check = checkProposalTransition(proposal.state, 'agree');
    if (!check.ok) throw new ConflictError('ILLEGAL_STATE', `Cannot record an agreement for a proposal that is ${proposal.state}: only one in dialogue`);
    if (!proposalActorFacts(proposal).acceptedLeadSectionId) {
      throw new ConflictError('ILLEGAL_STATE', 'The lead section (主担当課) has not accepted its match yet: an agreement needs an accepted lead section');
    }
    const before = proposalVisibilityFacts(proposal);
    const decision = new PartnershipDecision(proposal, actor.accountId);
    Object.assign(decision, clean);
    tx.persist(decision);
    proposal.state = check.to;
    proposal.stateEnteredAt = new Date();
    proposal.updatedAt = new Date();
    tx.persist(new ProposalTransition(proposal, before.state, check.to, actor.accountId, null));
    record(events, actor, proposal, ProposalEventKind.AGREED, before, { decisionId: decision.id });
    await notifyProposalStateChange(tx, events, proposal, actor.accountId);
  });
  return (await findVisibleProposal(em.fork(), viewer, proposalId))!;
}

/**
 * The desk records (or corrects) the signed 協定書・契約書 of a proposal AGREED or later whose form
 * is AGREEMENT or CONTRACT. Not a state change: no timeline row; the proposal's version moves.
 */
export async function recordAgreementDocument(em: EntityManager, viewer: Viewer, proposalId: string, expectedVersion: number, input: AgreementDocumentInput): Promise<Proposal> {
  const actor = signedIn(viewer);
  const clean = validateAgreementDocumentInput(input);
  await transact(em, async (tx, events) => {
    const proposal = await loadForChange(tx, viewer, proposalId, expectedVersion, () => isDesk(viewer));
    const decision = await tx.findOne(PartnershipDecision, { proposal: proposal.id });
    if (!canRecordAgreementDocument(viewer, proposalVisibilityFacts(proposal), decision?.form ?? null)) {
      throw new ConflictError('ILLEGAL_STATE', decision ? 'An agreement record is kept only for a 協定 or a contract' : `A proposal that is ${proposal.state} has no agreement yet`);
    }
    const before = proposalVisibilityFacts(proposal);
    let agreement = await tx.findOne(AgreementRecord, { proposal: proposal.id });
    if (!agreement) {
      agreement = new AgreementRecord(proposal, actor.accountId);
      tx.persist(agreement);
    }
    Object.assign(agreement, clean, { recordedBy: actor.accountId, recordedAt: new Date() });
    proposal.updatedAt = new Date();
    record(events, actor, proposal, ProposalEventKind.AGREEMENT_RECORDED, before, { agreementRecordId: agreement.id });
  });
  return (await findVisibleProposal(em.fork(), viewer, proposalId))!;
}

/**
 * The lead section starts the work (IN_PROGRESS). Only staff of the ACCEPTED lead section: a
 * supporting section, the desk or the proposer see the proposal but are FORBIDDEN; anyone else
 * gets NOT_FOUND.
 */
export async function startProposalWork(em: EntityManager, viewer: Viewer, proposalId: string, expectedVersion: number): Promise<Proposal> {
  const actor = signedIn(viewer);
  await transact(em, async (tx, events) => {
    const proposal = await loadForChange(tx, viewer, proposalId, expectedVersion, (facts) => isActorFor(viewer, facts, 'startWork'));
    const check = checkProposalTransition(proposal.state, 'startWork');
    if (!check.ok) throw new ConflictError('ILLEGAL_STATE', `Cannot start the work of a proposal that is ${proposal.state}: only an agreed one`);
    const before = proposalVisibilityFacts(proposal);
    proposal.state = check.to;
    proposal.stateEnteredAt = new Date();
    proposal.updatedAt = new Date();
    tx.persist(new ProposalTransition(proposal, before.state, check.to, actor.accountId, null));
    record(events, actor, proposal, ProposalEventKind.WORK_STARTED, before);
    await notifyProposalStateChange(tx, events, proposal, actor.accountId);
  });
  return (await findVisibleProposal(em.fork(), viewer, proposalId))!;
}

/**
 * A progress note or milestone, by the desk or staff of an ACCEPTED section, while IN_PROGRESS.
 * Appending is not a change to the proposal: no expectedVersion, the version stays. A retry with
 * the same idempotencyKey returns the first note.
 */
export async function addProgressNote(em: EntityManager, viewer: Viewer, proposalId: string, input: ProgressNoteInput, idempotencyKey: string | null | undefined): Promise<ProgressNote> {
  const actor = signedIn(viewer);
  validateIdempotencyKey(idempotencyKey);
  const clean = validateProgressNoteInput(input, tokyoToday());
  const answer = (id: string) => em.fork().findOneOrFail(ProgressNote, { id }, { populate: ['section.department'] });
  const previous = await findIdempotentResult(em, actor.accountId, idempotencyKey, 'addProgressNote');
  if (previous) return answer(previous);
  const id = await transact(em, async (tx, events) => {
    const proposal = await findVisibleProposal(tx, viewer, proposalId, { forUpdate: true });
    if (!proposal) throw new NotFoundError('Proposal');
    const facts = proposalActorFacts(proposal);
    if (!isProgressAuthor(viewer, facts)) throw new ForbiddenError();
    if (facts.state !== ProposalState.IN_PROGRESS) throw new ConflictError('ILLEGAL_STATE', `Progress is recorded while the work is in progress, not when the proposal is ${facts.state}`);
    const section = actor.sectionId && !isDesk(viewer) ? tx.getReference(Section, actor.sectionId) : null;
    const note = new ProgressNote(proposal, actor.accountId, section);
    Object.assign(note, clean);
    tx.persist(note);
    rememberIdempotentResult(tx, actor.accountId, idempotencyKey, 'addProgressNote', note.id);
    const before = proposalVisibilityFacts(proposal);
    record(events, actor, proposal, ProposalEventKind.PROGRESS_NOTE_ADDED, before, { progressNoteId: note.id });
    return note.id;
  }).catch(async (error: unknown) => {
    const winner = await findIdempotentResult(em.fork(), actor.accountId, idempotencyKey, 'addProgressNote').catch(() => null);
    if (winner) return winner;
    throw error;
  });
  return answer(id);
}

// ---------------------------------------------------------------------------------------------
// Reads, batched: only for proposals the viewer sees (they are fields of a visible proposal).

export async function decisionsOfProposals(em: EntityManager, proposalIds: readonly string[]): Promise<Array<PartnershipDecision | null>> {
  const rows = await em.find(PartnershipDecision, { proposal: { $in: [...proposalIds] } });
  const byProposal = new Map(rows.map((row) => [row.proposal.id, row]));
  return proposalIds.map((id) => byProposal.get(id) ?? null);
}

export async function agreementRecordsOfProposals(em: EntityManager, proposalIds: readonly string[]): Promise<Array<AgreementRecord | null>> {
  // The signed document joined in the same statement.
  const rows = await em.find(AgreementRecord, { proposal: { $in: [...proposalIds] } }, { populate: ['document'] });
  const byProposal = new Map(rows.map((row) => [row.proposal.id, row]));
  return proposalIds.map((id) => byProposal.get(id) ?? null);
}

/** Every note of several proposals, oldest first, sections and departments joined: one statement. */
export async function progressNotesOfProposals(em: EntityManager, proposalIds: readonly string[]): Promise<ProgressNote[][]> {
  const rows = await em.find(ProgressNote, { proposal: { $in: [...proposalIds] } }, { populate: ['section.department'], orderBy: { createdAt: QueryOrder.ASC, id: QueryOrder.ASC } });
  const byProposal = new Map<string, ProgressNote[]>(proposalIds.map((id) => [id, []]));
  for (const row of rows) byProposal.get(row.proposal.id)?.push(row);
  return proposalIds.map((id) => byProposal.get(id) ?? []);
}

/** Display names of note authors, batched. */
export async function authorNamesByIds(em: EntityManager, ids: readonly string[]): Promise<Array<string | null>> {
  const accounts = await em.find(Account, { id: { $in: [...ids] } }, { fields: ['id', 'displayName'] });
  const byId = new Map(accounts.map((account) => [account.id, account.displayName]));
  return ids.map((id) => byId.get(id) ?? null);
}
