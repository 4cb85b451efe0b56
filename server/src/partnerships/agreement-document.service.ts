import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Attachment, AttachmentPurpose } from '../attachments/attachment.entity.js';
import { newStorageKey, type AttachmentStorage } from '../attachments/attachment-storage.js';
import { AttachmentInputError } from '../attachments/attachment.service.js';
import { detectFileType, nameForType } from '../attachments/file-type.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../errors/domain-errors.js';
import { transact } from '../events/transaction.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal, PROPOSAL_TOPIC } from '../proposals/proposal.service.js';
import { ProposalEventKind } from '../proposals/proposal.types.js';
import { AgreementRecord } from './agreement-record.entity.js';
import { canFileAgreementDocument } from './partnership.policy.js';
import type { PartnershipEventPayload } from './partnership.service.js';

const PDF = 'application/pdf';

/**
 * Visible (NOT_FOUND) → the desk (FORBIDDEN) → AGREED or later with an agreement record
 * (ILLEGAL_STATE), in that order, so a stranger learns nothing from the answer.
 */
async function checkMayFile(em: EntityManager, viewer: Viewer, proposal: Proposal | null): Promise<AgreementRecord> {
  if (!proposal) throw new NotFoundError('Proposal');
  if (!isDesk(viewer)) throw new ForbiddenError('The desk files the signed agreement document');
  const record = await em.findOne(AgreementRecord, { proposal: proposal.id });
  if (!canFileAgreementDocument(viewer, proposalVisibilityFacts(proposal), record !== null)) {
    throw new ConflictError(
      'ILLEGAL_STATE',
      record ? `A proposal that is ${proposal.state} takes no agreement document` : 'Record the agreement (title, parties, signing date, term) before filing its signed document',
    );
  }
  return record!;
}

/** The checks that need no bytes, made before the body is read (as for proposal attachments). */
export async function checkCanFileAgreementDocument(em: EntityManager, viewer: Viewer, proposalId: string): Promise<void> {
  if (viewer.kind !== 'account') throw new UnauthenticatedError();
  await checkMayFile(em, viewer, await findVisibleProposal(em, viewer, proposalId));
}

/**
 * Files the signed 協定書・契約書 (PDF only, decided from the bytes) on the proposal's agreement
 * record. A second filing replaces it on the record; the earlier file stays stored (history, never
 * deleted) and downloadable by whoever sees the proposal. Not a change to the proposal: its
 * version stays. If anything after storing fails, the stored bytes are removed.
 */
export async function fileAgreementDocument(em: EntityManager, storage: AttachmentStorage, viewer: Viewer, proposalId: string, fileName: string, bytes: Buffer): Promise<Attachment> {
  if (viewer.kind !== 'account') throw new UnauthenticatedError();
  await checkMayFile(em, viewer, await findVisibleProposal(em, viewer, proposalId));
  if (bytes.length === 0) throw new AttachmentInputError('INVALID', 'The file is empty');
  const decision = detectFileType(bytes);
  if (!decision.accepted || decision.type.mediaType !== PDF) throw new AttachmentInputError('NOT_ACCEPTED', 'The signed document must be a PDF');
  const storageKey = newStorageKey();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await storage.put(storageKey, bytes);
  try {
    const id = await transact(em, async (tx, events) => {
      const proposal = await findVisibleProposal(tx, viewer, proposalId, { forUpdate: true });
      const record = await checkMayFile(tx, viewer, proposal);
      const attachment = new Attachment(proposal!, nameForType(fileName, decision.type), PDF, bytes.length, sha256, storageKey, viewer.accountId);
      attachment.purpose = AttachmentPurpose.AGREEMENT_DOCUMENT;
      tx.persist(attachment);
      record.document = attachment;
      const facts = proposalVisibilityFacts(proposal!);
      const payload: PartnershipEventPayload = { before: facts, after: facts, agreementRecordId: record.id, attachmentId: attachment.id };
      events.record({ topic: PROPOSAL_TOPIC, kind: ProposalEventKind.AGREEMENT_RECORDED, aggregateId: proposal!.id, actorId: viewer.accountId, payload });
      return attachment.id;
    });
    return (await em.fork().findOne(Attachment, { id }))!;
  } catch (error) {
    await storage.remove(storageKey).catch(() => undefined);
    throw error;
  }
}
