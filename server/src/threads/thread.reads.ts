import type { EntityManager } from '@mikro-orm/postgresql';
import { QueryOrder, type FilterQuery } from '@mikro-orm/core';
import { NotFoundError } from '../errors/domain-errors.js';
import { checkPageSize, decodeKeyset, encodeKeyset } from '../graphql/connection.js';
import { Account, Role } from '../identity/account.entity.js';
import { peopleOf } from '../identity/person-view.js';
import type { Viewer } from '../identity/viewer.js';
import { Membership } from '../organisations/membership.entity.js';
import { proposalVisibilityFacts, proposalVisibilityFilter } from '../proposals/proposal.policy.js';
import { findVisibleProposal } from '../proposals/proposal.service.js';
import { Audience } from '../shared/audience.js';
import { isUuid } from '../shared/uuid.js';
import { Message, MessageRevision } from './message.entity.js';
import { ThreadReader } from './thread-reader.entity.js';
import { Thread } from './thread.entity.js';
import { canReadThread, threadAudienceFilter, threadAudienceSql } from './thread.policy.js';
import type { MessageConnection, MessageQuote, MessageRevisionView, ThreadPerson } from './thread.types.js';

/**
 * Reads of threads and messages, each through the visibility rule in the SQL (the proposal's rule
 * and the audience rule: proposers never get an INTERNAL thread, not even counted), batched for
 * the field resolvers' loaders.
 */

function visibleThreadWhere(viewer: Viewer): FilterQuery<Thread> {
  return { $and: [threadAudienceFilter(viewer), { proposal: proposalVisibilityFilter(viewer) }] };
}

/** A thread the viewer may read, or null: missing and not allowed look the same. */
export async function findVisibleThread(em: EntityManager, viewer: Viewer, id: string): Promise<Thread | null> {
  if (!isUuid(id)) return null;
  return em.findOne(Thread, { $and: [{ id }, visibleThreadWhere(viewer)] });
}

/** A message the viewer may read (through its thread), or null. */
export async function findVisibleMessage(em: EntityManager, viewer: Viewer, id: string): Promise<Message | null> {
  if (!isUuid(id)) return null;
  return em.findOne(Message, { $and: [{ id }, { thread: visibleThreadWhere(viewer) }] }, { populate: ['thread'] });
}

/** The threads of proposals the viewer already sees, most recently active first: one statement. */
export async function threadsOfProposals(em: EntityManager, viewer: Viewer, proposalIds: readonly string[]): Promise<Thread[][]> {
  const rows = await em.find(Thread, { $and: [{ proposal: { $in: [...proposalIds] } }, threadAudienceFilter(viewer)] }, { orderBy: { lastMessageAt: QueryOrder.DESC, id: QueryOrder.ASC } });
  const byProposal = new Map<string, Thread[]>(proposalIds.map((id) => [id, []]));
  for (const row of rows) byProposal.get(row.proposal.id)?.push(row);
  return proposalIds.map((id) => byProposal.get(id) ?? []);
}

const UNREAD = `m.deleted_at is null and m.author_id <> ? and (r.read_up_to is null or m.created_at > r.read_up_to)`;

/** Unread messages per thread for the viewer (not their own, not deleted): one statement. */
export async function unreadCountsOfThreads(em: EntityManager, viewer: Viewer, threadIds: readonly string[]): Promise<number[]> {
  if (viewer.kind !== 'account' || threadIds.length === 0) return threadIds.map(() => 0);
  const rows = await em.execute<Array<{ thread_id: string; count: string }>>(
    `select m.thread_id, count(*)::text as count from message m
     left join thread_reader r on r.thread_id = m.thread_id and r.account_id = ?
     where m.thread_id in (?) and ${UNREAD} group by m.thread_id`,
    [viewer.accountId, [...threadIds], viewer.accountId],
  );
  const byThread = new Map(rows.map((row) => [row.thread_id, Number(row.count)]));
  return threadIds.map((id) => byThread.get(id) ?? 0);
}

/** Unread messages per proposal the viewer sees, over the threads of their audience only: one statement. */
export async function unreadCountsOfProposals(em: EntityManager, viewer: Viewer, proposalIds: readonly string[]): Promise<number[]> {
  if (viewer.kind !== 'account' || proposalIds.length === 0) return proposalIds.map(() => 0);
  const rows = await em.execute<Array<{ proposal_id: string; count: string }>>(
    `select t.proposal_id, count(*)::text as count from message m
     join thread t on t.id = m.thread_id
     left join thread_reader r on r.thread_id = m.thread_id and r.account_id = ?
     where t.proposal_id in (?) and ${threadAudienceSql(viewer, 't')} and ${UNREAD} group by t.proposal_id`,
    [viewer.accountId, [...proposalIds], viewer.accountId],
  );
  const byProposal = new Map(rows.map((row) => [row.proposal_id, Number(row.count)]));
  return proposalIds.map((id) => byProposal.get(id) ?? 0);
}

/** Whether the viewer follows each thread: one statement. */
export async function followingOfThreads(em: EntityManager, viewer: Viewer, threadIds: readonly string[]): Promise<boolean[]> {
  if (viewer.kind !== 'account' || threadIds.length === 0) return threadIds.map(() => false);
  const rows = await em.find(ThreadReader, { thread: { $in: [...threadIds] }, accountId: viewer.accountId, following: true });
  const following = new Set(rows.map((row) => row.thread.id));
  return threadIds.map((id) => following.has(id));
}

/** Messages of one thread (already visible to the caller), oldest first, flat. */
export async function messagesOfThread(em: EntityManager, threadId: string, first: number, after: string | null | undefined): Promise<MessageConnection> {
  checkPageSize(first);
  const where: FilterQuery<Message> = { thread: threadId };
  if (after) {
    const { createdAt, id } = decodeKeyset(after);
    Object.assign(where, { $or: [{ createdAt: { $gt: createdAt } }, { createdAt, id: { $gt: id } }] });
  }
  const [rows, totalCount] = await Promise.all([
    em.find(Message, where, { orderBy: { createdAt: QueryOrder.ASC, id: QueryOrder.ASC }, limit: first + 1, populate: ['thread'] }),
    em.count(Message, { thread: threadId }),
  ]);
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ node, cursor: encodeKeyset(node.createdAt, node.id) }));
  return { edges, totalCount, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** Earlier bodies of messages, oldest first, with who replaced them: two statements. */
export async function revisionsOfMessages(em: EntityManager, messageIds: readonly string[]): Promise<MessageRevisionView[][]> {
  const rows = await em.find(MessageRevision, { message: { $in: [...messageIds] } }, { orderBy: { editedAt: QueryOrder.ASC, id: QueryOrder.ASC } });
  const names = await displayNames(
    em,
    rows.map((row) => row.editedBy),
  );
  const byMessage = new Map<string, MessageRevisionView[]>(messageIds.map((id) => [id, []]));
  for (const row of rows) byMessage.get(row.message.id)?.push({ id: row.id, body: row.body, bodyHtml: row.bodyHtml, editedAt: row.editedAt, editedByName: names.get(row.editedBy) ?? null });
  return messageIds.map((id) => byMessage.get(id) ?? []);
}

async function displayNames(em: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const accounts = await em.find(Account, { id: { $in: unique } }, { fields: ['displayName'] });
  return new Map(accounts.map((account) => [account.id, account.displayName]));
}

/** The quoted messages (same thread as the quoting one), as quotes: one statement and the names. */
export async function quotesOfMessages(em: EntityManager, quotedIds: readonly string[]): Promise<Array<MessageQuote | null>> {
  const rows = await em.find(Message, { id: { $in: [...quotedIds] } });
  const names = await displayNames(
    em,
    rows.map((row) => row.authorId),
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return quotedIds.map((id) => {
    const row = byId.get(id);
    if (!row) return null;
    const deleted = row.deletedAt !== null;
    return { messageId: row.id, authorName: names.get(row.authorId) ?? null, deleted, excerpt: deleted ? null : [...row.body].slice(0, 200).join('') };
  });
}

/**
 * People as shown in a thread: name, role, section and department, organisation (for proposers,
 * while a member). Never an e-mail address. Two statements.
 */
export async function threadPeople(em: EntityManager, ids: readonly string[]): Promise<Array<ThreadPerson | null>> {
  const valid = [...new Set(ids.filter(isUuid))];
  const accounts = valid.length ? await em.find(Account, { id: { $in: valid } }, { populate: ['section.department'] }) : [];
  const people = await peopleOf(em, accounts);
  return ids.map((id) => people.get(id) ?? null);
}

/**
 * Who may be mentioned in a thread (or a thread about to be started with this audience): exactly
 * the people who read it — enabled desk staff, enabled staff of matched sections and, for SHARED,
 * the proposing organisation's enabled members. Nobody else is offered.
 */
export async function threadMentionCandidates(em: EntityManager, viewer: Viewer, where: { threadId?: string | null; proposalId?: string | null; audience?: Audience | null }): Promise<ThreadPerson[]> {
  let proposalId = where.proposalId ?? null;
  let audience = where.audience ?? Audience.SHARED;
  if (where.threadId) {
    const thread = await findVisibleThread(em, viewer, where.threadId);
    if (!thread) throw new NotFoundError('Thread');
    proposalId = thread.proposal.id;
    audience = thread.audience;
  }
  const proposal = proposalId ? await findVisibleProposal(em, viewer, proposalId) : null;
  if (!proposal) throw new NotFoundError('Proposal');
  const facts = proposalVisibilityFacts(proposal);
  // Asking for INTERNAL candidates of a proposal as a proposer: the same answer as a missing thread.
  if (!canReadThread(viewer, { proposal: facts, audience })) throw new NotFoundError('Thread');
  const who: FilterQuery<Account>[] = [];
  if (facts.everSubmitted) who.push({ role: Role.DESK });
  if (facts.matchedSectionIds.length) who.push({ role: Role.SECTION, section: { $in: facts.matchedSectionIds } });
  if (audience === Audience.SHARED) {
    const members = await em.find(Membership, { organisation: facts.organisationId, leftAt: null }, { fields: ['account'] });
    if (members.length) who.push({ role: Role.PROPOSER, id: { $in: members.map((membership) => membership.account.id) } });
  }
  if (who.length === 0) return [];
  const accounts = await em.find(Account, { $and: [{ disabledAt: null }, { $or: who }] }, { populate: ['section.department'], orderBy: { role: QueryOrder.ASC, displayName: QueryOrder.ASC, id: QueryOrder.ASC } });
  const people = await peopleOf(em, accounts);
  return accounts.map((account) => people.get(account.id)!);
}
