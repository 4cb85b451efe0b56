import type { EntityManager } from '@mikro-orm/postgresql';
import { QueryOrder, raw, wrap, type FilterQuery } from '@mikro-orm/core';
import { NotFoundError } from '../errors/domain-errors.js';
import { checkPageSize, decodeKeyset, encodeKeyset } from '../graphql/connection.js';
import { Account, Role } from '../identity/account.entity.js';
import { peopleOf, personViewOf } from '../identity/person-view.js';
import type { Viewer } from '../identity/viewer.js';
import { Membership } from '../organisations/membership.entity.js';
import { proposalVisibilityFacts, proposalVisibilityFilter } from '../proposals/proposal.policy.js';
import { findVisibleProposal } from '../proposals/proposal.service.js';
import { Audience } from '../shared/audience.js';
import { isUuid } from '../shared/uuid.js';
import { boundQuery } from '../db/bound-query.js';
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

/**
 * The same, with the thread's proposal and its matches in the same statement: what the thread's
 * fields decide the viewer's abilities by (proposalVisibilityFacts), read through the same rule.
 */
export async function findVisibleThreadWithProposal(em: EntityManager, viewer: Viewer, id: string): Promise<Thread | null> {
  if (!isUuid(id)) return null;
  return em.findOne(Thread, { $and: [{ id }, visibleThreadWhere(viewer)] }, { populate: ['proposal.matches'], strategy: 'joined' });
}

/** A message the viewer may read (through its thread), or null. */
export async function findVisibleMessage(em: EntityManager, viewer: Viewer, id: string): Promise<Message | null> {
  if (!isUuid(id)) return null;
  return em.findOne(Message, { $and: [{ id }, { thread: visibleThreadWhere(viewer) }] }, { populate: ['thread'] });
}

/**
 * A live event's thread, and its message, as they are now, whoever may read them: only for code
 * that then decides with canReadThread for each of several audiences at once (a live dialogue
 * event read once for all its audiences). The thread only when it is the proposal's, the message
 * only when it is that thread's. Two small statements side by side, mapped into `em` without the
 * ORM's query building, which costs several times both statements (they run at every event).
 */
export async function threadAndMessageForAudiences(em: EntityManager, proposalId: string, threadId: string, messageId: string | null): Promise<{ thread: Thread | null; message: Message | null }> {
  if (!isUuid(proposalId) || !isUuid(threadId)) return { thread: null, message: null };
  const [threads, messages] = await Promise.all([
    boundQuery<Record<string, unknown>>(em, 'select * from thread where id = $1 and proposal_id = $2', [threadId, proposalId]),
    messageId && isUuid(messageId) ? boundQuery<Record<string, unknown>>(em, 'select * from message where id = $1 and thread_id = $2 and proposal_id = $3', [messageId, threadId, proposalId]) : [],
  ]);
  const thread = threads[0] ? em.map(Thread, threads[0]) : null;
  // Mapped into the same EntityManager, the message's thread is this very thread.
  const message = thread && messages[0] ? em.map(Message, messages[0]) : null;
  return { thread, message };
}

/** The threads of proposals the viewer already sees, most recently active first: one statement. */
export async function threadsOfProposals(em: EntityManager, viewer: Viewer, proposalIds: readonly string[]): Promise<Thread[][]> {
  const rows = await em.find(Thread, { $and: [{ proposal: { $in: [...proposalIds] } }, threadAudienceFilter(viewer)] }, { orderBy: { lastMessageAt: QueryOrder.DESC, id: QueryOrder.ASC } });
  const byProposal = new Map<string, Thread[]>(proposalIds.map((id) => [id, []]));
  for (const row of rows) byProposal.get(row.proposal.id)?.push(row);
  return proposalIds.map((id) => byProposal.get(id) ?? []);
}

/** A message `m` of the thread is unread by `account` (an SQL expression), whose reader row is `r`. */
const unreadBy = (account: string): string => `m.deleted_at is null and m.author_id <> ${account} and (r.read_up_to is null or m.created_at > r.read_up_to)`;
const UNREAD = unreadBy('?');

/** The viewer's own state of a thread: messages by others not read yet (not deleted), and whether they follow it. */
export interface ThreadReaderState {
  unreadCount: number;
  following: boolean;
}

/** Unread counts and follow flags of threads for the viewer, from their read markers: one statement. */
export async function readerStatesOfThreads(em: EntityManager, viewer: Viewer, threadIds: readonly string[]): Promise<ThreadReaderState[]> {
  const none = { unreadCount: 0, following: false };
  if (viewer.kind !== 'account' || threadIds.length === 0) return threadIds.map(() => none);
  const rows = await em.execute<Array<{ thread_id: string; count: string; following: boolean }>>(
    `select t.id as thread_id, coalesce(r.following, false) as following,
       (select count(*) from message m where m.thread_id = t.id and ${UNREAD})::text as count
     from thread t left join thread_reader r on r.thread_id = t.id and r.account_id = ?
     where t.id in (?)`,
    [viewer.accountId, viewer.accountId, [...threadIds]],
  );
  const byThread = new Map(rows.map((row) => [row.thread_id, { unreadCount: Number(row.count), following: row.following }]));
  return threadIds.map((id) => byThread.get(id) ?? none);
}

/**
 * readerStatesOfThreads for many people at once, by `${accountId}|${threadId}` keys: the people
 * executing one live event each ask for their own state, and together cost one statement.
 */
export async function readerStatesOfPeople(em: EntityManager, keys: readonly string[]): Promise<Map<string, ThreadReaderState>> {
  const pairs = keys.map((key) => key.split('|') as [string, string]).filter(([account, thread]) => isUuid(account) && isUuid(thread));
  if (pairs.length === 0) return new Map();
  const rows = await boundQuery<{ account_id: string; thread_id: string; count: string; following: boolean }>(
    em,
    `select p.account_id, t.id as thread_id, coalesce(r.following, false) as following,
       (select count(*) from message m where m.thread_id = t.id and ${unreadBy('p.account_id')})::text as count
     from unnest($1::uuid[], $2::uuid[]) as p(account_id, thread_id)
     join thread t on t.id = p.thread_id
     left join thread_reader r on r.thread_id = t.id and r.account_id = p.account_id`,
    [pairs.map(([account]) => account), pairs.map(([, thread]) => thread)],
  );
  return new Map(rows.map((row) => [`${row.account_id}|${row.thread_id}`, { unreadCount: Number(row.count), following: row.following }]));
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

/** Messages of one thread (already visible to the caller), oldest first, flat. */
export async function messagesOfThread(em: EntityManager, thread: Thread, first: number, after: string | null | undefined): Promise<MessageConnection> {
  checkPageSize(first);
  const where: FilterQuery<Message> = { thread: thread.id };
  if (after) {
    const { createdAt, id } = decodeKeyset(after);
    Object.assign(where, { $or: [{ createdAt: { $gt: createdAt } }, { createdAt, id: { $gt: id } }] });
  }
  // One statement: the page, each row carrying the thread's message count (a scalar subquery).
  // An empty page (past the end) asks for the count alone.
  const raws = await em
    .createQueryBuilder(Message, 'm')
    .select(['*', raw('(select count(*) from message c where c.thread_id = m.thread_id) as thread_message_count')])
    // The QueryBuilder's filter typing does not follow a FilterQuery built up in steps; it is the entity's own.
    .where(where as never)
    .orderBy({ createdAt: QueryOrder.ASC, id: QueryOrder.ASC })
    .limit(first + 1)
    .execute<Array<Record<string, unknown>>>('all', false);
  const totalCount = raws.length ? Number(raws[0]!.thread_message_count) : await em.count(Message, { thread: thread.id });
  const rows = raws.map(({ thread_message_count: _count, ...row }) => {
    const message = em.map(Message, row);
    // The thread is the caller's, already read (and in this identity map when the caller's EntityManager is this one).
    if (!wrap(message.thread).isInitialized()) message.thread = thread;
    return message;
  });
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ node, cursor: encodeKeyset(node.createdAt, node.id) }));
  return { edges, totalCount, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** What a message carries from before: its earlier bodies and, for a deeper reply, the message it quotes. */
export interface MessageHistory {
  revisions: MessageRevisionView[];
  quote: MessageQuote | null;
}

/**
 * Earlier bodies of messages (oldest first, with who replaced them) and the messages they quote
 * (same thread as the quoting one; deleted ones without text), names joined: one statement for
 * both, since a page asks for both of the same messages.
 */
export async function historiesOfMessages(em: EntityManager, messageIds: readonly string[]): Promise<MessageHistory[]> {
  const ids = [...messageIds];
  const rows = await em.execute<
    Array<{ kind: 'revision' | 'quote'; of_id: string; id: string; body: string; body_html: string | null; edited_at: Date | null; name: string | null; deleted: boolean }>
  >(
    `select 'revision' as kind, r.message_id as of_id, r.id, r.body, r.body_html, r.edited_at, a.display_name as name, false as deleted
       from message_revision r left join account a on a.id = r.edited_by where r.message_id in (?)
     union all
     select 'quote', m.id, q.id, q.body, null, null, a.display_name, q.deleted_at is not null
       from message m join message q on q.id = m.quoted_id left join account a on a.id = q.author_id where m.id in (?)
     order by kind desc, edited_at, id`,
    [ids, ids],
  );
  const byMessage = new Map<string, MessageHistory>(ids.map((id) => [id, { revisions: [], quote: null }]));
  for (const row of rows) {
    const history = byMessage.get(row.of_id);
    if (!history) continue;
    if (row.kind === 'revision') history.revisions.push({ id: row.id, body: row.body, bodyHtml: row.body_html ?? '', editedAt: new Date(row.edited_at!), editedByName: row.name });
    else history.quote = { messageId: row.id, authorName: row.name, deleted: row.deleted, excerpt: row.deleted ? null : [...row.body].slice(0, 200).join('') };
  }
  return ids.map((id) => byMessage.get(id)!);
}

/**
 * People as shown in a thread: name, role, section and department, organisation (for proposers,
 * while a member). Never an e-mail address. One bound statement, without the ORM's query building
 * and hydration of accounts, sections and departments: a live message's author and mentions are
 * read at every event.
 */
export async function threadPeople(em: EntityManager, ids: readonly string[]): Promise<Array<ThreadPerson | null>> {
  const valid = [...new Set(ids.filter(isUuid))];
  const rows = valid.length
    ? await boundQuery<{ id: string; display_name: string; role: Role; section_name: string | null; department_name: string | null; organisation_name: string | null }>(
        em,
        // At most one membership of an account is active (membership_one_active_per_account).
        `select a.id, a.display_name, a.role, s.name as section_name, d.name as department_name, o.name as organisation_name
         from account a left join section s on s.id = a.section_id left join department d on d.id = s.department_id
           left join membership m on m.account_id = a.id and m.left_at is null and a.role = 'PROPOSER'
           left join organisation o on o.id = m.organisation_id
         where a.id = any($1::uuid[])`,
        [valid],
      )
    : [];
  const people = new Map(
    rows.map((row) => [
      row.id,
      personViewOf({ accountId: row.id, displayName: row.display_name, role: row.role, sectionName: row.section_name, departmentName: row.department_name, organisationName: row.organisation_name }),
    ]),
  );
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
