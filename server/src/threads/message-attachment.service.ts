import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Attachment, AttachmentPurpose } from '../attachments/attachment.entity.js';
import { newStorageKey, type AttachmentStorage } from '../attachments/attachment-storage.js';
import { AttachmentInputError } from '../attachments/attachment.service.js';
import { detectFileType, nameForType } from '../attachments/file-type.js';
import { ConflictError, NotFoundError, UnauthenticatedError } from '../errors/domain-errors.js';
import { transact } from '../events/transaction.js';
import type { AccountViewer, Viewer } from '../identity/viewer.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal } from '../proposals/proposal.service.js';
import { Audience } from '../shared/audience.js';
import type { Thread } from './thread.entity.js';
import { canWriteInThread } from './thread.policy.js';
import { findVisibleThread } from './thread.reads.js';
import { loadThreadForWrite } from './thread.service.js';

/**
 * Files on messages: uploaded into a thread first (or, for a thread's first message, onto its
 * proposal before the thread exists) — unlinked, seen by their uploader alone — then linked to
 * the message that posts them, in the message's own transaction. Once linked, a file
 * goes to exactly the thread's readers (attachment.service.ts, findDownloadableAttachment).
 * Linking and listing: message-attachment.links.ts.
 */

/**
 * The checks that need no bytes, made before the body is read: whoever may post in the thread now.
 * A thread the viewer cannot read is NOT_FOUND, the same as a missing one.
 */
export async function checkCanUploadToThread(em: EntityManager, viewer: Viewer, threadId: string): Promise<void> {
  if (viewer.kind !== 'account') throw new UnauthenticatedError();
  const thread = await findVisibleThread(em, viewer, threadId);
  const proposal = thread ? await findVisibleProposal(em, viewer, thread.proposal.id) : null;
  if (!thread || !proposal) throw new NotFoundError('Thread');
  if (!canWriteInThread(viewer, { proposal: proposalVisibilityFacts(proposal), audience: thread.audience })) {
    throw new ConflictError('ILLEGAL_STATE', `The dialogue is closed on a proposal that is ${proposal.state}`);
  }
}

/**
 * Before the body is read, for the first message of a thread not yet started: whoever may start
 * a thread on the proposal now (everyone who sees it, while it is open for dialogue).
 */
export async function checkCanUploadForNewThread(em: EntityManager, viewer: Viewer, proposalId: string): Promise<void> {
  if (viewer.kind !== 'account') throw new UnauthenticatedError();
  const proposal = await findVisibleProposal(em, viewer, proposalId);
  if (!proposal) throw new NotFoundError('Proposal');
  checkNewThreadOpen(viewer, proposal);
}

function checkNewThreadOpen(viewer: Viewer, proposal: Proposal): void {
  // SHARED is the audience everyone who sees the proposal may start; the audience is chosen when the thread starts.
  if (!canWriteInThread(viewer, { proposal: proposalVisibilityFacts(proposal), audience: Audience.SHARED })) {
    throw new ConflictError('ILLEGAL_STATE', `Threads are started from submission until the report, not when a proposal is ${proposal.state}`);
  }
}

type Target = { kind: 'thread'; threadId: string } | { kind: 'newThread'; proposalId: string };

/**
 * Stores a file for a message still being written — in a thread, or the first message of a thread
 * about to be started: the type from the bytes (the proposal's rules), then the row — unlinked,
 * its uploader's alone — under the proposal's lock, checked again. If anything after storing
 * fails, the stored bytes are removed.
 */
export async function addMessageAttachment(em: EntityManager, storage: AttachmentStorage, viewer: Viewer, target: Target, fileName: string, bytes: Buffer): Promise<Attachment> {
  if (target.kind === 'thread') await checkCanUploadToThread(em, viewer, target.threadId);
  else await checkCanUploadForNewThread(em, viewer, target.proposalId);
  const actor = viewer as AccountViewer;
  if (bytes.length === 0) throw new AttachmentInputError('INVALID', 'The file is empty');
  const decision = detectFileType(bytes);
  if (!decision.accepted) {
    throw new AttachmentInputError('NOT_ACCEPTED', 'Only PDF, Word, Excel, PowerPoint (without macros), PNG and JPEG files are accepted');
  }
  const storageKey = newStorageKey();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await storage.put(storageKey, bytes);
  try {
    // No outbox event: nobody but the uploader may know of the file until its message is posted.
    const id = await transact(em, async (tx) => {
      let proposal: Proposal;
      let thread: Thread | null = null;
      if (target.kind === 'thread') {
        ({ thread, proposal } = await loadThreadForWrite(tx, actor, target.threadId));
      } else {
        const found = await findVisibleProposal(tx, actor, target.proposalId, { forUpdate: true });
        if (!found) throw new NotFoundError('Proposal');
        checkNewThreadOpen(actor, found);
        proposal = found;
      }
      const attachment = new Attachment(proposal, nameForType(fileName, decision.type), decision.type.mediaType, bytes.length, sha256, storageKey, actor.accountId);
      attachment.purpose = AttachmentPurpose.MESSAGE;
      attachment.thread = thread;
      tx.persist(attachment);
      return attachment.id;
    });
    return (await em.fork().findOne(Attachment, { id }))!;
  } catch (error) {
    await storage.remove(storageKey).catch(() => undefined);
    throw error;
  }
}
