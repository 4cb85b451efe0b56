import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { Role, type Account } from '../identity/account.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { newSession, SESSION_COOKIE } from '../identity/session.service.js';
import { fanOutOf, FAN_OUT_GRACE_MS } from '../events/fan-out.js';
import { LiveGroup } from '../events/live-group.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { Collected, HttpSession, type GraphqlResult } from '../../test/graphql-client.js';
import { createAccount } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';
import { statementCount } from '../../test/statement-count.js';

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const START = `mutation($p: ID!, $input: StartThreadInput!) { startThread(proposalId: $p, input: $input) { id } }`;
const POST = `mutation($t: ID!, $b: String!) { postMessage(threadId: $t, body: $b) { id } }`;
const LOGOUT = `mutation { logout }`;

/** What an audience shares: nothing here depends on the person. */
const AUDIENCE_EVENTS = `subscription($p: ID!, $after: String) { threadEvents(proposalId: $p, after: $after) {
  cursor kind threadId messageId
  thread { id title audience viewerCan { post } }
  message { id body bodyHtml deleted author { displayName } mentions { displayName } quote { excerpt } attachments { id } }
} }`;
/** With the person's own fields, as the client asks. */
const PERSONAL_EVENTS = `subscription($p: ID!, $after: String) { threadEvents(proposalId: $p, after: $after) {
  cursor kind threadId messageId
  thread { id title audience unreadCount following viewerCan { post } }
  message { id body author { displayName } viewerCan { edit delete reply } attachments { id } }
} }`;

type Event = { messageId: string | null; threadId: string; kind: string; thread: Record<string, unknown> | null; message: Record<string, unknown> | null };

let server: TestServer;
let organisationId: string;

/** A signed-in browser tab: a session made directly in the database (no sign-in throttle for 20 people). */
async function sessionOf(account: Account): Promise<HttpSession> {
  const em = server.db.orm.em.fork();
  const issued = newSession(em, account, server.config);
  await em.flush();
  const session = new HttpSession(server.httpUrl);
  session.cookie = `${SESSION_COOKIE}=${issued.token}`;
  return session;
}

async function people(role: Role.DESK | Role.PROPOSER, count: number): Promise<HttpSession[]> {
  const em = server.db.orm.em.fork();
  const sessions: HttpSession[] = [];
  for (let i = 0; i < count; i += 1) {
    const account = role === Role.PROPOSER ? await createMember(em, em.getReference(Organisation, organisationId)) : await createAccount(em, role);
    sessions.push(await sessionOf(account));
  }
  return sessions;
}

/** One subscriber, keeping every raw frame it receives. */
class Subscriber {
  readonly frames: string[] = [];
  readonly results = new Collected<GraphqlResult<{ threadEvents: Event }>>();
  private readonly client: Client;
  private readonly stop: () => void;

  constructor(session: HttpSession, query: string, proposalId: string, after: string) {
    const frames = this.frames;
    const cookie = session.cookie;
    class RecordingWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: cookie ? { cookie } : {} });
        this.on('message', (data) => frames.push(data.toString()));
      }
    }
    this.client = createClient({ url: server.wsUrl, webSocketImpl: RecordingWebSocket, retryAttempts: 0, lazy: false });
    const results = this.results;
    this.stop = this.client.subscribe({ query, variables: { p: proposalId, after } }, { next: (r) => results.push(r as never), error: (e) => results.fail(e), complete: () => results.complete() });
  }

  events(): Event[] {
    return this.results.items.map((r) => r.data?.threadEvents).filter((e): e is Event => Boolean(e));
  }

  eventOf(messageId: string): Event | undefined {
    return this.events().find((e) => e.messageId === messageId);
  }

  async received(messageId: string): Promise<void> {
    await this.results.until(() => this.eventOf(messageId) !== undefined);
  }

  ended(): boolean {
    return this.results.errors.length > 0 || this.results.items.some((r) => (r.errors?.length ?? 0) > 0) || this.results.completed;
  }

  async close(): Promise<void> {
    this.stop();
    await this.client.dispose();
  }
}

async function submittedProposal(member: HttpSession): Promise<string> {
  const draft = (await member.ok(CREATE, { input: COMPLETE_DRAFT })).createProposalDraft;
  return (await member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal.id;
}

async function subscribeAll(sessions: HttpSession[], query: string, proposalId: string): Promise<Subscriber[]> {
  const cursor = (await sessions[0]!.ok('{ liveCursor }')).liveCursor as string;
  return sessions.map((session) => new Subscriber(session, query, proposalId, cursor));
}

async function closeAll(subscribers: Subscriber[]): Promise<void> {
  await Promise.all(subscribers.map((subscriber) => subscriber.close()));
}

let member: HttpSession;
let author: HttpSession;

beforeAll(async () => {
  server = await startTestServer();
  const em = server.db.orm.em.fork();
  organisationId = (await createOrganisation(em, 'ファンアウト株式会社')).id;
  member = (await people(Role.PROPOSER, 1))[0]!;
  author = (await people(Role.DESK, 1))[0]!;
});

afterAll(async () => {
  await server?.stop();
});

describe('one execution per audience, sent to all its subscribers', () => {
  it('20 desk staff cost the same statements per message as one', async () => {
    const proposalId = await submittedProposal(member);
    const thread = (await author.ok(START, { p: proposalId, input: { audience: 'SHARED', title: '共有', body: '最初' } })).startThread;
    const costWith = async (count: number): Promise<number> => {
      const subscribers = await subscribeAll(await people(Role.DESK, count), AUDIENCE_EVENTS, proposalId);
      try {
        const post = async () => {
          const id = (await author.ok(POST, { t: thread.id, b: `${count}人へ` })).postMessage.id as string;
          await Promise.all(subscribers.map((subscriber) => subscriber.received(id)));
          return id;
        };
        // Every subscription is live once each got a message.
        await post();
        const { n, result } = await statementCount(post);
        // Each got the same payload.
        const payloads = new Set(subscribers.map((subscriber) => JSON.stringify(subscriber.eventOf(result))));
        expect(payloads.size).toBe(1);
        return n;
      } finally {
        await closeAll(subscribers);
      }
    };
    const one = await costWith(1);
    const twenty = await costWith(20);
    expect(twenty).toBe(one);
  });

  it('with per-person fields, only those are executed per person, and all the people’s own state is read in one statement: another person or tab costs no statement', async () => {
    const proposalId = await submittedProposal(member);
    const thread = (await author.ok(START, { p: proposalId, input: { audience: 'SHARED', title: '二人', body: '最初' } })).startThread;
    const everyone = await people(Role.DESK, 3);
    const costWith = async (persons: number, tabsEach: number): Promise<number> => {
      const tabs = everyone.slice(0, persons).flatMap((person) => Array.from({ length: tabsEach }, () => person));
      const subscribers = await subscribeAll(tabs, PERSONAL_EVENTS, proposalId);
      try {
        const post = async () => {
          const id = (await author.ok(POST, { t: thread.id, b: `${persons}人${tabsEach}タブへ` })).postMessage.id as string;
          await Promise.all(subscribers.map((subscriber) => subscriber.received(id)));
          return id;
        };
        await post();
        return (await statementCount(post)).n;
      } finally {
        await closeAll(subscribers);
      }
    };
    const [one, two, three, twoWithTabs] = [await costWith(1, 1), await costWith(2, 1), await costWith(3, 1), await costWith(2, 10)];
    expect(twoWithTabs).toBe(two);
    // Each person's unread count and follow flag are their own, but every person's are read in one statement together.
    expect(two).toBe(one);
    expect(three).toBe(one);
  });

  it('the desk and the proposer each get exactly their own view: INTERNAL to the desk only', async () => {
    const proposalId = await submittedProposal(member);
    const desk = await subscribeAll(await people(Role.DESK, 3), AUDIENCE_EVENTS, proposalId);
    const proposers = await subscribeAll([member, ...(await people(Role.PROPOSER, 2))], AUDIENCE_EVENTS, proposalId);
    try {
      const internal = (await author.ok(START, { p: proposalId, input: { audience: 'INTERNAL', title: '庁内限りの検討', body: '提案者に見せない内部メモ' } })).startThread;
      const note = (await author.ok(POST, { t: internal.id, b: '内部の追記' })).postMessage.id as string;
      const shared = (await author.ok(START, { p: proposalId, input: { audience: 'SHARED', title: '共有の相談', body: 'よろしくお願いします' } })).startThread;
      const reply = (await author.ok(POST, { t: shared.id, b: '共有の追記' })).postMessage.id as string;
      await Promise.all([...desk, ...proposers].map((subscriber) => subscriber.received(reply)));
      for (const subscriber of desk) {
        expect(subscriber.events().map((e) => e.threadId)).toEqual([internal.id, internal.id, shared.id, shared.id]);
        expect(subscriber.eventOf(note)!.message!.body).toBe('内部の追記');
      }
      for (const subscriber of proposers) {
        expect(subscriber.events().map((e) => [e.kind, e.threadId])).toEqual([
          ['THREAD_STARTED', shared.id],
          ['MESSAGE_POSTED', shared.id],
        ]);
        const frames = subscriber.frames.join('\n');
        for (const secret of ['庁内限り', '内部メモ', '内部の追記', internal.id, note]) expect(frames).not.toContain(secret);
      }
    } finally {
      await closeAll([...desk, ...proposers]);
    }
  });

  it('per-person fields stay per person: two desk staff get their own unread count and abilities', async () => {
    const proposalId = await submittedProposal(member);
    const [other] = await people(Role.DESK, 1);
    // The author and the other each with two tabs: a person's tabs may share, two people never.
    const [authorTab, otherTab] = [author, other!];
    const subscribers = await subscribeAll([authorTab, authorTab, otherTab, otherTab], PERSONAL_EVENTS, proposalId);
    try {
      const thread = (await author.ok(START, { p: proposalId, input: { audience: 'SHARED', title: '未読', body: '一通目' } })).startThread;
      const second = (await author.ok(POST, { t: thread.id, b: '二通目' })).postMessage.id as string;
      await Promise.all(subscribers.map((subscriber) => subscriber.received(second)));
      const view = (subscriber: Subscriber) => subscriber.eventOf(second)!;
      for (const subscriber of subscribers) expect(view(subscriber)).toMatchObject({ kind: 'MESSAGE_POSTED', thread: { title: '未読', viewerCan: { post: true } }, message: { body: '二通目', attachments: [] } });
      for (const subscriber of subscribers.slice(0, 2)) {
        expect(view(subscriber).thread).toMatchObject({ unreadCount: 0 });
        expect(view(subscriber).message).toMatchObject({ viewerCan: { edit: true, delete: true, reply: true } });
      }
      for (const subscriber of subscribers.slice(2)) {
        expect(view(subscriber).thread).toMatchObject({ unreadCount: 2 });
        expect(view(subscriber).message).toMatchObject({ viewerCan: { edit: false, delete: true, reply: true } });
      }
    } finally {
      await closeAll(subscribers);
    }
  });

  it('a session ended among many ends that stream alone (UNAUTHENTICATED, or its socket closed with 4403)', async () => {
    const proposalId = await submittedProposal(member);
    const sessions = await people(Role.DESK, 5);
    const subscribers = await subscribeAll(sessions, AUDIENCE_EVENTS, proposalId);
    try {
      const thread = (await author.ok(START, { p: proposalId, input: { audience: 'SHARED', title: 'ログアウト', body: '前' } })).startThread;
      const before = (await author.ok(POST, { t: thread.id, b: 'ログアウト前' })).postMessage.id as string;
      await Promise.all(subscribers.map((subscriber) => subscriber.received(before)));
      await sessions[2]!.ok(LOGOUT);
      const after = (await author.ok(POST, { t: thread.id, b: 'ログアウト後の投稿' })).postMessage.id as string;
      const ended = subscribers[2]!;
      await ended.results.until(() => ended.ended());
      // Whichever comes first: the event's session check (UNAUTHENTICATED) or the socket closed
      // because its session ended (4403, identity/socket-sessions.ts).
      const closeCodes = (ended.results.errors.flat() as Array<{ code?: number }>).map((e) => e.code);
      const said = JSON.stringify([ended.results.errors, ended.results.items.map((r) => r.errors)]);
      expect(said.includes('UNAUTHENTICATED') || closeCodes.includes(4403), `${said} ${JSON.stringify(closeCodes)}`).toBe(true);
      const others = subscribers.filter((subscriber) => subscriber !== ended);
      await Promise.all(others.map((subscriber) => subscriber.received(after)));
      const later = (await author.ok(POST, { t: thread.id, b: 'さらに後' })).postMessage.id as string;
      await Promise.all(others.map((subscriber) => subscriber.received(later)));
      for (const subscriber of others) expect(subscriber.ended()).toBe(false);
      expect(ended.frames.join('\n')).not.toContain('ログアウト後');
      expect(ended.frames.join('\n')).not.toContain('さらに後');
    } finally {
      await closeAll(subscribers);
    }
  });

  it('what is shared is dropped shortly after each event: nothing piles up', async () => {
    const fanOut = fanOutOf({ feed: server.platform.feed, rootEm: server.db.orm.em, config: server.config });
    const proposalId = await submittedProposal(member);
    const subscribers = await subscribeAll(await people(Role.DESK, 3), AUDIENCE_EVENTS, proposalId);
    try {
      const thread = (await author.ok(START, { p: proposalId, input: { audience: 'SHARED', title: '掃除', body: '一' } })).startThread;
      for (let i = 0; i < 5; i += 1) {
        const id = (await author.ok(POST, { t: thread.id, b: `投稿${i}` })).postMessage.id as string;
        await Promise.all(subscribers.map((subscriber) => subscriber.received(id)));
      }
      // Held just after delivery, for subscribers a little behind…
      expect(fanOut.views.size).toBeGreaterThan(0);
      expect(fanOut.executions.size).toBeGreaterThan(0);
      // …and gone once the grace has passed.
      await new Promise((resolve) => setTimeout(resolve, FAN_OUT_GRACE_MS * 2 + 200));
      expect(fanOut.views.size).toBe(0);
      expect(fanOut.executions.size).toBe(0);
    } finally {
      await closeAll(subscribers);
    }
  });
});

describe('live subscribers served as one group per dialogue (events/live-group.ts)', () => {
  const groups = () => LiveGroup.countOn(server.platform.feed);

  it('once caught up, the subscribers of a dialogue share one group; it stops listening when the last one leaves', async () => {
    await expect.poll(groups, { timeout: 10_000 }).toBe(0);
    const first = await submittedProposal(member);
    const second = await submittedProposal(member);
    const watchingFirst = await subscribeAll(await people(Role.DESK, 3), AUDIENCE_EVENTS, first);
    const watchingSecond = await subscribeAll(await people(Role.DESK, 2), AUDIENCE_EVENTS, second);
    try {
      const threadOf = async (proposalId: string) => (await author.ok(START, { p: proposalId, input: { audience: 'SHARED', title: '群', body: '一' } })).startThread.id as string;
      const [t1, t2] = [await threadOf(first), await threadOf(second)];
      const m1 = (await author.ok(POST, { t: t1, b: '第一の対話へ' })).postMessage.id as string;
      const m2 = (await author.ok(POST, { t: t2, b: '第二の対話へ' })).postMessage.id as string;
      await Promise.all([...watchingFirst.map((s) => s.received(m1)), ...watchingSecond.map((s) => s.received(m2))]);
      expect(groups()).toBe(2);
      // Each dialogue's people got only their own dialogue's message.
      for (const subscriber of watchingFirst) expect(subscriber.eventOf(m2)).toBeUndefined();
      for (const subscriber of watchingSecond) expect(subscriber.eventOf(m1)).toBeUndefined();
      await closeAll(watchingSecond);
      await expect.poll(groups, { timeout: 10_000 }).toBe(1);
      // The first dialogue's group carries on.
      const m3 = (await author.ok(POST, { t: t1, b: 'まだ続く' })).postMessage.id as string;
      await Promise.all(watchingFirst.map((s) => s.received(m3)));
    } finally {
      await closeAll([...watchingFirst, ...watchingSecond]);
    }
    await expect.poll(groups, { timeout: 10_000 }).toBe(0);
  });

  it('a subscriber resuming from an older cursor while others are live gets what it missed and what follows, each once and in order', async () => {
    const proposalId = await submittedProposal(member);
    const live = await subscribeAll(await people(Role.DESK, 2), AUDIENCE_EVENTS, proposalId);
    const [late] = await people(Role.DESK, 1);
    try {
      const before = (await author.ok('{ liveCursor }')).liveCursor as string;
      const thread = (await author.ok(START, { p: proposalId, input: { audience: 'SHARED', title: '再開', body: '始め' } })).startThread;
      const posted: string[] = [];
      for (let i = 0; i < 3; i += 1) posted.push((await author.ok(POST, { t: thread.id, b: `再開前${i}` })).postMessage.id as string);
      await Promise.all(live.map((s) => s.received(posted.at(-1)!)));
      // It replays from before the thread began while more messages are posted.
      const resuming = new Subscriber(late!, AUDIENCE_EVENTS, proposalId, before);
      live.push(resuming);
      for (let i = 0; i < 4; i += 1) posted.push((await author.ok(POST, { t: thread.id, b: `再開中${i}` })).postMessage.id as string);
      await Promise.all(live.map((s) => s.received(posted.at(-1)!)));
      for (let i = 0; i < 2; i += 1) posted.push((await author.ok(POST, { t: thread.id, b: `再開後${i}` })).postMessage.id as string);
      await Promise.all(live.map((s) => s.received(posted.at(-1)!)));
      const messagesOf = (subscriber: Subscriber) => subscriber.events().filter((e) => e.kind === 'MESSAGE_POSTED').map((e) => e.messageId);
      expect(messagesOf(resuming)).toEqual(posted);
      for (const subscriber of live.slice(0, 2)) expect(messagesOf(subscriber)).toEqual(posted);
      const cursors = resuming.results.items.map((r) => r.data?.threadEvents).map((e) => (e as { cursor?: string } | undefined)?.cursor);
      expect(new Set(cursors).size).toBe(cursors.length);
    } finally {
      await closeAll(live);
    }
  });

  it('a subscription the client completes is sent nothing more; the rest of its group carries on', async () => {
    const proposalId = await submittedProposal(member);
    const subscribers = await subscribeAll(await people(Role.DESK, 3), AUDIENCE_EVENTS, proposalId);
    try {
      const thread = (await author.ok(START, { p: proposalId, input: { audience: 'SHARED', title: '離脱', body: '一' } })).startThread;
      const first = (await author.ok(POST, { t: thread.id, b: '離脱前' })).postMessage.id as string;
      await Promise.all(subscribers.map((s) => s.received(first)));
      await subscribers[1]!.close();
      const next = (await author.ok(POST, { t: thread.id, b: '離脱後の投稿' })).postMessage.id as string;
      await Promise.all([subscribers[0]!, subscribers[2]!].map((s) => s.received(next)));
      expect(subscribers[1]!.frames.join('\n')).not.toContain('離脱後');
      // Every frame the group wrote is a graphql-ws `next` message of the subscription's own id.
      const frames = subscribers[0]!.frames.map((frame) => JSON.parse(frame) as { id?: string; type: string; payload?: unknown });
      const nexts = frames.filter((frame) => frame.type === 'next');
      expect(nexts.length).toBeGreaterThanOrEqual(2);
      expect(new Set(nexts.map((frame) => frame.id)).size).toBe(1);
      expect(nexts.every((frame) => typeof frame.id === 'string' && typeof frame.payload === 'object')).toBe(true);
    } finally {
      await closeAll(subscribers);
    }
  });
});
