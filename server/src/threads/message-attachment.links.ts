import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Attachment, AttachmentPurpose } from '../attachments/attachment.entity.js';
import { FieldErrors } from '../errors/domain-errors.js';
import type { AccountViewer } from '../identity/viewer.js';
import { isUuid } from '../shared/uuid.js';
import { boundQuery } from '../db/bound-query.js';
import type { Message } from './message.entity.js';
import type { Thread } from './thread.entity.js';

/** The same limit as a proposal's material: at most ten files on one message. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;

/** The ids as given, checked before anything is read: at most ten, each a distinct id. */
export function cleanAttachmentIds(ids: readonly string[] | null | undefined, errors: FieldErrors, field = 'attachmentIds'): string[] {
  const list = [...(ids ?? [])];
  if (list.length > MAX_ATTACHMENTS_PER_MESSAGE) errors.add(field, 'TOO_MANY', `At most ${MAX_ATTACHMENTS_PER_MESSAGE} files per message`);
  else if (new Set(list).size !== list.length) errors.add(field, 'INVALID', 'A file is listed twice');
  else if (!list.every(isUuid)) errors.add(field, 'UNKNOWN_REFERENCE', 'No such file uploaded by you for this message');
  return list;
}

/**
 * Links the caller's own unlinked uploads to the message, inside the posting transaction (the
 * proposal's row lock is held, so two posts cannot take the same file): uploads into this thread,
 * or — for a thread's first message (`newThread`) — uploads onto its proposal before any thread.
 * Anyone else's upload, one already on a message, one from another thread or a removed one is
 * UNKNOWN_REFERENCE — the same answer for all, and nothing is saved.
 */
export async function linkMessageAttachments(tx: EntityManager, actor: AccountViewer, thread: Thread, message: Message, ids: readonly string[], options: { newThread?: boolean; field?: string } = {}): Promise<void> {
  if (ids.length === 0) return;
  const where: FilterQuery<Attachment> = {
    id: { $in: [...ids] },
    purpose: AttachmentPurpose.MESSAGE,
    ...(options.newThread ? { thread: null, proposal: thread.proposal.id } : { thread: thread.id }),
    message: null,
    uploadedBy: actor.accountId,
    deletedAt: null,
  };
  const rows = await tx.find(Attachment, where);
  if (rows.length !== ids.length) new FieldErrors().add(options.field ?? 'attachmentIds', 'UNKNOWN_REFERENCE', 'No such file uploaded by you for this message').throwIfAny();
  for (const row of rows) {
    row.thread = thread;
    row.message = message;
  }
}

/** The live files of several messages in one statement, oldest first (for the batched field resolver). */
export async function attachmentsOfMessages(em: EntityManager, messageIds: readonly string[]): Promise<Attachment[][]> {
  const valid = messageIds.filter(isUuid);
  // Bound and mapped without the ORM's query building: read for every live message.
  const rows = valid.length
    ? await boundQuery<Record<string, unknown>>(em, `select * from attachment where message_id = any($1::uuid[]) and purpose = $2 and deleted_at is null order by uploaded_at, id`, [valid, AttachmentPurpose.MESSAGE])
    : [];
  const byMessage = new Map<string, Attachment[]>(messageIds.map((id) => [id, []]));
  for (const row of rows) byMessage.get(row.message_id as string)?.push(em.map(Attachment, row));
  return messageIds.map((id) => byMessage.get(id) ?? []);
}
