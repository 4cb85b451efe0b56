import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { transact } from '../events/transaction.js';
import { Role, type Account } from '../identity/account.entity.js';
import { eventually, matchedProposal, type MatchedProposal } from '../minutes/minutes-test-fixtures.js';
import type { Organisation } from '../organisations/organisation.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import type { Section } from '../sections/section.entity.js';
import { Audience } from '../shared/audience.js';
import { Thread } from '../threads/thread.entity.js';
import type { TestDatabase } from '../../test/database.js';
import { statementCount } from '../../test/statement-count.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, subscribe, type Collected, type GraphqlResult } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { createMember, createOrganisation } from '../../test/proposal-factories.js';
import { NotificationKind } from './notification.entity.js';
import { notify } from './notify.js';

const NOTIFICATIONS = `query($first: Int, $after: String) { notifications(first: $first, after: $after) {
  unreadCount eventCursor pageInfo { hasNextPage endCursor }
  edges { cursor node { id kind createdAt readAt actorName link proposal { id title referenceNumber enteredState } thread { id title } } } } }`;
const UNREAD = `{ unreadNotificationCount }`;
const MARK = `mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }`;
const MARK_ALL = `mutation { markAllNotificationsRead }`;
const EVENTS = `subscription($after: String) { notificationEvents(after: $after) { cursor kind unreadCount notification { id kind actorName link proposal { id title enteredState } thread { id title } } } }`;
const VERSION = `query($id: ID!) { proposal(id: $id) { version } }`;
const OWNER = `mutation($id: ID!, $v: Int!, $a: ID!) { assignDeskOwner(proposalId: $id, expectedVersion: $v, accountId: $a) { id version } }`;
const NOT_REALIZED = `mutation($id: ID!, $v: Int!, $r: String!) { markProposalNotRealized(id: $id, expectedVersion: $v, reason: $r) { id state } }`;
const DECLINE = `mutation($id: ID!, $v: Int!, $r: String!) { declineMatch(matchId: $id, expectedVersion: $v, reason: $r) { id state } }`;

interface Item {
  id: string;
  kind: NotificationKind;
  readAt: string | null;
  actorName: string | null;
  link: string | null;
  proposal: { id: string; title: string; referenceNumber: string | null; enteredState: string | null } | null;
  thread: { id: string; title: string } | null;
}
interface Listed {
  notifications: { unreadCount: number; eventCursor: string; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ cursor: string; node: Item }> };
}
interface EventResult {
  notificationEvents: { cursor: string; kind: 'CREATED' | 'READ'; unreadCount: number; notification: Item | null };
}

let db: TestDatabase;
let server: TestServer;
let httpUrl: string;
let wsUrl: string;
let secA: Section;
let secB: Section;
let organisation: Organisation;
const a = {} as Record<'desk' | 'desk2' | 'staffA' | 'staffB' | 'staffC' | 'member' | 'member2' | 'otherMember', Account>;
const s = {} as Record<keyof typeof a, HttpSession>;
const clients: Client[] = [];

async function login(account: Account): Promise<HttpSession> {
  return new HttpSession(httpUrl).login(account.email, TEST_PASSWORD);
}

async function proposal(): Promise<MatchedProposal> {
  return matchedProposal({ member: s.member, desk: s.desk, leadStaff: s.staffA }, secA.id, secB.id);
}

async function list(session: HttpSession, first = 100, after: string | null = null): Promise<Listed['notifications']> {
  return (await session.ok<Listed>(NOTIFICATIONS, { first, after })).notifications;
}

function listen(session: HttpSession, after: string): Collected<GraphqlResult<EventResult>> {
  const client = session.websocket(wsUrl);
  clients.push(client);
  return subscribe<EventResult>(client, EVENTS, { after }).collected;
}

/** Notices written directly through notify(), as the threads domain does inside its use cases. */
async function notices(proposalId: string, recipients: Account[], kind: NotificationKind, thread: Thread | null = null, actorId: string | null = a.desk.id): Promise<void> {
  await transact(db.orm.em.fork(), async (tx, events) => {
    const p = tx.getReference(Proposal, proposalId);
    const t = thread ? tx.getReference(Thread, thread.id) : null;
    notify(tx, events, recipients.map((r) => ({ recipientId: r.id, kind, proposal: p, thread: t, actorId })));
  });
}

async function threadRow(proposalId: string, audience: Audience, title: string): Promise<Thread> {
  const em = db.orm.em.fork();
  const thread = new Thread(em.getReference(Proposal, proposalId), audience, a.desk.id);
  thread.title = title;
  em.persist(thread);
  await em.flush();
  return thread;
}

async function storedIds(account: Account): Promise<string[]> {
  const rows = await db.orm.em.fork().getConnection().execute<Array<{ id: string }>>('select id from notification where recipient_id = ? order by id', [account.id]);
  return rows.map((row) => row.id);
}

beforeAll(async () => {
  server = await startTestServer();
  db = server.db;
  ({ httpUrl, wsUrl } = server);
  const em = db.orm.em.fork();
  [secA, secB] = (await createDepartmentWithSections(em, ['通知テスト防災課', '通知テスト環境課'])) as [Section, Section];
  const [secC] = (await createDepartmentWithSections(em, ['通知テスト無関係課'])) as [Section];
  organisation = await createOrganisation(em, '通知テスト株式会社');
  const other = await createOrganisation(em, '通知テスト他社');
  a.desk = await createAccount(em, Role.DESK);
  a.desk2 = await createAccount(em, Role.DESK);
  a.staffA = await createAccount(em, Role.SECTION, secA);
  a.staffB = await createAccount(em, Role.SECTION, secB);
  a.staffC = await createAccount(em, Role.SECTION, secC!);
  a.member = await createMember(em, organisation);
  a.member2 = await createMember(em, organisation);
  a.otherMember = await createMember(em, other);
  for (const key of Object.keys(a) as Array<keyof typeof a>) s[key] = await login(a[key]);
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await server?.stop();
});

describe('state changes ring the bells of the people who are part of the proposal', () => {
  it('a proposal marked not realised: its organisation, desk owner and matched sections are told live, the actor and outsiders are not', async () => {
    const p = await proposal();
    const { version } = (await s.desk.ok(VERSION, { id: p.proposalId })).proposal;
    await s.desk.ok(OWNER, { id: p.proposalId, v: version, a: a.desk2.id });
    const cursor = (await list(s.desk)).eventCursor;
    const recipients = ['member', 'member2', 'desk2', 'staffA', 'staffB'] as const;
    const outsiders = ['desk', 'staffC', 'otherMember'] as const;
    const streams = Object.fromEntries([...recipients, ...outsiders].map((who) => [who, listen(s[who], cursor)])) as Record<string, Collected<GraphqlResult<EventResult>>>;
    const unreadBefore = (await s.member.ok(UNREAD)).unreadNotificationCount as number;
    await new Promise((resolve) => setTimeout(resolve, 200));

    const { version: v2 } = (await s.desk.ok(VERSION, { id: p.proposalId })).proposal;
    await s.desk.ok(NOT_REALIZED, { id: p.proposalId, v: v2, r: '予算の都合により見送り（内部事情の詳細）' });

    // The list's cursor may trail the newest events a little (the feed reads below the cluster's
    // oldest open transaction), so the set-up's own notices can replay first: look for this act's.
    const aboutThis = (item: GraphqlResult<EventResult>) =>
      item.data?.notificationEvents.notification?.proposal?.id === p.proposalId && item.data.notificationEvents.notification.proposal.enteredState === 'NOT_REALIZED';
    const ofThisAct = (who: string) => streams[who]!.items.filter(aboutThis);
    for (const who of recipients) {
      await streams[who]!.until((items) => items.some(aboutThis)).catch((error: Error) => Promise.reject(new Error(`${who}: ${error.message}`)));
      expect(streams[who]!.items.filter((item) => item.errors)).toEqual([]);
      const event = ofThisAct(who)[0]!.data!.notificationEvents;
      expect(event.kind).toBe('CREATED');
      expect(event.notification!.kind).toBe('PROPOSAL_STATE');
      expect(event.notification!.proposal).toMatchObject({ id: p.proposalId, enteredState: 'NOT_REALIZED' });
      expect(event.notification!.actorName).toBe(a.desk.displayName);
      // Never the reason or any other content.
      expect(JSON.stringify(event)).not.toContain('予算');
    }
    expect(ofThisAct('member')[0]!.data!.notificationEvents.notification!.link).toBe(`/proposer/proposals/${p.proposalId}`);
    expect(ofThisAct('staffA')[0]!.data!.notificationEvents.notification!.link).toBe(`/section/proposals/${p.proposalId}`);
    expect(ofThisAct('desk2')[0]!.data!.notificationEvents.notification!.link).toBe(`/desk/proposals/${p.proposalId}`);
    expect(ofThisAct('member')[0]!.data!.notificationEvents.unreadCount).toBe(unreadBefore + 1);

    // The outsiders' streams are open and working: a notice of their own arrives, and nothing of the act before it.
    await notices(p.proposalId, outsiders.map((who) => a[who]), NotificationKind.THREAD_MESSAGE, null, null);
    const threadMessage = (item: GraphqlResult<EventResult>) => item.data?.notificationEvents.notification?.kind === 'THREAD_MESSAGE';
    for (const who of outsiders) {
      await streams[who]!.until((items) => items.some(threadMessage));
      expect(ofThisAct(who)).toHaveLength(0);
    }
    for (const who of recipients) expect(ofThisAct(who)).toHaveLength(1);
  });

  it('a proposer who submits tells the other members, not themself; the desk hears nothing before it has an owner', async () => {
    const before = { member: await storedIds(a.member), member2: await storedIds(a.member2), desk: await storedIds(a.desk) };
    await proposal();
    const member2Items = (await list(s.member2)).edges.map((edge) => edge.node).filter((node) => !before.member2.includes(node.id));
    // Submitted, accepted for review, dialogue started: three state changes the second member is told of.
    expect(member2Items.map((node) => node.proposal?.enteredState)).toEqual(['IN_DIALOGUE', 'UNDER_REVIEW', 'SUBMITTED']);
    const memberNew = (await storedIds(a.member)).filter((id) => !before.member.includes(id));
    // The submitter is told of the desk's two changes, not of their own submission.
    expect(memberNew).toHaveLength(2);
    expect((await storedIds(a.desk)).filter((id) => !before.desk.includes(id))).toHaveLength(0);
  });
});

describe('each person’s own bell', () => {
  it('lists only the viewer’s own notifications, newest first, page by page; marking read touches only one’s own', async () => {
    const p = await proposal();
    await notices(p.proposalId, [a.member, a.staffA], NotificationKind.REPLY);
    for (const [who, account] of [['member', a.member], ['staffA', a.staffA], ['otherMember', a.otherMember]] as const) {
      const listed = await list(s[who]);
      expect(listed.edges.map((edge) => edge.node.id).sort()).toEqual(await storedIds(account));
    }

    // Pages: newest first, no overlap, nothing missing.
    const all = (await list(s.member)).edges.map((edge) => edge.node.id);
    const first = await list(s.member, 2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await list(s.member, 100, first.pageInfo.endCursor);
    expect([...first.edges, ...rest.edges].map((edge) => edge.node.id)).toEqual(all);

    const staffAUnread = (await s.staffA.ok(UNREAD)).unreadNotificationCount as number;
    expect(staffAUnread).toBeGreaterThan(0);
    const memberUnread = (await s.member.ok(UNREAD)).unreadNotificationCount as number;
    const staffAIds = (await list(s.staffA)).edges.map((edge) => edge.node.id);
    // Someone else's ids are ignored as if missing.
    expect((await s.member.ok(MARK, { ids: staffAIds })).markNotificationsRead).toBe(memberUnread);
    expect((await s.staffA.ok(UNREAD)).unreadNotificationCount).toBe(staffAUnread);

    const live = listen(s.member, (await list(s.member)).eventCursor);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await s.member.ok(MARK, { ids: [all[0]] })).markNotificationsRead).toBe(memberUnread - 1);
    const marked = (await list(s.member)).edges.find((edge) => edge.node.id === all[0])!.node;
    expect(marked.readAt).not.toBeNull();
    // The member's other tabs hear of it.
    await live.until((items) => items.some((item) => item.data?.notificationEvents.kind === 'READ' && item.data.notificationEvents.unreadCount === memberUnread - 1));

    expect((await s.member.ok(MARK_ALL)).markAllNotificationsRead).toBe(0);
    expect((await s.member.ok(UNREAD)).unreadNotificationCount).toBe(0);
    expect((await list(s.member)).unreadCount).toBe(0);
    expect((await s.staffA.ok(UNREAD)).unreadNotificationCount).toBe(staffAUnread);
  });

  it('refuses the signed-out and bad input', async () => {
    const anonymous = new HttpSession(httpUrl);
    expect((await anonymous.request(UNREAD)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await anonymous.request(NOTIFICATIONS, { first: 5 })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await anonymous.request(MARK_ALL)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const tooMany = await s.member.request(MARK, { ids: Array.from({ length: 101 }, () => crypto.randomUUID()) });
    expect((tooMany.errors?.[0]?.extensions?.fields ?? []).map((f) => `${f.field}:${f.code}`)).toEqual(['ids:INVALID']);
    expect((await s.member.request(NOTIFICATIONS, { first: 5, after: 'not-a-cursor' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('a notification shows nothing of what the recipient can no longer see', () => {
  it('a section whose match was declined keeps its old notifications but sees no proposal, thread or link in them', async () => {
    const p = await proposal();
    const internal = await threadRow(p.proposalId, Audience.INTERNAL, '内部検討スレッド');
    await notices(p.proposalId, [a.staffB], NotificationKind.PROPOSAL_STATE);
    await notices(p.proposalId, [a.staffB], NotificationKind.MENTION, internal);
    const mine = async () => (await list(s.staffB)).edges.map((edge) => edge.node).filter((node) => node.proposal?.id === p.proposalId || node.proposal === null);
    const before = await mine();
    const mention = before.find((node) => node.kind === 'MENTION')!;
    expect(mention.thread).toEqual({ id: internal.id, title: '内部検討スレッド' });
    expect(mention.link).toBe(`/section/proposals/${p.proposalId}`);
    expect(mention.proposal!.title).toBeTruthy();

    await s.staffB.ok(DECLINE, { id: p.supportMatch.id, v: p.supportMatch.version, r: '所管外のため' });
    const after = await list(s.staffB);
    const ids = before.map((node) => node.id);
    const old = after.edges.map((edge) => edge.node).filter((node) => ids.includes(node.id));
    expect(old).toHaveLength(2);
    for (const node of old) {
      expect(node.proposal).toBeNull();
      expect(node.actorName).toBeNull();
      expect(node.thread).toBeNull();
      expect(node.link).toBeNull();
    }
    expect(JSON.stringify(after)).not.toContain('内部検討スレッド');
  });

  it('a proposer is shown a SHARED thread by title, never an INTERNAL one', async () => {
    const p = await proposal();
    const shared = await threadRow(p.proposalId, Audience.SHARED, '共有スレッド');
    const internal = await threadRow(p.proposalId, Audience.INTERNAL, '内部のみスレッド');
    await notices(p.proposalId, [a.member2], NotificationKind.THREAD_MESSAGE, shared);
    await notices(p.proposalId, [a.member2], NotificationKind.THREAD_MESSAGE, internal);
    const listed = await list(s.member2, 2);
    expect(listed.edges.map((edge) => edge.node.thread)).toEqual([null, { id: shared.id, title: '共有スレッド' }]);
    expect(JSON.stringify(listed)).not.toContain('内部のみ');
  });
});

describe('notify() and the outbox', () => {
  it('one notice per person per act (the strongest reason), never the actor; events carry ids only', async () => {
    const p = await proposal();
    const thread = await threadRow(p.proposalId, Audience.SHARED, '重複テスト');
    const em = db.orm.em.fork();
    const created = await transact(em, async (tx, events) =>
      notify(tx, events, [
        { recipientId: a.member.id, kind: NotificationKind.THREAD_MESSAGE, proposal: tx.getReference(Proposal, p.proposalId), thread: tx.getReference(Thread, thread.id), actorId: a.staffA.id },
        { recipientId: a.member.id, kind: NotificationKind.MENTION, proposal: tx.getReference(Proposal, p.proposalId), thread: tx.getReference(Thread, thread.id), actorId: a.staffA.id },
        { recipientId: a.member.id, kind: NotificationKind.REPLY, proposal: tx.getReference(Proposal, p.proposalId), thread: tx.getReference(Thread, thread.id), actorId: a.staffA.id },
        { recipientId: a.staffA.id, kind: NotificationKind.MENTION, proposal: tx.getReference(Proposal, p.proposalId), thread: tx.getReference(Thread, thread.id), actorId: a.staffA.id },
        { recipientId: a.desk.id, kind: NotificationKind.THREAD_MESSAGE, proposal: tx.getReference(Proposal, p.proposalId), thread: tx.getReference(Thread, thread.id), actorId: a.staffA.id },
      ]),
    );
    expect(created.map((n) => [n.recipientId, n.kind]).sort()).toEqual(
      [
        [a.desk.id, NotificationKind.THREAD_MESSAGE],
        [a.member.id, NotificationKind.MENTION],
      ].sort(),
    );
    const sql = db.orm.em.fork().getConnection();
    const rows = await sql.execute<Array<{ payload: Record<string, unknown> }>>(`select payload from domain_event where topic = 'notification'`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      for (const key of Object.keys(row.payload)) expect(['recipientId', 'notificationId']).toContain(key);
    }
    const text = JSON.stringify(rows);
    expect(text).not.toContain('重複テスト');
    expect(text).not.toContain('予算');
  });

  it('a failed use case leaves no notice and rings no bell', async () => {
    const p = await proposal();
    const before = await storedIds(a.member2);
    await expect(
      transact(db.orm.em.fork(), async (tx, events) => {
        notify(tx, events, [{ recipientId: a.member2.id, kind: NotificationKind.REPLY, proposal: tx.getReference(Proposal, p.proposalId), actorId: a.desk.id }]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await storedIds(a.member2)).toEqual(before);
  });
});

describe('the stream ends with the session', () => {
  it('a signed-out session receives nothing more', async () => {
    const session = await login(a.member2);
    const cursor = (await list(session)).eventCursor;
    const events = listen(session, cursor);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The cursor may trail the newest events a little (the feed reads below the cluster's oldest
    // open transaction), so earlier notifications can still be replayed, on a loaded machine even
    // after the logout: what must never arrive is the notice made after it.
    await session.ok('mutation { logout }');
    const p = await proposal();
    await notices(p.proposalId, [a.member2], NotificationKind.MENTION);
    await eventually(
      () => events.errors.length > 0 || events.items.some((item) => (item.errors?.length ?? 0) > 0) || events.completed,
      () => JSON.stringify(events.items),
    );
    expect(events.items.filter((item) => item.data?.notificationEvents.notification?.proposal?.id === p.proposalId)).toHaveLength(0);
  });
});

describe('batching', () => {
  it('a page of notifications costs the same number of statements whatever its size', async () => {
    // The earlier tests' live streams are closed first: each would resolve the set-up's notices on
    // the server's own clock, while the page is being measured.
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    for (let i = 0; i < 3; i += 1) {
      const p = await proposal();
      const thread = await threadRow(p.proposalId, Audience.SHARED, `一括テスト ${i}`);
      await notices(p.proposalId, [a.member2], NotificationKind.REPLY, thread, i % 2 === 0 ? a.staffA.id : a.desk.id);
    }
    const statements = async (first: number) => {
      const { n, result: listed } = await statementCount(() => list(s.member2, first));
      return { n, size: listed.edges.length, threads: listed.edges.filter((edge) => edge.node.thread).length };
    };
    const small = await statements(1);
    const large = await statements(50);
    expect(small.threads).toBe(1);
    expect(large.size).toBeGreaterThan(5);
    expect(large.threads).toBeGreaterThanOrEqual(3);
    expect(large.n).toBe(small.n);
  });
});
