import { QueryOrder, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { Attachment, AttachmentPurpose } from '../attachments/attachment.entity.js';
import { ConflictError, FieldErrors, ForbiddenError, NotFoundError } from '../errors/domain-errors.js';
import { transact, type EventRecorder } from '../events/transaction.js';
import { findIdempotentResult, rememberIdempotentResult, validateIdempotencyKey } from '../idempotency/idempotency.js';
import { Account } from '../identity/account.entity.js';
import type { AccountViewer, Viewer } from '../identity/viewer.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal, PROPOSAL_TOPIC, type ProposalEventPayload } from '../proposals/proposal.service.js';
import { ProposalEventKind } from '../proposals/proposal.types.js';
import { Audience } from '../shared/audience.js';
import { isUuid } from '../shared/uuid.js';
import { boundQuery } from '../db/bound-query.js';
import { Message } from '../threads/message.entity.js';
import { removeNewlyProtectedFromCase } from '../publication/case-protection.js';
import { ProtectedItemKind, ProtectionRequest, ProtectionState } from './protection-request.entity.js';
import { ProtectionDecision } from './protection.input.js';
import { canDecideProtection, canExportProtectionRegister, canRequestProtection, isProposerOf, isProposerSideMessage, isProtectingState } from './protection.policy.js';
import { registerCsv } from './protection.csv.js';
import type { ProtectedItem } from './protection.redaction.js';
import { validateProtectionDecision, validateProtectionRequest, type ProtectedItemShape } from './protection.validation.js';

/** What a protection event carries on the proposal's stream: ids and the visibility facts. Never the reason or the item's content. */
export interface ProtectionEventPayload extends ProposalEventPayload {
  protectionRequestId: string;
}

function record(events: EventRecorder, actor: AccountViewer, proposal: Proposal, kind: ProposalEventKind, requestId: string): void {
  const facts = proposalVisibilityFacts(proposal);
  const payload: ProtectionEventPayload = { before: facts, after: facts, protectionRequestId: requestId };
  events.record({ topic: PROPOSAL_TOPIC, kind, aggregateId: proposal.id, actorId: actor.accountId, payload });
}

function signedIn(viewer: Viewer): AccountViewer {
  if (viewer.kind !== 'account') throw new NotFoundError('Proposal');
  return viewer;
}

/** The register entry filter for one item (REQUESTED or AGREED: the one the partial unique index allows). */
function activeEntryOf(proposalId: string, item: ProtectedItem) {
  const state = { $in: [ProtectionState.REQUESTED, ProtectionState.AGREED] };
  if (item.kind === ProtectedItemKind.FIELD) return { proposal: proposalId, itemKind: item.kind, fieldName: item.fieldName, state };
  if (item.kind === ProtectedItemKind.ATTACHMENT) return { proposal: proposalId, itemKind: item.kind, attachment: item.attachmentId, state };
  return { proposal: proposalId, itemKind: item.kind, message: item.messageId, state };
}

/**
 * Resolves an attachment or message to the proposal's own: the proposer's material (not the desk's
 * agreement document, not a removed file), or a live message in a SHARED thread written on the
 * proposer's side. Anything else is UNKNOWN_REFERENCE — an INTERNAL message looks like a missing one.
 */
async function resolveItem(tx: EntityManager, proposal: Proposal, item: ProtectedItem, request: ProtectionRequest): Promise<void> {
  const errors = new FieldErrors();
  if (item.kind === ProtectedItemKind.FIELD) {
    request.fieldName = item.fieldName;
  } else if (item.kind === ProtectedItemKind.ATTACHMENT) {
    const attachment = await tx.findOne(Attachment, { id: item.attachmentId, proposal: proposal.id, purpose: AttachmentPurpose.PROPOSAL, deletedAt: null });
    if (!attachment) errors.add('item.attachmentId', 'UNKNOWN_REFERENCE', 'No such attachment of the proposer on this proposal');
    request.attachment = attachment;
  } else {
    const message = await tx.findOne(Message, { id: item.messageId, proposal: proposal.id, thread: { audience: Audience.SHARED } });
    if (!message) errors.add('item.messageId', 'UNKNOWN_REFERENCE', 'No such message on this proposal');
    else if (message.deletedAt) errors.add('item.messageId', 'INVALID', 'A deleted message has nothing left to protect');
    else {
      const author = await tx.findOne(Account, { id: message.authorId }, { fields: ['id', 'role'] });
      if (!isProposerSideMessage(author?.role ?? null)) errors.add('item.messageId', 'INVALID', "Only messages written by the proposer's side can be protected");
    }
    request.message = message;
  }
  errors.throwIfAny();
}

const answer = (em: EntityManager, id: string) => em.fork().findOneOrFail(ProtectionRequest, { id }, { populate: ['attachment', 'message'] });

/**
 * The proposer asks to protect a field, an attachment or one of its side's messages, with a reason.
 * Under the proposal's row lock: visibility (NOT_FOUND, the same as missing), the proposer
 * (FORBIDDEN for the desk and sections), the proposal's state (ILLEGAL_STATE), the item, and an
 * entry already REQUESTED or AGREED for it (DUPLICATE). A retry with the same key returns the first.
 */
export async function requestProtection(em: EntityManager, viewer: Viewer, proposalId: string, itemInput: ProtectedItemShape, reason: string, idempotencyKey: string | null | undefined): Promise<ProtectionRequest> {
  const actor = signedIn(viewer);
  validateIdempotencyKey(idempotencyKey);
  const clean = validateProtectionRequest(itemInput, reason);
  const previous = await findIdempotentResult(em, actor.accountId, idempotencyKey, 'requestProtection');
  if (previous) return answer(em, previous);
  const id = await transact(em, async (tx, events) => {
    const proposal = await findVisibleProposal(tx, viewer, proposalId, { forUpdate: true });
    if (!proposal) throw new NotFoundError('Proposal');
    const facts = proposalVisibilityFacts(proposal);
    if (!isProposerOf(viewer, facts)) throw new ForbiddenError('Only the proposing organisation can ask for protection');
    if (!canRequestProtection(viewer, facts)) throw new ConflictError('ILLEGAL_STATE', `Protection can be asked for from submission while the partnership's record is open (through publication), not while the proposal is ${facts.state}`);
    const request = new ProtectionRequest(proposal, clean.item.kind, actor.accountId);
    request.reason = clean.reason;
    await resolveItem(tx, proposal, clean.item, request);
    if ((await tx.count(ProtectionRequest, activeEntryOf(proposal.id, clean.item))) > 0) {
      throw new ConflictError('DUPLICATE', 'This item is already protected or awaiting the desk’s decision');
    }
    tx.persist(request);
    rememberIdempotentResult(tx, actor.accountId, idempotencyKey, 'requestProtection', request.id);
    record(events, actor, proposal, ProposalEventKind.PROTECTION_REQUESTED, request.id);
    // A requested item counts as protected: off a case page in this same transaction (事例).
    await removeNewlyProtectedFromCase(tx, events, actor.accountId, proposal, clean.item);
    return request.id;
  }).catch(async (error: unknown) => {
    const winner = await findIdempotentResult(em.fork(), actor.accountId, idempotencyKey, 'requestProtection').catch(() => null);
    if (winner) return winner;
    // The partial unique index is the last word on "one active entry per item".
    if (error instanceof UniqueConstraintViolationException) throw new ConflictError('DUPLICATE', 'This item is already protected or awaiting the desk’s decision');
    throw error;
  });
  return answer(em, id);
}

/**
 * The desk agrees or declines, with a reason. Under the proposal's row lock: visibility
 * (NOT_FOUND), the desk (FORBIDDEN), an entry already decided (ILLEGAL_STATE: a decision is
 * final; after a decline the proposer may ask again), then the version (STALE_VERSION).
 */
export async function decideProtection(em: EntityManager, viewer: Viewer, requestId: string, decision: ProtectionDecision, reason: string, expectedVersion: number): Promise<ProtectionRequest> {
  const actor = signedIn(viewer);
  const clean = validateProtectionDecision(reason);
  if (!isUuid(requestId)) throw new NotFoundError('Protection request');
  await transact(em, async (tx, events) => {
    const found = await tx.findOne(ProtectionRequest, { id: requestId }, { fields: ['id', 'proposal'] });
    if (!found) throw new NotFoundError('Protection request');
    const proposal = await findVisibleProposal(tx, viewer, found.proposal.id, { forUpdate: true });
    if (!proposal) throw new NotFoundError('Protection request');
    if (!canDecideProtection(viewer, proposalVisibilityFacts(proposal))) throw new ForbiddenError('Only the desk decides on protection');
    // Re-read under the lock: a decision made meanwhile is seen.
    const request = await tx.findOneOrFail(ProtectionRequest, { id: requestId }, { refresh: true });
    if (request.state !== ProtectionState.REQUESTED) {
      throw new ConflictError('ILLEGAL_STATE', `This request was already ${request.state === ProtectionState.AGREED ? 'agreed' : 'declined'}`, { currentVersion: request.version });
    }
    if (request.version !== expectedVersion) {
      throw new ConflictError('STALE_VERSION', 'The request was changed by someone else since you loaded it', { currentVersion: request.version });
    }
    request.state = decision === ProtectionDecision.AGREED ? ProtectionState.AGREED : ProtectionState.DECLINED;
    request.decidedBy = actor.accountId;
    request.decidedAt = new Date();
    request.decisionReason = clean;
    record(events, actor, proposal, ProposalEventKind.PROTECTION_DECIDED, request.id);
  });
  return answer(em, requestId);
}

// ---------------------------------------------------------------------------------------------
// Reads, batched: only for proposals (and their attachments and messages) the viewer already sees.

/** Every entry of several proposals, oldest first, items joined: one statement. */
export async function registersOfProposals(em: EntityManager, proposalIds: readonly string[]): Promise<ProtectionRequest[][]> {
  const rows = await em.find(ProtectionRequest, { proposal: { $in: [...proposalIds] } }, { populate: ['attachment', 'message'], orderBy: { requestedAt: QueryOrder.ASC, id: QueryOrder.ASC } });
  const byProposal = new Map<string, ProtectionRequest[]>(proposalIds.map((id) => [id, []]));
  for (const row of rows) byProposal.get(row.proposal.id)?.push(row);
  return proposalIds.map((id) => byProposal.get(id) ?? []);
}

/** The protecting state (REQUESTED or AGREED) of each attachment or message, or null: one statement. */
export async function protectionStatesOf(em: EntityManager, kind: ProtectedItemKind.ATTACHMENT | ProtectedItemKind.MESSAGE, ids: readonly string[]): Promise<Array<ProtectionState | null>> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return ids.map(() => null);
  const column = kind === ProtectedItemKind.ATTACHMENT ? 'attachment_id' : 'message_id';
  // A bound statement, not the ORM's find: it runs at every live message.
  const protecting = Object.values(ProtectionState).filter(isProtectingState);
  const rows = await boundQuery<{ item_id: string; state: ProtectionState }>(
    em,
    `select ${column} as item_id, state from protection_request where item_kind = $1 and ${column} = any($2::uuid[]) and state::text = any($3::text[])`,
    [kind, valid, protecting],
  );
  const byItem = new Map<string, ProtectionState>();
  for (const row of rows) byItem.set(row.item_id, row.state);
  return ids.map((id) => byItem.get(id) ?? null);
}

/** Display names, batched. */
export async function accountNamesByIds(em: EntityManager, ids: readonly string[]): Promise<Array<string | null>> {
  const accounts = await em.find(Account, { id: { $in: ids.filter(isUuid) } }, { fields: ['id', 'displayName'] });
  const byId = new Map(accounts.map((account) => [account.id, account.displayName]));
  return ids.map((id) => byId.get(id) ?? null);
}

/**
 * The register as the desk's CSV: NOT_FOUND for whoever cannot see the proposal (the same as a
 * missing one), FORBIDDEN for those who see it but are not the desk. A fixed number of statements.
 */
export async function exportProtectionRegister(em: EntityManager, viewer: Viewer, proposalId: string): Promise<{ fileName: string; csv: string }> {
  const proposal = await findVisibleProposal(em, viewer, proposalId);
  if (!proposal) throw new NotFoundError('Proposal');
  if (!canExportProtectionRegister(viewer, proposalVisibilityFacts(proposal))) throw new ForbiddenError('Only the desk exports the protection register');
  const [entries = []] = await registersOfProposals(em, [proposal.id]);
  const accountIds = [...new Set(entries.flatMap((entry) => [entry.requestedBy, entry.decidedBy, entry.message?.authorId ?? null]).filter((id): id is string => id !== null))];
  const names = new Map(accountIds.map((id, index) => [id, index]));
  const resolved = await accountNamesByIds(em, accountIds);
  const nameOf = (id: string | null | undefined) => (id ? (resolved[names.get(id)!] ?? null) : null);
  const csv = registerCsv(
    entries.map((entry) => ({
      itemKind: entry.itemKind,
      fieldName: entry.fieldName,
      attachmentFileName: entry.attachment?.fileName ?? null,
      messagePostedAt: entry.message?.createdAt ?? null,
      messageAuthorName: nameOf(entry.message?.authorId),
      reason: entry.reason,
      requestedByName: nameOf(entry.requestedBy) ?? '',
      requestedAt: entry.requestedAt,
      state: entry.state,
      decidedByName: nameOf(entry.decidedBy),
      decidedAt: entry.decidedAt,
      decisionReason: entry.decisionReason,
    })),
  );
  // The 受付番号 names the file; a proposal has one from its first submission.
  return { fileName: `protection-register-${proposal.referenceNumber ?? proposal.id}.csv`, csv };
}
