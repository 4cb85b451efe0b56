import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, FieldErrors, ForbiddenError, NotFoundError } from '../errors/domain-errors.js';
import { transact, type EventRecorder } from '../events/transaction.js';
import { findIdempotentResult, rememberIdempotentResult, validateIdempotencyKey } from '../idempotency/idempotency.js';
import { Account } from '../identity/account.entity.js';
import type { AccountViewer, Viewer } from '../identity/viewer.js';
import { NotificationKind } from '../notifications/notification.entity.js';
import { notify, type Notice } from '../notifications/notify.js';
import { Membership } from '../organisations/membership.entity.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal } from '../proposals/proposal.service.js';
import { Audience } from '../shared/audience.js';
import { isUuid } from '../shared/uuid.js';
import { Attachment, AttachmentPurpose } from '../attachments/attachment.entity.js';
import { cleanAttachmentIds, linkMessageAttachments } from './message-attachment.links.js';
import { renderMessageBody } from './message-markdown.js';
import { Message, MessageRevision } from './message.entity.js';
import { ThreadReader } from './thread-reader.entity.js';
import { Thread } from './thread.entity.js';
import { canDeleteMessage, canEditMessage, canReadThread, canWriteInThread, isThreadReader, THREAD_WRITABLE_STATES, type ThreadFacts } from './thread.policy.js';
import { findVisibleMessage, findVisibleThread } from './thread.reads.js';
import { ThreadEventKind, type StartThreadInput } from './thread.types.js';
import { cleanMessageBody, cleanThreadTitle, type CleanBody } from './thread.validation.js';

/** The outbox topic of one proposal's threads: every event names its thread and audience, never content. */
export function threadTopic(proposalId: string): string {
  return `thread:${proposalId}`;
}

/** What a thread event carries: ids and the audience, so a subscription withholds INTERNAL ones from proposers before reading anything. */
export interface ThreadEventPayload {
  [key: string]: unknown;
  threadId: string;
  messageId: string | null;
  audience: Audience;
}

function record(events: EventRecorder, actor: AccountViewer, thread: Thread, kind: ThreadEventKind, message: Message | null): void {
  const payload: ThreadEventPayload = { threadId: thread.id, messageId: message?.id ?? null, audience: thread.audience };
  events.record({ topic: threadTopic(thread.proposal.id), kind, aggregateId: thread.proposal.id, actorId: actor.accountId, payload });
}

function signedIn(viewer: Viewer): AccountViewer {
  if (viewer.kind !== 'account') throw new ForbiddenError();
  return viewer;
}

function threadFacts(proposal: Proposal, audience: Audience): ThreadFacts {
  return { proposal: proposalVisibilityFacts(proposal), audience };
}

/**
 * Of these accounts, the ones who read a thread with these facts now (enabled; desk, matched
 * section, or — SHARED only — a member of the proposing organisation). Two statements.
 */
export async function readersAmong(em: EntityManager, facts: ThreadFacts, ids: readonly string[]): Promise<Map<string, Account>> {
  const valid = [...new Set(ids.filter(isUuid))];
  if (valid.length === 0) return new Map();
  const accounts = await em.find(Account, { id: { $in: valid } });
  const members = await em.find(Membership, { account: { $in: valid }, leftAt: null });
  const organisationOf = new Map(members.map((membership) => [membership.account.id, membership.organisation.id]));
  const readers = accounts.filter((account) =>
    isThreadReader({ role: account.role, disabled: account.disabledAt !== null, sectionId: account.section?.id ?? null, organisationId: organisationOf.get(account.id) ?? null }, facts),
  );
  return new Map(readers.map((account) => [account.id, account]));
}

/**
 * The mentioned accounts, each checked against the thread's audience as it is now: an unknown id
 * is UNKNOWN_REFERENCE, anyone who cannot read the thread NOT_ACCEPTED (nothing is saved).
 */
async function resolveMentions(tx: EntityManager, facts: ThreadFacts, mentionIds: readonly string[]): Promise<Map<string, Account>> {
  if (mentionIds.length === 0) return new Map();
  const existing = await tx.count(Account, { id: { $in: [...mentionIds] } });
  const readers = await readersAmong(tx, facts, mentionIds);
  const errors = new FieldErrors();
  if (existing !== mentionIds.length) errors.add('mentions', 'UNKNOWN_REFERENCE', 'No such person');
  else if (readers.size !== mentionIds.length) errors.add('mentions', 'NOT_ACCEPTED', 'Only people who can read this thread can be mentioned');
  errors.throwIfAny();
  return readers;
}

function render(clean: CleanBody, mentioned: ReadonlyMap<string, Account>): string {
  return renderMessageBody(clean.body, new Map([...mentioned].map(([id, account]) => [id, account.displayName])));
}

/**
 * The person follows the thread from now on (and, with `readUpTo`, has read it up to then). An
 * upsert: a concurrent markThreadRead of the same person never makes the post fail. The rows the
 * use case created must be flushed first (the reader row refers to the thread).
 */
async function follow(tx: EntityManager, threadId: string, accountId: string, readUpTo: Date | null): Promise<void> {
  await tx.execute(
    `insert into thread_reader (id, thread_id, account_id, read_up_to, following) values (gen_random_uuid(), ?, ?, ?, true)
     on conflict (thread_id, account_id) do update set following = true,
       read_up_to = case when excluded.read_up_to is null then thread_reader.read_up_to else greatest(coalesce(thread_reader.read_up_to, excluded.read_up_to), excluded.read_up_to) end`,
    [threadId, accountId, readUpTo],
  );
}

/**
 * After a message is posted: the author and the people mentioned follow the thread (the author has
 * read up to it); mentioned people get MENTION, the parent's author REPLY, followers
 * THREAD_MESSAGE — each only while they can read the thread, never the author (notify drops them).
 */
async function afterPost(tx: EntityManager, events: EventRecorder, actor: AccountViewer, proposal: Proposal, thread: Thread, message: Message, mentioned: ReadonlyMap<string, Account>, parentAuthorId: string | null): Promise<void> {
  await tx.flush();
  await follow(tx, thread.id, actor.accountId, message.createdAt);
  for (const id of mentioned.keys()) await follow(tx, thread.id, id, null);
  const followers = await tx.find(ThreadReader, { thread: thread.id, following: true }, { fields: ['accountId'] });
  const facts = threadFacts(proposal, thread.audience);
  const candidates = [...followers.map((row) => row.accountId), ...(parentAuthorId ? [parentAuthorId] : [])];
  const readers = await readersAmong(tx, facts, candidates);
  const notices: Notice[] = [];
  const base = { proposal, thread, message, actorId: actor.accountId };
  for (const id of mentioned.keys()) notices.push({ ...base, recipientId: id, kind: NotificationKind.MENTION });
  if (parentAuthorId && readers.has(parentAuthorId)) notices.push({ ...base, recipientId: parentAuthorId, kind: NotificationKind.REPLY });
  for (const row of followers) if (readers.has(row.accountId)) notices.push({ ...base, recipientId: row.accountId, kind: NotificationKind.THREAD_MESSAGE });
  notify(tx, events, notices);
}

/**
 * The thread for a change, under its proposal's row lock (a match ending waits for this commit):
 * NOT_FOUND when it is missing or the viewer cannot read it (the same answer), ILLEGAL_STATE when
 * the proposal is not open for dialogue.
 */
export async function loadThreadForWrite(tx: EntityManager, viewer: AccountViewer, threadId: string): Promise<{ thread: Thread; proposal: Proposal }> {
  if (!isUuid(threadId)) throw new NotFoundError('Thread');
  const [row] = await tx.execute<Array<{ proposal_id: string }>>('select proposal_id from thread where id = ?', [threadId]);
  if (!row) throw new NotFoundError('Thread');
  const proposal = await findVisibleProposal(tx, viewer, row.proposal_id, { forUpdate: true });
  const thread = await tx.findOne(Thread, { id: threadId });
  if (!proposal || !thread || !canReadThread(viewer, threadFacts(proposal, thread.audience))) throw new NotFoundError('Thread');
  if (!canWriteInThread(viewer, threadFacts(proposal, thread.audience))) throw new ConflictError('ILLEGAL_STATE', `The dialogue is closed on a proposal that is ${proposal.state}`);
  return { thread, proposal };
}

async function loadMessageForChange(tx: EntityManager, viewer: AccountViewer, messageId: string): Promise<{ message: Message; thread: Thread; proposal: Proposal }> {
  if (!isUuid(messageId)) throw new NotFoundError('Message');
  const [row] = await tx.execute<Array<{ thread_id: string }>>('select thread_id from message where id = ?', [messageId]);
  if (!row) throw new NotFoundError('Message');
  const { thread, proposal } = await loadThreadForWrite(tx, viewer, row.thread_id).catch((error: unknown) => {
    throw error instanceof NotFoundError ? new NotFoundError('Message') : error;
  });
  const message = await tx.findOneOrFail(Message, { id: messageId });
  return { message, thread, proposal };
}

function checkVersion(message: Message, expectedVersion: number): void {
  if (message.version !== expectedVersion) {
    throw new ConflictError('STALE_VERSION', 'The message was changed since you loaded it', { currentVersion: message.version });
  }
}

// ---------------------------------------------------------------------------------------------
// Use cases

/**
 * Starts a thread on a proposal with its first message. Everyone who sees the proposal may start
 * one while it is open for dialogue; proposers only SHARED ones (an INTERNAL thread of theirs
 * would be one they cannot read). A retry with the same idempotencyKey returns the first thread.
 */
export async function startThread(em: EntityManager, viewer: Viewer, proposalId: string, input: StartThreadInput, idempotencyKey: string | null | undefined): Promise<Thread> {
  const actor = signedIn(viewer);
  validateIdempotencyKey(idempotencyKey);
  const errors = new FieldErrors();
  const title = cleanThreadTitle(input.title, errors);
  const clean = cleanMessageBody(input.body, errors);
  const fileIds = cleanAttachmentIds(input.attachmentIds, errors, 'input.attachmentIds');
  errors.throwIfAny();
  const answer = async (id: string): Promise<Thread> => (await findVisibleThread(em.fork(), viewer, id)) ?? Promise.reject(new NotFoundError('Thread'));
  const previous = await findIdempotentResult(em, actor.accountId, idempotencyKey, 'startThread');
  if (previous) return answer(previous);
  const id = await transact(em, async (tx, events) => {
    const proposal = await findVisibleProposal(tx, viewer, proposalId, { forUpdate: true });
    if (!proposal) throw new NotFoundError('Proposal');
    const facts = threadFacts(proposal, input.audience);
    if (!canReadThread(viewer, facts)) throw new ForbiddenError('Proposers start SHARED threads only');
    if (!THREAD_WRITABLE_STATES.includes(proposal.state)) throw new ConflictError('ILLEGAL_STATE', `Threads are started from submission until the report, not when a proposal is ${proposal.state}`);
    const mentioned = await resolveMentions(tx, facts, clean.mentionIds);
    const thread = new Thread(proposal, input.audience, actor.accountId);
    thread.title = title;
    const message = new Message(thread, actor.accountId);
    message.body = clean.body;
    message.bodyHtml = render(clean, mentioned);
    message.mentionIds = [...mentioned.keys()];
    thread.lastMessageAt = message.createdAt;
    tx.persist([thread, message]);
    await linkMessageAttachments(tx, actor, thread, message, fileIds, { newThread: true, field: 'input.attachmentIds' });
    rememberIdempotentResult(tx, actor.accountId, idempotencyKey, 'startThread', thread.id);
    record(events, actor, thread, ThreadEventKind.THREAD_STARTED, message);
    await afterPost(tx, events, actor, proposal, thread, message, mentioned, null);
    return thread.id;
  }).catch(async (error: unknown) => {
    const winner = await findIdempotentResult(em.fork(), actor.accountId, idempotencyKey, 'startThread').catch(() => null);
    if (winner) return winner;
    throw error;
  });
  return answer(id);
}

/**
 * Posts a message in a thread, or a reply to one of its messages. Replies nest three levels
 * (depth 0–2); a reply to a message at the deepest level is placed beside it and quotes it. The
 * audience is the thread's. A retry with the same idempotencyKey returns the first message and
 * tells nobody twice.
 */
export async function postMessage(
  em: EntityManager,
  viewer: Viewer,
  threadId: string,
  body: string,
  parentId: string | null | undefined,
  idempotencyKey: string | null | undefined,
  attachmentIds: readonly string[] | null | undefined = [],
): Promise<Message> {
  const actor = signedIn(viewer);
  validateIdempotencyKey(idempotencyKey);
  const errors = new FieldErrors();
  const clean = cleanMessageBody(body, errors);
  const fileIds = cleanAttachmentIds(attachmentIds, errors);
  errors.throwIfAny();
  const answer = async (id: string): Promise<Message> => (await findVisibleMessage(em.fork(), viewer, id)) ?? Promise.reject(new NotFoundError('Message'));
  const previous = await findIdempotentResult(em, actor.accountId, idempotencyKey, 'postMessage');
  if (previous) return answer(previous);
  const posted = await transact(em, async (tx, events) => {
    const { thread, proposal } = await loadThreadForWrite(tx, actor, threadId);
    let parent: Message | null = null;
    if (parentId != null) {
      parent = isUuid(parentId) ? await tx.findOne(Message, { id: parentId, thread: thread.id }) : null;
      if (!parent) new FieldErrors().add('parentId', 'UNKNOWN_REFERENCE', 'No such message in this thread').throwIfAny();
    }
    const mentioned = await resolveMentions(tx, threadFacts(proposal, thread.audience), clean.mentionIds);
    const message = new Message(thread, actor.accountId);
    if (parent && parent.depth >= 2) {
      // Three levels at most: answer beside the deepest message, quoting it.
      message.parent = parent.parent;
      message.depth = 2;
      message.quoted = parent;
    } else if (parent) {
      message.parent = parent;
      message.depth = parent.depth + 1;
    }
    message.body = clean.body;
    message.bodyHtml = render(clean, mentioned);
    message.mentionIds = [...mentioned.keys()];
    thread.lastMessageAt = message.createdAt;
    tx.persist(message);
    await linkMessageAttachments(tx, actor, thread, message, fileIds);
    rememberIdempotentResult(tx, actor.accountId, idempotencyKey, 'postMessage', message.id);
    record(events, actor, thread, ThreadEventKind.MESSAGE_POSTED, message);
    await afterPost(tx, events, actor, proposal, thread, message, mentioned, parent?.authorId ?? null);
    return message;
  }).catch(async (error: unknown) => {
    const winner = await findIdempotentResult(em.fork(), actor.accountId, idempotencyKey, 'postMessage').catch(() => null);
    if (winner) return winner;
    throw error;
  });
  // The message just committed is answered as it was written, with its thread, read in the same
  // transaction: no second read right after the commit, when this instance's subscribers are being
  // served. A retry that lost to an earlier one is answered with that one, read again.
  return typeof posted === 'string' ? answer(posted) : posted;
}

/**
 * Edits one's own message. The previous body is kept as a revision (the history anyone in the
 * audience may view); an edit based on a stale version is a CONFLICT, never a silent overwrite.
 * People newly mentioned are told.
 */
export async function editMessage(em: EntityManager, viewer: Viewer, messageId: string, body: string, expectedVersion: number): Promise<Message> {
  const actor = signedIn(viewer);
  const errors = new FieldErrors();
  const clean = cleanMessageBody(body, errors);
  errors.throwIfAny();
  await transact(em, async (tx, events) => {
    const { message, thread, proposal } = await loadMessageForChange(tx, actor, messageId);
    const facts = threadFacts(proposal, thread.audience);
    if (message.deletedAt) throw new ConflictError('ILLEGAL_STATE', 'A deleted message cannot be edited');
    if (!canEditMessage(actor, facts, { authorId: message.authorId, deleted: false })) throw new ForbiddenError('Only its author edits a message');
    checkVersion(message, expectedVersion);
    if (clean.body === message.body) return;
    const mentioned = await resolveMentions(tx, facts, clean.mentionIds);
    const now = new Date();
    const revision = new MessageRevision(message, message.body, message.bodyHtml, actor.accountId);
    revision.editedAt = now;
    tx.persist(revision);
    const before = new Set(message.mentionIds);
    message.body = clean.body;
    message.bodyHtml = render(clean, mentioned);
    message.mentionIds = [...mentioned.keys()];
    message.editedAt = now;
    record(events, actor, thread, ThreadEventKind.MESSAGE_EDITED, message);
    const added = [...mentioned.keys()].filter((id) => !before.has(id));
    await tx.flush();
    for (const id of added) await follow(tx, thread.id, id, null);
    notify(
      tx,
      events,
      added.map((id) => ({ recipientId: id, kind: NotificationKind.MENTION, proposal, thread, message, actorId: actor.accountId })),
    );
  });
  return (await findVisibleMessage(em.fork(), viewer, messageId)) ?? Promise.reject(new NotFoundError('Message'));
}

/**
 * Deletes a message: its author, or the desk as moderator. The body and its earlier versions are
 * removed; a placeholder stays where it was, so replies keep their place. A deleted message stays
 * deleted (no edit, no second delete).
 */
export async function deleteMessage(em: EntityManager, viewer: Viewer, messageId: string, expectedVersion: number): Promise<Message> {
  const actor = signedIn(viewer);
  await transact(em, async (tx, events) => {
    const { message, thread, proposal } = await loadMessageForChange(tx, actor, messageId);
    if (message.deletedAt) throw new ConflictError('ILLEGAL_STATE', 'The message is already deleted');
    if (!canDeleteMessage(actor, threadFacts(proposal, thread.audience), { authorId: message.authorId, deleted: false })) throw new ForbiddenError('Only its author or the desk deletes a message');
    checkVersion(message, expectedVersion);
    message.body = '';
    message.bodyHtml = '';
    message.mentionIds = [];
    message.deletedAt = new Date();
    message.deletedBy = actor.accountId;
    await tx.nativeDelete(MessageRevision, { message: message.id });
    // Its files go with it: no longer listed, no longer downloadable (the bytes stay in storage as a record).
    await tx.nativeUpdate(Attachment, { message: message.id, purpose: AttachmentPurpose.MESSAGE, deletedAt: null }, { deletedAt: message.deletedAt });
    record(events, actor, thread, ThreadEventKind.MESSAGE_DELETED, message);
  });
  return (await findVisibleMessage(em.fork(), viewer, messageId)) ?? Promise.reject(new NotFoundError('Message'));
}

/**
 * Marks a thread read up to a moment (the newest message the viewer saw; now by default). Never
 * moves backwards, never past now.
 */
export async function markThreadRead(em: EntityManager, viewer: Viewer, threadId: string, upTo: Date | null | undefined): Promise<Thread> {
  const actor = signedIn(viewer);
  const thread = await findVisibleThread(em, viewer, threadId);
  if (!thread) throw new NotFoundError('Thread');
  const now = new Date();
  const at = upTo && upTo.getTime() < now.getTime() ? upTo : now;
  await em.execute(
    `insert into thread_reader (id, thread_id, account_id, read_up_to, following) values (gen_random_uuid(), ?, ?, ?, false)
     on conflict (thread_id, account_id) do update set read_up_to = greatest(coalesce(thread_reader.read_up_to, excluded.read_up_to), excluded.read_up_to)`,
    [thread.id, actor.accountId, at],
  );
  return thread;
}

/** Follows or unfollows a thread (new messages ring the bell). */
export async function followThread(em: EntityManager, viewer: Viewer, threadId: string, following: boolean): Promise<Thread> {
  const actor = signedIn(viewer);
  const thread = await findVisibleThread(em, viewer, threadId);
  if (!thread) throw new NotFoundError('Thread');
  await em.execute(
    `insert into thread_reader (id, thread_id, account_id, read_up_to, following) values (gen_random_uuid(), ?, ?, null, ?)
     on conflict (thread_id, account_id) do update set following = excluded.following`,
    [thread.id, actor.accountId, following],
  );
  return thread;
}
