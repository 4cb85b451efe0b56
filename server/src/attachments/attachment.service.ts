import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { DomainError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../errors/domain-errors.js';
import { transact } from '../events/transaction.js';
import { actorIdOf, type Viewer } from '../identity/viewer.js';
import type { Logger } from '../logging/logger.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { findVisibleProposal } from '../proposals/proposal.service.js';
import { canChangeAttachments, proposalVisibilityFacts, proposalVisibilityFilter, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { isUuid } from '../shared/uuid.js';
import { threadAudienceFilter } from '../threads/thread.policy.js';
import { Attachment, AttachmentPurpose } from './attachment.entity.js';
import { newStorageKey, type AttachmentStorage } from './attachment-storage.js';
import { MAX_ATTACHMENTS_PER_PROPOSAL, type AttachmentFieldCode } from './attachment.validation.js';
import { detectFileType, nameForType } from './file-type.js';

/** Attachment events go on the proposal's topic: a live view of the proposal refreshes its list. */
export const PROPOSAL_TOPIC = 'proposal';

export enum AttachmentEventKind {
  ADDED = 'ATTACHMENT_ADDED',
  REMOVED = 'ATTACHMENT_REMOVED',
}

/** What an attachment event carries: ids and the proposal's policy facts. Never the file name (it may be protected). */
export interface AttachmentEventPayload {
  [key: string]: unknown;
  attachmentId: string;
  before: ProposalVisibilityFacts;
  after: ProposalVisibilityFacts;
}

/** A refused file, with the same shape as the GraphQL API's input errors (field `file`). */
export class AttachmentInputError extends DomainError {
  constructor(
    readonly fieldCode: AttachmentFieldCode,
    message: string,
  ) {
    super('BAD_USER_INPUT', `Invalid input: file (${fieldCode})`, { fields: [{ field: 'file', code: fieldCode, message }] });
  }
}

/** The proposer's material only: the desk's signed agreement documents never count against their limit. */
function liveCount(em: EntityManager, proposalId: string): Promise<number> {
  return em.count(Attachment, { proposal: proposalId, purpose: AttachmentPurpose.PROPOSAL, deletedAt: null });
}

/** Visible → allowed → room left, in that order, so a stranger learns nothing from the answer. */
async function checkMayAdd(em: EntityManager, viewer: Viewer, proposal: Proposal | null): Promise<Proposal> {
  if (!proposal) throw new NotFoundError('Proposal');
  if (!canChangeAttachments(viewer, proposalVisibilityFacts(proposal))) throw new ForbiddenError('Attachments can be changed by the organisation while the proposal is a draft');
  if ((await liveCount(em, proposal.id)) >= MAX_ATTACHMENTS_PER_PROPOSAL) {
    throw new AttachmentInputError('TOO_MANY', `At most ${MAX_ATTACHMENTS_PER_PROPOSAL} attachments per proposal`);
  }
  return proposal;
}

/**
 * The checks that need no bytes, made before the body is read: a caller who may not upload
 * never makes the server read 20 MB.
 */
export async function checkCanUpload(em: EntityManager, viewer: Viewer, proposalId: string): Promise<void> {
  if (viewer.kind !== 'account') throw new UnauthenticatedError();
  await checkMayAdd(em, viewer, await findVisibleProposal(em, viewer, proposalId));
}

/**
 * Adds an attachment: decides the type from the bytes, stores them, then commits the row (the
 * count is taken under a lock on the proposal, so two concurrent uploads cannot make an 11th).
 * If anything after storing fails, the stored bytes are removed: nothing is half-saved.
 */
export async function addAttachment(em: EntityManager, storage: AttachmentStorage, viewer: Viewer, proposalId: string, fileName: string, bytes: Buffer): Promise<Attachment> {
  if (viewer.kind !== 'account') throw new UnauthenticatedError();
  await checkMayAdd(em, viewer, await findVisibleProposal(em, viewer, proposalId));
  if (bytes.length === 0) throw new AttachmentInputError('INVALID', 'The file is empty');
  const decision = detectFileType(bytes);
  if (!decision.accepted) {
    throw new AttachmentInputError('NOT_ACCEPTED', 'Only PDF, Word, Excel, PowerPoint (without macros), PNG and JPEG files are accepted');
  }
  const storageKey = newStorageKey();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await storage.put(storageKey, bytes);
  try {
    const id = await transact(em, async (tx, events) => {
      const proposal = await checkMayAdd(tx, viewer, await findVisibleProposal(tx, viewer, proposalId, { forUpdate: true }));
      const attachment = new Attachment(proposal, nameForType(fileName, decision.type), decision.type.mediaType, bytes.length, sha256, storageKey, viewer.accountId);
      tx.persist(attachment);
      const facts = proposalVisibilityFacts(proposal);
      const payload: AttachmentEventPayload = { attachmentId: attachment.id, before: facts, after: facts };
      events.record({ topic: PROPOSAL_TOPIC, kind: AttachmentEventKind.ADDED, aggregateId: proposal.id, actorId: viewer.accountId, payload });
      return attachment.id;
    });
    return (await em.fork().findOne(Attachment, { id }))!;
  } catch (error) {
    await storage.remove(storageKey).catch(() => undefined);
    throw error;
  }
}

/** Soft delete: the row keeps its history (deletedAt); the bytes are removed once the commit is done. */
export async function removeAttachment(em: EntityManager, storage: AttachmentStorage, viewer: Viewer, id: string, logger?: Logger): Promise<void> {
  if (viewer.kind !== 'account') throw new UnauthenticatedError();
  const storageKey = await transact(em, async (tx, events) => {
    // Only the proposer's material is removable: a signed agreement document is kept for good (NOT_FOUND here).
    const found = isUuid(id) ? await tx.findOne(Attachment, { id, purpose: AttachmentPurpose.PROPOSAL, deletedAt: null }, { fields: ['id', 'proposal', 'storageKey'] }) : null;
    const proposal = found ? await findVisibleProposal(tx, viewer, found.proposal.id, { forUpdate: true }) : null;
    if (!found || !proposal) throw new NotFoundError('Attachment');
    const facts = proposalVisibilityFacts(proposal);
    if (!canChangeAttachments(viewer, facts)) throw new ForbiddenError('Attachments can be changed by the organisation while the proposal is a draft');
    // Re-read under the proposal's lock: a concurrent delete of the same attachment loses here.
    const attachment = await tx.findOne(Attachment, { id, purpose: AttachmentPurpose.PROPOSAL, deletedAt: null }, { refresh: true });
    if (!attachment) throw new NotFoundError('Attachment');
    attachment.deletedAt = new Date();
    const payload: AttachmentEventPayload = { attachmentId: attachment.id, before: facts, after: facts };
    events.record({ topic: PROPOSAL_TOPIC, kind: AttachmentEventKind.REMOVED, aggregateId: proposal.id, actorId: actorIdOf(viewer), payload });
    return attachment.storageKey;
  });
  await storage.remove(storageKey).catch((error: unknown) => logger?.error({ err: error }, 'attachment bytes not removed after delete'));
}

/** The thread audience rule on an attachment's thread: proposers only ever reach files of SHARED threads. */
function threadFilter(viewer: Viewer): FilterQuery<Attachment> {
  const audience = threadAudienceFilter(viewer);
  return Object.keys(audience).length === 0 ? {} : { thread: audience };
}

/**
 * An attachment the viewer may download now, or null: deleted, missing and not allowed look the same.
 * The proposer's material and the signed agreement documents (also replaced ones, kept as history)
 * go to exactly those who see the proposal. A file on a message goes to exactly those who read its
 * thread (an INTERNAL thread's never to a proposer), while its message is not deleted; a file not
 * yet on a message to its uploader alone. All in the one statement's WHERE.
 */
export async function findDownloadableAttachment(em: EntityManager, viewer: Viewer, id: string): Promise<Attachment | null> {
  if (!isUuid(id) || viewer.kind !== 'account') return null;
  // `message: { deletedAt: null }` alone would also match an unlinked file (the join yields nulls): hence `$ne: null` beside it.
  const onLiveMessage: FilterQuery<Attachment> = { $and: [{ message: { $ne: null } }, { message: { deletedAt: null } }] };
  const messageFile: FilterQuery<Attachment> = {
    $and: [
      { purpose: AttachmentPurpose.MESSAGE },
      {
        $or: [
          { $and: [{ thread: { $ne: null } }, threadFilter(viewer), { $or: [onLiveMessage, { message: null, uploadedBy: viewer.accountId }] }] },
          // Uploaded for a thread not yet started: its uploader's alone.
          { thread: null, message: null, uploadedBy: viewer.accountId },
        ],
      },
    ],
  };
  return em.findOne(Attachment, {
    $and: [{ id, deletedAt: null, proposal: proposalVisibilityFilter(viewer) }, { $or: [{ purpose: { $ne: AttachmentPurpose.MESSAGE } }, messageFile] }],
  });
}

/** The live proposer's material of several proposals in one query, oldest first (for the batched field resolver). */
export async function attachmentsOfProposals(em: EntityManager, proposalIds: readonly string[]): Promise<Attachment[][]> {
  const where = { proposal: { $in: [...proposalIds] }, purpose: AttachmentPurpose.PROPOSAL, deletedAt: null };
  const rows = await em.find(Attachment, where, { orderBy: { uploadedAt: 'asc', id: 'asc' } });
  const byProposal = new Map<string, Attachment[]>(proposalIds.map((id) => [id, []]));
  for (const row of rows) byProposal.get(row.proposal.id)?.push(row);
  return proposalIds.map((id) => byProposal.get(id) ?? []);
}
