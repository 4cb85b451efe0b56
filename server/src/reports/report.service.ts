import type { EntityManager } from '@mikro-orm/postgresql';
import { QueryOrder } from '@mikro-orm/core';
import { Attachment, AttachmentPurpose } from '../attachments/attachment.entity.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors/domain-errors.js';
import { transact, type EventRecorder } from '../events/transaction.js';
import { findIdempotentResult, rememberIdempotentResult, validateIdempotencyKey } from '../idempotency/idempotency.js';
import type { AccountViewer, Viewer } from '../identity/viewer.js';
import { notifyProposalStateChange } from '../notifications/proposal-state-notices.js';
import { PartnershipDecision } from '../partnerships/partnership-decision.entity.js';
import { ProposalTransition } from '../proposals/proposal-transition.entity.js';
import { ProposalState, type Proposal } from '../proposals/proposal.entity.js';
import { proposalActorFacts, proposalVisibilityFacts, type ProposalActorFacts, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal, PROPOSAL_TOPIC, type ProposalEventPayload } from '../proposals/proposal.service.js';
import { checkProposalTransition } from '../proposals/proposal.state.js';
import { ProposalEventKind } from '../proposals/proposal.types.js';
import { isUuid } from '../shared/uuid.js';
import { ImplementationReport, ReportComment, ReportState } from './implementation-report.entity.js';
import type { ReportInput } from './report.input.js';
import { canCommentOnReport, canDecideReport, canEditReport, canStartReport, isReportCommenter, isReportDecider, isReportWriter } from './report.policy.js';
import { checkReportComplete, cleanCommentBody, cleanReturnNote, initialIndicatorResults, validateReportInput } from './report.validation.js';

/** What a report event carries on the proposal's stream: ids and the visibility facts. Never content. */
export interface ReportEventPayload extends ProposalEventPayload {
  reportId: string;
  commentId?: string;
  attachmentId?: string;
}

export function recordReportEvent(events: EventRecorder, actorId: string, proposal: Proposal, kind: ProposalEventKind, before: ProposalVisibilityFacts, extra: { reportId: string; commentId?: string; attachmentId?: string }): void {
  const payload: ReportEventPayload = { before, after: proposalVisibilityFacts(proposal), ...extra };
  events.record({ topic: PROPOSAL_TOPIC, kind, aggregateId: proposal.id, actorId, payload });
}

function signedIn(viewer: Viewer): AccountViewer {
  if (viewer.kind !== 'account') throw new ForbiddenError();
  return viewer;
}

/** Why the state refuses a change, in the desk's words. */
function refusal(facts: ProposalActorFacts, report: ImplementationReport | null, doing: string): ConflictError {
  if (facts.state !== ProposalState.IN_PROGRESS) return new ConflictError('ILLEGAL_STATE', `A report is written while the work is in progress, not when the proposal is ${facts.state}`);
  return new ConflictError('ILLEGAL_STATE', `Cannot ${doing} a report that is ${report?.state ?? 'not started'}`);
}

export interface LockedReport {
  proposal: Proposal;
  facts: ProposalActorFacts;
  report: ImplementationReport;
}

/**
 * The report and its proposal, the proposal's row locked (every report change is serialised on
 * it, as the proposal's own changes are). Visible (NOT_FOUND) → `mayAct` (FORBIDDEN) → the
 * version (STALE_VERSION), in that order, so a stranger learns nothing from the answer.
 */
export async function lockReport(tx: EntityManager, viewer: Viewer, reportId: string, mayAct: (facts: ProposalActorFacts) => boolean, expectedVersion?: number): Promise<LockedReport> {
  const found = isUuid(reportId) ? await tx.findOne(ImplementationReport, { id: reportId }, { fields: ['id', 'proposal'] }) : null;
  const proposal = found ? await findVisibleProposal(tx, viewer, found.proposal.id, { forUpdate: true }) : null;
  if (!found || !proposal) throw new NotFoundError('Report');
  const facts = proposalActorFacts(proposal);
  if (!mayAct(facts)) throw new ForbiddenError();
  const report = await tx.findOneOrFail(ImplementationReport, { id: reportId }, { refresh: true });
  if (expectedVersion !== undefined && report.version !== expectedVersion) {
    throw new ConflictError('STALE_VERSION', 'The report was changed by someone else since you loaded it', { currentVersion: report.version });
  }
  return { proposal, facts, report };
}

async function decisionOf(tx: EntityManager, proposal: Proposal): Promise<PartnershipDecision> {
  const decision = await tx.findOne(PartnershipDecision, { proposal: proposal.id });
  // A proposal in progress was agreed with its decision (recordAgreement writes both at once).
  if (!decision) throw new ConflictError('ILLEGAL_STATE', 'The partnership has no recorded decision');
  return decision;
}

const answer = async (em: EntityManager, viewer: Viewer, proposalId: string): Promise<Proposal> => (await findVisibleProposal(em.fork(), viewer, proposalId))!;

/**
 * The lead section starts the report (実施報告書の作成): a DRAFT with the agreed indicators' names
 * and targets. Idempotent: once started, the existing report is the answer and nothing changes.
 */
export async function startReport(em: EntityManager, viewer: Viewer, proposalId: string): Promise<Proposal> {
  const actor = signedIn(viewer);
  await transact(em, async (tx, events) => {
    const proposal = await findVisibleProposal(tx, viewer, proposalId, { forUpdate: true });
    if (!proposal) throw new NotFoundError('Proposal');
    const facts = proposalActorFacts(proposal);
    if (!isReportWriter(viewer, facts)) throw new ForbiddenError('The lead section (主担当課) writes the report');
    const existing = await tx.findOne(ImplementationReport, { proposal: proposal.id });
    if (existing) return;
    if (!canStartReport(viewer, facts, null)) throw refusal(facts, null, 'start');
    const decision = await decisionOf(tx, proposal);
    const report = new ImplementationReport(proposal, actor.accountId);
    report.indicatorResults = initialIndicatorResults(decision.indicators);
    report.periodStart = decision.startDate;
    report.periodEnd = decision.endDate;
    tx.persist(report);
    recordReportEvent(events, actor.accountId, proposal, ProposalEventKind.REPORT_STARTED, facts, { reportId: report.id });
  });
  return answer(em, viewer, proposalId);
}

/** The lead section saves the report as written so far (DRAFT or RETURNED). Stale → STALE_VERSION. */
export async function saveReport(em: EntityManager, viewer: Viewer, reportId: string, expectedVersion: number, input: ReportInput): Promise<Proposal> {
  const actor = signedIn(viewer);
  const proposalId = await transact(em, async (tx, events) => {
    const { proposal, facts, report } = await lockReport(tx, viewer, reportId, (f) => isReportWriter(viewer, f), expectedVersion);
    if (!canEditReport(viewer, facts, report.state)) throw refusal(facts, report, 'edit');
    const decision = await decisionOf(tx, proposal);
    Object.assign(report, validateReportInput(input, { wardCost: decision.wardCost, indicators: decision.indicators }), { updatedAt: new Date() });
    recordReportEvent(events, actor.accountId, proposal, ProposalEventKind.REPORT_SAVED, facts, { reportId: report.id });
    return proposal.id;
  });
  return answer(em, viewer, proposalId);
}

/** The lead section submits the report to the desk (提出): complete, DRAFT or RETURNED → SUBMITTED. */
export async function submitReport(em: EntityManager, viewer: Viewer, reportId: string, expectedVersion: number): Promise<Proposal> {
  const actor = signedIn(viewer);
  const proposalId = await transact(em, async (tx, events) => {
    const { proposal, facts, report } = await lockReport(tx, viewer, reportId, (f) => isReportWriter(viewer, f), expectedVersion);
    if (!canEditReport(viewer, facts, report.state)) throw refusal(facts, report, 'submit');
    checkReportComplete(report);
    const now = new Date();
    Object.assign(report, { state: ReportState.SUBMITTED, submittedAt: now, submittedBy: actor.accountId, updatedAt: now });
    recordReportEvent(events, actor.accountId, proposal, ProposalEventKind.REPORT_SUBMITTED, facts, { reportId: report.id });
    return proposal.id;
  });
  return answer(em, viewer, proposalId);
}

/** The desk returns a SUBMITTED report for revision (差し戻し), with a note saying what to revise. */
export async function returnReport(em: EntityManager, viewer: Viewer, reportId: string, expectedVersion: number, note: string): Promise<Proposal> {
  const actor = signedIn(viewer);
  const returnNote = cleanReturnNote(note);
  const proposalId = await transact(em, async (tx, events) => {
    const { proposal, facts, report } = await lockReport(tx, viewer, reportId, (f) => isReportDecider(viewer, f), expectedVersion);
    if (!canDecideReport(viewer, facts, report.state)) throw refusal(facts, report, 'return');
    const now = new Date();
    Object.assign(report, { state: ReportState.RETURNED, returnNote, decidedAt: now, decidedBy: actor.accountId, updatedAt: now });
    recordReportEvent(events, actor.accountId, proposal, ProposalEventKind.REPORT_RETURNED, facts, { reportId: report.id });
    return proposal.id;
  });
  return answer(em, viewer, proposalId);
}

/**
 * The desk accepts a SUBMITTED report (受理): the report ACCEPTED and, in the same transaction,
 * the proposal IN_PROGRESS → REPORTED with its timeline row and the state-change notices.
 */
export async function acceptReport(em: EntityManager, viewer: Viewer, reportId: string, expectedVersion: number): Promise<Proposal> {
  const actor = signedIn(viewer);
  const proposalId = await transact(em, async (tx, events) => {
    const { proposal, facts, report } = await lockReport(tx, viewer, reportId, (f) => isReportDecider(viewer, f), expectedVersion);
    if (!canDecideReport(viewer, facts, report.state)) throw refusal(facts, report, 'accept');
    const check = checkProposalTransition(proposal.state, 'acceptReport');
    if (!check.ok) throw refusal(facts, report, 'accept');
    const now = new Date();
    Object.assign(report, { state: ReportState.ACCEPTED, decidedAt: now, decidedBy: actor.accountId, updatedAt: now });
    proposal.state = check.to;
    proposal.stateEnteredAt = now;
    proposal.updatedAt = now;
    tx.persist(new ProposalTransition(proposal, facts.state, check.to, actor.accountId, null));
    recordReportEvent(events, actor.accountId, proposal, ProposalEventKind.REPORT_ACCEPTED, facts, { reportId: report.id });
    await notifyProposalStateChange(tx, events, proposal, actor.accountId);
    return proposal.id;
  });
  return answer(em, viewer, proposalId);
}

/**
 * A comment on the report while it is written (DRAFT or RETURNED): the proposer's organisation and
 * the ACCEPTED sections. Not a change to the report: its version stays. A retry with the same
 * idempotencyKey returns the first comment.
 */
export async function commentOnReport(em: EntityManager, viewer: Viewer, reportId: string, body: string, idempotencyKey: string | null | undefined): Promise<ReportComment> {
  const actor = signedIn(viewer);
  validateIdempotencyKey(idempotencyKey);
  const clean = cleanCommentBody(body);
  const result = (id: string) => em.fork().findOneOrFail(ReportComment, { id });
  const previous = await findIdempotentResult(em, actor.accountId, idempotencyKey, 'commentOnReport');
  if (previous) return result(previous);
  const id = await transact(em, async (tx, events) => {
    const { proposal, facts, report } = await lockReport(tx, viewer, reportId, (f) => isReportCommenter(viewer, f));
    if (!canCommentOnReport(viewer, facts, report.state)) throw refusal(facts, report, 'comment on');
    const comment = new ReportComment(report, actor.accountId, clean);
    tx.persist(comment);
    rememberIdempotentResult(tx, actor.accountId, idempotencyKey, 'commentOnReport', comment.id);
    recordReportEvent(events, actor.accountId, proposal, ProposalEventKind.REPORT_COMMENTED, facts, { reportId: report.id, commentId: comment.id });
    return comment.id;
  }).catch(async (error: unknown) => {
    const winner = await findIdempotentResult(em.fork(), actor.accountId, idempotencyKey, 'commentOnReport').catch(() => null);
    if (winner) return winner;
    throw error;
  });
  return result(id);
}

// ---------------------------------------------------------------------------------------------
// Reads, batched: only for proposals the viewer sees (they are fields of a visible proposal).

export async function reportsOfProposals(em: EntityManager, proposalIds: readonly string[]): Promise<Array<ImplementationReport | null>> {
  const rows = await em.find(ImplementationReport, { proposal: { $in: [...proposalIds] } });
  const byProposal = new Map(rows.map((row) => [row.proposal.id, row]));
  return proposalIds.map((id) => byProposal.get(id) ?? null);
}

/** Every comment of several reports, oldest first: one statement. */
export async function commentsOfReports(em: EntityManager, reportIds: readonly string[]): Promise<ReportComment[][]> {
  const rows = await em.find(ReportComment, { report: { $in: [...reportIds] } }, { orderBy: { createdAt: QueryOrder.ASC, id: QueryOrder.ASC } });
  const byReport = new Map<string, ReportComment[]>(reportIds.map((id) => [id, []]));
  for (const row of rows) byReport.get(row.report.id)?.push(row);
  return reportIds.map((id) => byReport.get(id) ?? []);
}

/** The live photos of several reports, oldest first: one statement. */
export async function photosOfReports(em: EntityManager, reportIds: readonly string[]): Promise<Attachment[][]> {
  const rows = await em.find(
    Attachment,
    { report: { $in: [...reportIds] }, purpose: AttachmentPurpose.REPORT_PHOTO, deletedAt: null },
    { orderBy: { uploadedAt: QueryOrder.ASC, id: QueryOrder.ASC } },
  );
  const byReport = new Map<string, Attachment[]>(reportIds.map((id) => [id, []]));
  for (const row of rows) if (row.report) byReport.get(row.report.id)?.push(row);
  return reportIds.map((id) => byReport.get(id) ?? []);
}
