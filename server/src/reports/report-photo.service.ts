import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Attachment, AttachmentPurpose } from '../attachments/attachment.entity.js';
import { newStorageKey, type AttachmentStorage } from '../attachments/attachment-storage.js';
import { AttachmentInputError } from '../attachments/attachment.service.js';
import { detectFileType, nameForType } from '../attachments/file-type.js';
import { ConflictError, NotFoundError, UnauthenticatedError } from '../errors/domain-errors.js';
import { transact } from '../events/transaction.js';
import type { Viewer } from '../identity/viewer.js';
import type { Logger } from '../logging/logger.js';
import { ProposalEventKind } from '../proposals/proposal.types.js';
import { isUuid } from '../shared/uuid.js';
import { canEditReport, isReportWriter } from './report.policy.js';
import { lockReport, recordReportEvent, type LockedReport } from './report.service.js';
import { REPORT_LIMITS } from './report.validation.js';

/** Photos of what was done: images only, decided from the bytes. */
const IMAGE_TYPES = ['image/png', 'image/jpeg'];

/** The lead section while the report is editable (NOT_FOUND → FORBIDDEN → ILLEGAL_STATE), then room left. */
async function checkMayAdd(tx: EntityManager, viewer: Viewer, reportId: string): Promise<LockedReport> {
  const locked = await lockReport(tx, viewer, reportId, (facts) => isReportWriter(viewer, facts));
  if (!canEditReport(viewer, locked.facts, locked.report.state)) throw new ConflictError('ILLEGAL_STATE', `Photos are added while the report is a draft or returned, not ${locked.report.state}`);
  const live = await tx.count(Attachment, { report: locked.report.id, purpose: AttachmentPurpose.REPORT_PHOTO, deletedAt: null });
  if (live >= REPORT_LIMITS.photos) throw new AttachmentInputError('TOO_MANY', `At most ${REPORT_LIMITS.photos} photos per report`);
  return locked;
}

/** The checks that need no bytes, made before the body is read (as for proposal attachments). */
export async function checkCanAddReportPhoto(em: EntityManager, viewer: Viewer, reportId: string): Promise<void> {
  if (viewer.kind !== 'account') throw new UnauthenticatedError();
  // A read-only transaction: the lock is only held for the check.
  await em.transactional((tx) => checkMayAdd(tx, viewer, reportId));
}

/**
 * Adds a photo (PNG or JPEG) to the report: stores the bytes, then commits the row under the
 * proposal's lock (so two uploads cannot make a 21st). The photo is a REPORT_PHOTO attachment of
 * the proposal, so it is downloadable by exactly those who see the proposal (= read the report).
 * If anything after storing fails, the stored bytes are removed.
 */
export async function addReportPhoto(em: EntityManager, storage: AttachmentStorage, viewer: Viewer, reportId: string, fileName: string, bytes: Buffer): Promise<Attachment> {
  if (viewer.kind !== 'account') throw new UnauthenticatedError();
  await checkCanAddReportPhoto(em, viewer, reportId);
  if (bytes.length === 0) throw new AttachmentInputError('INVALID', 'The file is empty');
  const decision = detectFileType(bytes);
  if (!decision.accepted || !IMAGE_TYPES.includes(decision.type.mediaType)) throw new AttachmentInputError('NOT_ACCEPTED', 'Photos must be PNG or JPEG images');
  const storageKey = newStorageKey();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await storage.put(storageKey, bytes);
  try {
    const id = await transact(em, async (tx, events) => {
      const { proposal, facts, report } = await checkMayAdd(tx, viewer, reportId);
      const attachment = new Attachment(proposal, nameForType(fileName, decision.type), decision.type.mediaType, bytes.length, sha256, storageKey, viewer.accountId);
      attachment.purpose = AttachmentPurpose.REPORT_PHOTO;
      attachment.report = report;
      tx.persist(attachment);
      recordReportEvent(events, viewer.accountId, proposal, ProposalEventKind.REPORT_PHOTO_ADDED, facts, { reportId: report.id, attachmentId: attachment.id });
      return attachment.id;
    });
    return (await em.fork().findOne(Attachment, { id }))!;
  } catch (error) {
    await storage.remove(storageKey).catch(() => undefined);
    throw error;
  }
}

/** Removes a photo while the report is editable (soft delete; the bytes go after the commit). */
export async function removeReportPhoto(em: EntityManager, storage: AttachmentStorage, viewer: Viewer, attachmentId: string, logger?: Logger): Promise<void> {
  if (viewer.kind !== 'account') throw new UnauthenticatedError();
  const storageKey = await transact(em, async (tx, events) => {
    const found = isUuid(attachmentId) ? await tx.findOne(Attachment, { id: attachmentId, purpose: AttachmentPurpose.REPORT_PHOTO, deletedAt: null }, { fields: ['id', 'report'] }) : null;
    if (!found?.report) throw new NotFoundError('Attachment');
    const { proposal, facts, report } = await lockReport(tx, viewer, found.report.id, (f) => isReportWriter(viewer, f)).catch((error: unknown) => {
      // A photo of a report the viewer cannot see looks like a missing one.
      if (error instanceof NotFoundError) throw new NotFoundError('Attachment');
      throw error;
    });
    if (!canEditReport(viewer, facts, report.state)) throw new ConflictError('ILLEGAL_STATE', `Photos are removed while the report is a draft or returned, not ${report.state}`);
    // Re-read under the proposal's lock: a concurrent removal of the same photo loses here.
    const attachment = await tx.findOne(Attachment, { id: attachmentId, purpose: AttachmentPurpose.REPORT_PHOTO, deletedAt: null }, { refresh: true });
    if (!attachment) throw new NotFoundError('Attachment');
    attachment.deletedAt = new Date();
    recordReportEvent(events, viewer.accountId, proposal, ProposalEventKind.REPORT_PHOTO_REMOVED, facts, { reportId: report.id, attachmentId: attachment.id });
    return attachment.storageKey;
  });
  await storage.remove(storageKey).catch((error: unknown) => logger?.error({ err: error }, 'report photo bytes not removed after delete'));
}
