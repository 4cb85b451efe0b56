import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { Role, type Account } from '../identity/account.entity.js';
import type { Section } from '../sections/section.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { Collected, HttpSession, type GraphqlResult } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation, endMembership } from '../../test/proposal-factories.js';
import { Membership } from '../organisations/membership.entity.js';

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id matches { id version section { id } } } }`;
const ACCEPT = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id version } }`;
const DECLINE = `mutation($id: ID!, $v: Int!, $r: String!) { declineMatch(matchId: $id, expectedVersion: $v, reason: $r) { id state } }`;

const MESSAGE_FIELDS = 'id threadId parentId depth body bodyHtml deleted version editedAt createdAt author { accountId displayName } mentions { accountId } quote { messageId excerpt deleted } viewerCan { edit delete reply }';
const START = `mutation($p: ID!, $input: StartThreadInput!, $k: String) { startThread(proposalId: $p, input: $input, idempotencyKey: $k) { id audience title version messages { totalCount edges { node { ${MESSAGE_FIELDS} } } } } }`;
const POST = `mutation($t: ID!, $b: String!, $parent: ID, $k: String) { postMessage(threadId: $t, body: $b, parentId: $parent, idempotencyKey: $k) { ${MESSAGE_FIELDS} } }`;
const EDIT = `mutation($m: ID!, $b: String!, $v: Int!) { editMessage(messageId: $m, body: $b, expectedVersion: $v) { ${MESSAGE_FIELDS} revisions { body bodyHtml editedByName } } }`;
const DELETE = `mutation($m: ID!, $v: Int!) { deleteMessage(messageId: $m, expectedVersion: $v) { ${MESSAGE_FIELDS} revisions { body } } }`;
const THREAD = `query($id: ID!) { thread(id: $id) { id audience title unreadCount following viewerCan { post } messages { totalCount edges { node { ${MESSAGE_FIELDS} revisions { body editedByName } } } } } }`;
const PROPOSAL_THREADS = `query($id: ID!) { proposal(id: $id) { id unreadMessageCount viewerCanThreads { start audiences } threads { id audience title unreadCount } } }`;
const READ = `mutation($t: ID!, $at: DateTimeISO) { markThreadRead(threadId: $t, upTo: $at) { id unreadCount } }`;
const FOLLOW = `mutation($t: ID!, $f: Boolean!) { followThread(threadId: $t, following: $f) { id following } }`;
const CANDIDATES = `query($t: ID, $p: ID, $a: Audience) { threadMentionCandidates(threadId: $t, proposalId: $p, audience: $a) { accountId displayName role sectionName organisationName } }`;
const EVENTS = `subscription($p: ID!, $after: String) { threadEvents(proposalId: $p, after: $after) { cursor kind proposalId threadId messageId thread { id title audience } message { id body bodyHtml deleted } } }`;

let server: TestServer;
let httpUrl: string;
let wsUrl: string;

type Who = 'desk' | 'lead' | 'support' | 'pending' | 'declined' | 'unmatched' | 'member' | 'member2' | 'otherMember' | 'public';
const s = {} as Record<Who, HttpSession>;
const a = {} as Record<Exclude<Who, 'public'>, Account>;
const sec = {} as Record<'lead' | 'support' | 'pending' | 'declined' | 'unmatched', Section>;

const codeOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.code;
const reasonOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.reason;
const fieldsOf = (result: GraphqlResult) => (result.errors?.[0]?.extensions?.fields ?? []).map((f) => `${f.field}:${f.code}`);
const mention = (account: Account) => `@[${account.displayName}](account:${account.id})`;

async function login(account: Account): Promise<HttpSession> {
  return new HttpSession(httpUrl).login(account.email, TEST_PASSWORD);
}

/** A proposal in dialogue: lead and supporting sections ACCEPTED, one PENDING, one DECLINED. */
async function proposalInDialogue(): Promise<{ id: string; pendingMatch: { id: string; version: number } }> {
  const draft = (await s.member.ok(CREATE, { input: COMPLETE_DRAFT })).createProposalDraft;
  const submitted = (await s.member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
  const reviewed = (await s.desk.ok(REVIEW, { id: submitted.id, v: submitted.version })).acceptProposalForReview;
  const dialogue = (await s.desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
  const ids = [sec.lead.id, sec.support.id, sec.pending.id, sec.declined.id];
  const matched = (await s.desk.ok(MATCH, { id: dialogue.id, v: dialogue.version, s: ids, lead: sec.lead.id })).matchProposal;
  type M = { id: string; version: number; section: { id: string } };
  const of = (section: Section) => (matched.matches as M[]).find((m) => m.section.id === section.id)!;
  await s.lead.ok(ACCEPT, { id: of(sec.lead).id, v: of(sec.lead).version });
  await s.support.ok(ACCEPT, { id: of(sec.support).id, v: of(sec.support).version });
  await s.declined.ok(DECLINE, { id: of(sec.declined).id, v: of(sec.declined).version, r: '所管外のため' });
  return { id: dialogue.id, pendingMatch: of(sec.pending) };
}

async function start(who: HttpSession, proposalId: string, audience: 'SHARED' | 'INTERNAL', title: string, body: string, key: string | null = null) {
  return who.request(START, { p: proposalId, input: { audience, title, body }, k: key });
}

/** What is stored: every message of a proposal and every thread, to prove nothing changed. */
async function stored(proposalId: string) {
  const sql = server.db.orm.em.fork().getConnection();
  const threads = await sql.execute<Array<{ id: string; title: string; version: number }>>('select id, title, version from thread where proposal_id = ? order by id', [proposalId]);
  const messages = await sql.execute<Array<{ id: string; body: string; version: number; deleted_at: Date | null }>>('select id, body, version, deleted_at from message where proposal_id = ? order by id', [proposalId]);
  const revisions = await sql.execute<Array<{ id: string }>>('select r.id from message_revision r join message m on m.id = r.message_id where m.proposal_id = ?', [proposalId]);
  const notifications = await sql.execute<Array<{ id: string }>>('select id from notification where proposal_id = ?', [proposalId]);
  return { threads, messages, revisions: revisions.length, notifications: notifications.length };
}

async function notificationsOf(messageId: string): Promise<Array<{ recipient_id: string; kind: string }>> {
  return server.db.orm.em.fork().getConnection().execute('select recipient_id, kind from notification where message_id = ? order by kind, recipient_id', [messageId]);
}

/** A browser tab subscribed to a proposal's thread events, keeping every raw websocket frame it receives. */
class Listener {
  readonly frames: string[] = [];
  readonly events = new Collected<GraphqlResult>();
  private client: Client;
  private stop: () => void;
  constructor(session: HttpSession, proposalId: string, after: string | null = null) {
    const frames = this.frames;
    const cookie = session.cookie;
    class RecordingWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: cookie ? { cookie } : {} });
        this.on('message', (data) => frames.push(data.toString()));
      }
    }
    this.client = createClient({ url: wsUrl, webSocketImpl: RecordingWebSocket, retryAttempts: 0, lazy: false });
    const events = this.events;
    this.stop = this.client.subscribe({ query: EVENTS, variables: { p: proposalId, after } }, { next: (r) => events.push(r as GraphqlResult), error: (e) => events.fail(e), complete: () => events.complete() });
  }
  items() {
    return this.events.items.map((r) => r.data?.threadEvents).filter(Boolean) as Array<{ cursor: string; kind: string; threadId: string; messageId: string | null; thread: { title: string } | null; message: { id: string; body: string; deleted: boolean } | null }>;
  }
  async close(): Promise<void> {
    this.stop();
    await this.client.dispose();
  }
}

async function liveCursor(session: HttpSession): Promise<string> {
  return (await session.ok('{ liveCursor }')).liveCursor;
}

beforeAll(async () => {
  server = await startTestServer();
  httpUrl = server.httpUrl;
  wsUrl = server.wsUrl;
  const em = server.db.orm.em.fork();
  [sec.lead, sec.support, sec.pending, sec.declined] = (await createDepartmentWithSections(em, ['対話主担当課', '対話支援課', '対話保留課', '対話辞退課'])) as [Section, Section, Section, Section];
  [sec.unmatched] = (await createDepartmentWithSections(em, ['対話無関係課'])) as [Section];
  const organisation = await createOrganisation(em, '対話テスト株式会社');
  const other = await createOrganisation(em, '他社テスト');
  a.desk = await createAccount(em, Role.DESK);
  a.lead = await createAccount(em, Role.SECTION, sec.lead);
  a.support = await createAccount(em, Role.SECTION, sec.support);
  a.pending = await createAccount(em, Role.SECTION, sec.pending);
  a.declined = await createAccount(em, Role.SECTION, sec.declined);
  a.unmatched = await createAccount(em, Role.SECTION, sec.unmatched);
  a.member = await createMember(em, organisation);
  a.member2 = await createMember(em, organisation);
  a.otherMember = await createMember(em, other);
  for (const who of Object.keys(a) as Array<keyof typeof a>) s[who] = await login(a[who]);
  s.public = new HttpSession(httpUrl);
});

afterAll(async () => {
  await server?.stop();
});

describe('who reads and writes threads', () => {
  it('SHARED: the ward and the proposer read and post; declined, unmatched, other organisations and the public get nothing', async () => {
    const p = await proposalInDialogue();
    const started = await start(s.member, p.id, 'SHARED', '講座の会場について', '公園の使用は可能でしょうか。');
    expect(started.errors).toBeUndefined();
    const thread = started.data!.startThread;
    expect(thread.audience).toBe('SHARED');
    expect(thread.messages.edges[0].node.bodyHtml).toBe('<p>公園の使用は可能でしょうか。</p>');
    for (const who of ['desk', 'lead', 'support', 'pending', 'member', 'member2'] as const) {
      const read = await s[who].request(THREAD, { id: thread.id });
      expect([who, read.data?.thread?.title]).toEqual([who, '講座の会場について']);
      const posted = await s[who].request(POST, { t: thread.id, b: `${who} です` });
      expect([who, posted.errors]).toEqual([who, undefined]);
    }
    const before = await stored(p.id);
    for (const who of ['declined', 'unmatched', 'otherMember'] as const) {
      expect([who, codeOf(await s[who].request(THREAD, { id: thread.id }))]).toEqual([who, 'NOT_FOUND']);
      expect([who, codeOf(await s[who].request(POST, { t: thread.id, b: '割り込み' }))]).toEqual([who, 'NOT_FOUND']);
      expect([who, codeOf(await start(s[who], p.id, 'SHARED', '割り込み', '本文'))]).toEqual([who, 'NOT_FOUND']);
    }
    expect(codeOf(await s.public.request(THREAD, { id: thread.id }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await s.public.request(POST, { t: thread.id, b: 'x' }))).toBe('UNAUTHENTICATED');
    expect(await stored(p.id)).toEqual(before);
  });

  it('INTERNAL: the desk and every matched section read and post; a proposer never sees it — not by id, list, count or candidates — and cannot start one', async () => {
    const p = await proposalInDialogue();
    const internal = (await s.lead.ok(START, { p: p.id, input: { audience: 'INTERNAL', title: '庁内調整メモ', body: '予算の確認が必要です。' } })).startThread;
    for (const who of ['desk', 'lead', 'support', 'pending'] as const) {
      expect([who, (await s[who].request(THREAD, { id: internal.id })).data?.thread?.title]).toEqual([who, '庁内調整メモ']);
      expect([who, (await s[who].request(POST, { t: internal.id, b: `${who} 確認` })).errors]).toEqual([who, undefined]);
    }
    const before = await stored(p.id);
    for (const who of ['member', 'member2', 'otherMember', 'declined', 'unmatched'] as const) {
      expect([who, codeOf(await s[who].request(THREAD, { id: internal.id }))]).toEqual([who, 'NOT_FOUND']);
      // A reply into a thread one cannot read is the same as into a missing one.
      expect([who, codeOf(await s[who].request(POST, { t: internal.id, b: '返信' }))]).toEqual([who, 'NOT_FOUND']);
      expect([who, codeOf(await s[who].request(CANDIDATES, { t: internal.id }))]).toEqual([who, 'NOT_FOUND']);
    }
    expect(codeOf(await s.member.request(POST, { t: randomUUID(), b: '返信' }))).toBe('NOT_FOUND');
    expect(codeOf(await s.member.request(CANDIDATES, { p: p.id, a: 'INTERNAL' }))).toBe('NOT_FOUND');
    expect(codeOf(await start(s.member, p.id, 'INTERNAL', '庁内に見せたい', '本文'))).toBe('FORBIDDEN');
    const seen = (await s.member.ok(PROPOSAL_THREADS, { id: p.id })).proposal;
    expect(seen.threads).toEqual([]);
    expect(seen.unreadMessageCount).toBe(0);
    expect(seen.viewerCanThreads).toEqual({ start: true, audiences: ['SHARED'] });
    expect((await s.lead.ok(PROPOSAL_THREADS, { id: p.id })).proposal.viewerCanThreads.audiences).toEqual(['SHARED', 'INTERNAL']);
    expect(JSON.stringify(seen)).not.toContain('庁内');
    expect(await stored(p.id)).toEqual(before);
  });

  it('threads are started from submission until the report: a draft is ILLEGAL_STATE', async () => {
    const draft = (await s.member.ok(CREATE, { input: COMPLETE_DRAFT })).createProposalDraft;
    const refused = await start(s.member, draft.id, 'SHARED', '下書きで', '本文');
    expect([codeOf(refused), reasonOf(refused)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    const submitted = (await s.member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
    expect((await start(s.desk, submitted.id, 'SHARED', '受付しました', '内容を確認します。')).errors).toBeUndefined();
    expect((await start(s.desk, submitted.id, 'INTERNAL', '受付メモ', '庁内で確認')).errors).toBeUndefined();
    expect((await s.member.ok(PROPOSAL_THREADS, { id: submitted.id })).proposal.threads.map((t: { title: string }) => t.title)).toEqual(['受付しました']);
  });

  it('a withdrawn proposal keeps its threads readable, but nothing more is posted, edited or deleted (ILLEGAL_STATE)', async () => {
    const p = await proposalInDialogue();
    const thread = (await s.member.ok(START, { p: p.id, input: { audience: 'SHARED', title: '取下げ前', body: '取下げ前の投稿' } })).startThread;
    const first = thread.messages.edges[0].node;
    const version = (await s.member.ok(`query($id: ID!) { proposal(id: $id) { version } }`, { id: p.id })).proposal.version;
    await s.member.ok(`mutation($id: ID!, $v: Int!, $r: String!) { withdrawProposal(id: $id, expectedVersion: $v, reason: $r) { id state } }`, { id: p.id, v: version, r: '社内事情により' });
    const before = await stored(p.id);
    const read = (await s.lead.ok(THREAD, { id: thread.id })).thread;
    expect([read.viewerCan.post, read.messages.edges[0].node.viewerCan]).toEqual([false, { edit: false, delete: false, reply: false }]);
    for (const attempt of [
      s.member.request(POST, { t: thread.id, b: '取下げ後' }),
      s.member.request(EDIT, { m: first.id, b: '取下げ後の編集', v: first.version }),
      s.desk.request(DELETE, { m: first.id, v: first.version }),
      start(s.desk, p.id, 'INTERNAL', '取下げ後', '本文'),
    ]) {
      const result = await attempt;
      expect([codeOf(result), reasonOf(result)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    }
    expect((await s.lead.ok(PROPOSAL_THREADS, { id: p.id })).proposal.viewerCanThreads).toEqual({ start: false, audiences: [] });
    expect(await stored(p.id)).toEqual(before);
  });

  it('mention candidates are exactly the people who read the thread; no e-mail to anyone', async () => {
    const p = await proposalInDialogue();
    const shared = (await s.member.ok(PROPOSAL_THREADS, { id: p.id })).proposal;
    void shared;
    const sharedIds = (await s.member.ok(CANDIDATES, { p: p.id, a: 'SHARED' })).threadMentionCandidates.map((c: { accountId: string }) => c.accountId);
    for (const who of ['desk', 'lead', 'support', 'pending', 'member', 'member2'] as const) expect(sharedIds).toContain(a[who].id);
    for (const who of ['declined', 'unmatched', 'otherMember'] as const) expect(sharedIds).not.toContain(a[who].id);
    const internalIds = (await s.lead.ok(CANDIDATES, { p: p.id, a: 'INTERNAL' })).threadMentionCandidates.map((c: { accountId: string }) => c.accountId);
    for (const who of ['desk', 'lead', 'support', 'pending'] as const) expect(internalIds).toContain(a[who].id);
    for (const who of ['member', 'member2', 'declined', 'unmatched', 'otherMember'] as const) expect(internalIds).not.toContain(a[who].id);
    const raw = await s.member.request(`query($p: ID) { threadMentionCandidates(proposalId: $p, audience: SHARED) { accountId email } }`, { p: p.id });
    expect(codeOf(raw)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('bad input: a clear error, nothing changed', () => {
  it('a mention of someone outside the audience, a 100 kB message, an empty one, a long title, an unknown parent, someone else’s edit', async () => {
    const p = await proposalInDialogue();
    const shared = (await s.member.ok(START, { p: p.id, input: { audience: 'SHARED', title: '共有', body: '最初' } })).startThread;
    const internal = (await s.lead.ok(START, { p: p.id, input: { audience: 'INTERNAL', title: '庁内', body: '最初' } })).startThread;
    const other = (await s.lead.ok(START, { p: p.id, input: { audience: 'INTERNAL', title: '別', body: '別の' } })).startThread;
    const first = shared.messages.edges[0].node;
    const before = await stored(p.id);

    expect(fieldsOf(await s.lead.request(POST, { t: internal.id, b: `${mention(a.member)} 見てください` }))).toEqual(['mentions:NOT_ACCEPTED']);
    expect(fieldsOf(await s.member.request(POST, { t: shared.id, b: `${mention(a.otherMember)} 見てください` }))).toEqual(['mentions:NOT_ACCEPTED']);
    expect(fieldsOf(await s.member.request(POST, { t: shared.id, b: `${mention(a.declined)} 見てください` }))).toEqual(['mentions:NOT_ACCEPTED']);
    expect(fieldsOf(await s.member.request(POST, { t: shared.id, b: `@[誰か](account:${randomUUID()})` }))).toEqual(['mentions:UNKNOWN_REFERENCE']);
    expect(fieldsOf(await start(s.lead, p.id, 'INTERNAL', '庁内', `${mention(a.member)} へ`))).toEqual(['mentions:NOT_ACCEPTED']);
    expect(fieldsOf(await s.member.request(POST, { t: shared.id, b: 'あ'.repeat(100_000) }))).toEqual(['body:TOO_LONG']);
    expect(fieldsOf(await s.member.request(POST, { t: shared.id, b: 'x'.repeat(100 * 1024) }))).toEqual(['body:TOO_LONG']);
    expect(fieldsOf(await s.member.request(POST, { t: shared.id, b: ' \n\t ' }))).toEqual(['body:REQUIRED']);
    expect(fieldsOf(await start(s.member, p.id, 'SHARED', 'あ'.repeat(201), '本文'))).toEqual(['title:TOO_LONG']);
    expect(fieldsOf(await start(s.member, p.id, 'SHARED', '  ', ''))).toEqual(['title:REQUIRED', 'body:REQUIRED']);
    expect(fieldsOf(await s.lead.request(POST, { t: shared.id, b: '返信', parent: other.messages.edges[0].node.id }))).toEqual(['parentId:UNKNOWN_REFERENCE']);
    expect(fieldsOf(await s.lead.request(POST, { t: shared.id, b: '返信', parent: randomUUID() }))).toEqual(['parentId:UNKNOWN_REFERENCE']);
    expect(codeOf(await s.member2.request(EDIT, { m: first.id, b: '書き換え', v: first.version }))).toBe('FORBIDDEN');
    expect(codeOf(await s.lead.request(EDIT, { m: first.id, b: '書き換え', v: first.version }))).toBe('FORBIDDEN');
    expect(codeOf(await s.lead.request(DELETE, { m: first.id, v: first.version }))).toBe('FORBIDDEN');
    expect(fieldsOf(await s.member.request(EDIT, { m: first.id, b: `${mention(a.otherMember)} 追記`, v: first.version }))).toEqual(['mentions:NOT_ACCEPTED']);
    expect(fieldsOf(await s.member.request(EDIT, { m: first.id, b: 'x'.repeat(100 * 1024), v: first.version }))).toEqual(['body:TOO_LONG']);
    expect(codeOf(await s.member.request(EDIT, { m: internal.messages.edges[0].node.id, b: '書き換え', v: 1 }))).toBe('NOT_FOUND');
    expect(codeOf(await s.member.request(DELETE, { m: internal.messages.edges[0].node.id, v: 1 }))).toBe('NOT_FOUND');
    expect(await stored(p.id)).toEqual(before);
  });

  it('HTML and script in a message are stored as written and rendered harmless for everyone', async () => {
    const p = await proposalInDialogue();
    const thread = (await s.member.ok(START, { p: p.id, input: { audience: 'SHARED', title: '<script>alert(1)</script>', body: '最初' } })).startThread;
    const payloads = ['<script>alert(document.cookie)</script>', '<img src=x onerror=alert(1)>', '[押して](javascript:alert(1))', '[data](data:text/html;base64,PHNjcmlwdD4=)', '<svg onload=alert(1)>', '&#60;script&#62;alert(1)&#60;/script&#62;', '<a href="javascript:alert(1)">x</a>'];
    for (const payload of payloads) {
      const message = (await s.member.ok(POST, { t: thread.id, b: payload })).postMessage;
      expect(message.body).toBe(payload);
      const html: string = (await s.desk.ok(THREAD, { id: thread.id })).thread.messages.edges.find((e: { node: { id: string } }) => e.node.id === message.id).node.bodyHtml;
      expect(html).not.toMatch(/<(script|img|svg|iframe)/i);
      expect(html).not.toMatch(/<a [^>]*href="(javascript|data):/i);
      expect(html).not.toMatch(/<a [^>]*on\w+=/i);
    }
    // The title is plain text, shown as text by the client.
    expect((await s.desk.ok(THREAD, { id: thread.id })).thread.title).toBe('<script>alert(1)</script>');
  });
});

describe('posting, replying, editing and deleting', () => {
  it('a retry with the same idempotency key returns the same message and notifies once', async () => {
    const p = await proposalInDialogue();
    const thread = (await s.lead.ok(START, { p: p.id, input: { audience: 'SHARED', title: '再送', body: '最初' } })).startThread;
    const key = `retry-${randomUUID()}`;
    const body = `${mention(a.member)} 資料をお願いします`;
    const [one, two] = await Promise.all([s.lead.ok(POST, { t: thread.id, b: body, k: key }), s.lead.ok(POST, { t: thread.id, b: body, k: key })]);
    const three = await s.lead.ok(POST, { t: thread.id, b: body, k: key });
    expect(two.postMessage.id).toBe(one.postMessage.id);
    expect(three.postMessage.id).toBe(one.postMessage.id);
    expect((await s.lead.ok(THREAD, { id: thread.id })).thread.messages.totalCount).toBe(2);
    expect(await notificationsOf(one.postMessage.id)).toEqual([{ recipient_id: a.member.id, kind: 'MENTION' }]);
    const startKey = `start-${randomUUID()}`;
    const t1 = (await s.member.ok(START, { p: p.id, input: { audience: 'SHARED', title: '一度だけ', body: '本文' }, k: startKey })).startThread;
    const t2 = (await s.member.ok(START, { p: p.id, input: { audience: 'SHARED', title: '一度だけ', body: '本文' }, k: startKey })).startThread;
    expect(t2.id).toBe(t1.id);
    expect((await stored(p.id)).threads.filter((t) => t.title === '一度だけ')).toHaveLength(1);
  });

  it('replies nest three levels; a deeper reply sits beside its parent and quotes it', async () => {
    const p = await proposalInDialogue();
    const thread = (await s.member.ok(START, { p: p.id, input: { audience: 'SHARED', title: '入れ子', body: '階層0' } })).startThread;
    const root = thread.messages.edges[0].node;
    const one = (await s.lead.ok(POST, { t: thread.id, b: '階層1', parent: root.id })).postMessage;
    const two = (await s.member.ok(POST, { t: thread.id, b: '階層2', parent: one.id })).postMessage;
    const three = (await s.desk.ok(POST, { t: thread.id, b: '階層3のつもり', parent: two.id })).postMessage;
    expect([root.depth, one.depth, two.depth, three.depth]).toEqual([0, 1, 2, 2]);
    expect([one.parentId, two.parentId, three.parentId]).toEqual([root.id, one.id, one.id]);
    expect(three.quote).toEqual({ messageId: two.id, excerpt: '階層2', deleted: false });
    expect(two.quote).toBeNull();
    // The authors of the parents were told of the replies.
    expect(await notificationsOf(one.id)).toContainEqual({ recipient_id: a.member.id, kind: 'REPLY' });
    expect(await notificationsOf(three.id)).toContainEqual({ recipient_id: a.member.id, kind: 'REPLY' });
  });

  it('an edit keeps the history; a stale edit is a CONFLICT; a deleted message leaves a placeholder and cannot be edited', async () => {
    const p = await proposalInDialogue();
    const thread = (await s.member.ok(START, { p: p.id, input: { audience: 'SHARED', title: '編集', body: '第一版' } })).startThread;
    const message = thread.messages.edges[0].node;
    const edited = (await s.member.ok(EDIT, { m: message.id, b: '第二版 **強調**', v: message.version })).editMessage;
    expect(edited.body).toBe('第二版 **強調**');
    expect(edited.bodyHtml).toBe('<p>第二版 <strong>強調</strong></p>');
    expect(edited.editedAt).not.toBeNull();
    expect(edited.revisions).toEqual([{ body: '第一版', bodyHtml: '<p>第一版</p>', editedByName: a.member.displayName }]);
    // Mentioning someone in an edit tells them (once); the history is unchanged by a no-op edit.
    const withMention = (await s.member.ok(EDIT, { m: message.id, b: `第二版 **強調** ${mention(a.lead)}`, v: edited.version })).editMessage;
    expect(await notificationsOf(message.id)).toEqual([{ recipient_id: a.lead.id, kind: 'MENTION' }]);
    const back = (await s.member.ok(EDIT, { m: message.id, b: '第二版 **強調**', v: withMention.version })).editMessage;
    Object.assign(edited, { version: back.version });
    // Another tab still holds the first version.
    const before = await stored(p.id);
    const stale = await s.member.request(EDIT, { m: message.id, b: '古い版から', v: message.version });
    expect([codeOf(stale), reasonOf(stale), stale.errors?.[0]?.extensions?.currentVersion]).toEqual(['CONFLICT', 'STALE_VERSION', edited.version]);
    expect(codeOf(await s.member.request(DELETE, { m: message.id, v: message.version }))).toBe('CONFLICT');
    expect(await stored(p.id)).toEqual(before);
    // Everyone in the audience sees the history.
    const history = (await s.lead.ok(THREAD, { id: thread.id })).thread.messages.edges[0].node.revisions as Array<{ body: string; editedByName: string }>;
    expect(history.map((r) => r.body)).toEqual(['第一版', '第二版 **強調**', `第二版 **強調** ${mention(a.lead)}`]);
    expect(new Set(history.map((r) => r.editedByName))).toEqual(new Set([a.member.displayName]));
    // The desk deletes it as moderator: the text and its history are gone, the placeholder stays.
    const deleted = (await s.desk.ok(DELETE, { m: message.id, v: edited.version })).deleteMessage;
    expect([deleted.deleted, deleted.body, deleted.bodyHtml, deleted.revisions, deleted.viewerCan]).toEqual([true, '', '', [], { edit: false, delete: false, reply: true }]);
    const seen = (await s.member.ok(THREAD, { id: thread.id })).thread.messages;
    expect(seen.totalCount).toBe(1);
    expect(seen.edges[0].node.deleted).toBe(true);
    const again = await s.member.request(EDIT, { m: message.id, b: '復活', v: deleted.version });
    expect([codeOf(again), reasonOf(again)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    const row = (await stored(p.id)).messages.find((m) => m.id === message.id)!;
    expect(row.body).toBe('');
    expect(JSON.stringify(await stored(p.id))).not.toContain('第二版');
  });
});

describe('unread markers and notifications', () => {
  it('unread counts per person and per thread; INTERNAL messages never count for a proposer; reading clears them', async () => {
    const p = await proposalInDialogue();
    const shared = (await s.member.ok(START, { p: p.id, input: { audience: 'SHARED', title: '未読', body: '一' } })).startThread;
    await s.lead.ok(POST, { t: shared.id, b: '二' });
    await s.lead.ok(POST, { t: shared.id, b: '三' });
    const internal = (await s.lead.ok(START, { p: p.id, input: { audience: 'INTERNAL', title: '庁内未読', body: '庁内一' } })).startThread;
    await s.support.ok(POST, { t: internal.id, b: '庁内二' });
    const count = async (who: Who) => (await s[who].ok(PROPOSAL_THREADS, { id: p.id })).proposal;
    expect((await count('member')).unreadMessageCount).toBe(2);
    expect((await count('member2')).unreadMessageCount).toBe(3);
    // Posting marks one's thread read up to one's own message: the lead has read the SHARED thread.
    expect((await count('lead')).unreadMessageCount).toBe(1);
    expect((await count('desk')).unreadMessageCount).toBe(3 + 2);
    expect((await count('desk')).threads.map((t: { title: string; unreadCount: number }) => [t.title, t.unreadCount])).toEqual([
      ['庁内未読', 2],
      ['未読', 3],
    ]);
    expect((await s.desk.ok(READ, { t: shared.id })).markThreadRead.unreadCount).toBe(0);
    expect((await count('desk')).unreadMessageCount).toBe(2);
    expect((await count('member2')).unreadMessageCount).toBe(3);
    await s.member.ok(POST, { t: shared.id, b: '四' });
    expect((await s.desk.ok(THREAD, { id: shared.id })).thread.unreadCount).toBe(1);
    // Reading up to an earlier moment never moves the marker back.
    await s.desk.ok(READ, { t: shared.id, at: new Date(0).toISOString() });
    expect((await s.desk.ok(THREAD, { id: shared.id })).thread.unreadCount).toBe(1);
  });

  it('mentions, replies and followers are told; nobody who cannot read the thread (a section whose match ended, a proposer in INTERNAL) is', async () => {
    const p = await proposalInDialogue();
    const shared = (await s.pending.ok(START, { p: p.id, input: { audience: 'SHARED', title: '通知', body: '保留課から質問' } })).startThread;
    const question = shared.messages.edges[0].node;
    expect((await s.desk.ok(FOLLOW, { t: shared.id, f: true })).followThread.following).toBe(true);
    const answer = (await s.member.ok(POST, { t: shared.id, b: `${mention(a.lead)} 回答です`, parent: question.id })).postMessage;
    expect(await notificationsOf(answer.id)).toEqual(
      [
        { recipient_id: a.lead.id, kind: 'MENTION' },
        { recipient_id: a.pending.id, kind: 'REPLY' },
        { recipient_id: a.desk.id, kind: 'THREAD_MESSAGE' },
      ].sort((x, y) => (x.kind === y.kind ? x.recipient_id.localeCompare(y.recipient_id) : x.kind.localeCompare(y.kind))),
    );
    // The pending section declines: it follows the thread and wrote the question, but is told nothing more.
    await s.pending.ok(DECLINE, { id: p.pendingMatch.id, v: p.pendingMatch.version, r: '所管外' });
    const later = (await s.lead.ok(POST, { t: shared.id, b: '続きです', parent: question.id })).postMessage;
    const told = (await notificationsOf(later.id)).map((n) => n.recipient_id);
    expect(told).not.toContain(a.pending.id);
    expect(told).toContain(a.member.id);
    expect(told).toContain(a.desk.id);
    expect(told).not.toContain(a.lead.id);
    // A proposer who follows nothing INTERNAL is never told of it, even when a reply answers a message they could have seen.
    const internal = (await s.lead.ok(START, { p: p.id, input: { audience: 'INTERNAL', title: '庁内', body: `${mention(a.desk)} 相談` } })).startThread;
    expect(await notificationsOf(internal.messages.edges[0].node.id)).toEqual([{ recipient_id: a.desk.id, kind: 'MENTION' }]);
    const sql = server.db.orm.em.fork().getConnection();
    const leaks = await sql.execute('select n.id from notification n join thread t on t.id = n.thread_id where t.audience = ? and n.recipient_id in (?, ?)', ['INTERNAL', a.member.id, a.member2.id]);
    expect(leaks).toEqual([]);
  });
});

describe('live', () => {
  it('the proposer posts in SHARED and the others see it live; an INTERNAL note never reaches the proposer, not even in a websocket frame', async () => {
    const p = await proposalInDialogue();
    const firstCursor = await liveCursor(s.member);
    const proposer = new Listener(s.member, p.id, firstCursor);
    const section = new Listener(s.lead, p.id, await liveCursor(s.lead));
    try {
      const shared = (await s.member.ok(START, { p: p.id, input: { audience: 'SHARED', title: '共有スレッド', body: '提案者からの投稿' } })).startThread;
      const internal = (await s.lead.ok(START, { p: p.id, input: { audience: 'INTERNAL', title: '極秘の庁内メモ', body: '提案者には見せない調整事項' } })).startThread;
      const note = (await s.lead.ok(POST, { t: internal.id, b: '庁内だけの追記' })).postMessage;
      await s.lead.ok(EDIT, { m: note.id, b: '庁内だけの追記（修正）', v: note.version });
      await s.lead.ok(DELETE, { m: note.id, v: note.version + 1 });
      const reply = (await s.lead.ok(POST, { t: shared.id, b: '区からの返信' })).postMessage;
      await section.events.until(() => section.items().some((e) => e.messageId === reply.id));
      await proposer.events.until(() => proposer.items().some((e) => e.messageId === reply.id));
      expect(section.items().map((e) => e.kind)).toEqual(['THREAD_STARTED', 'THREAD_STARTED', 'MESSAGE_POSTED', 'MESSAGE_EDITED', 'MESSAGE_DELETED', 'MESSAGE_POSTED']);
      expect(section.items()[0]!.message!.body).toBe('提案者からの投稿');
      expect(proposer.items().map((e) => [e.kind, e.threadId])).toEqual([
        ['THREAD_STARTED', shared.id],
        ['MESSAGE_POSTED', shared.id],
      ]);
      const frames = proposer.frames.join('\n');
      for (const secret of ['極秘', '提案者には見せない', '庁内だけ', internal.id, note.id]) expect(frames).not.toContain(secret);
      // Replaying from the start (a reconnect) shows the proposer the same: SHARED only.
      const replay = new Listener(s.member, p.id, firstCursor);
      try {
        await replay.events.until(() => replay.items().some((e) => e.messageId === reply.id));
        expect(replay.items().map((e) => e.threadId)).toEqual([shared.id, shared.id]);
        for (const secret of ['極秘', '提案者には見せない', '庁内だけ', internal.id, note.id]) expect(replay.frames.join('\n')).not.toContain(secret);
      } finally {
        await replay.close();
      }
    } finally {
      await proposer.close();
      await section.close();
    }
  });

  it('after a drop, resuming from the last cursor delivers what was missed, once each', async () => {
    const p = await proposalInDialogue();
    const thread = (await s.member.ok(START, { p: p.id, input: { audience: 'SHARED', title: '再接続', body: '最初' } })).startThread;
    const first = new Listener(s.lead, p.id, await liveCursor(s.lead));
    const one = (await s.member.ok(POST, { t: thread.id, b: '切断前' })).postMessage;
    await first.events.until(() => first.items().some((e) => e.messageId === one.id));
    const last = first.items().at(-1)!.cursor;
    await first.close();
    const missed = [(await s.member.ok(POST, { t: thread.id, b: '切断中1' })).postMessage.id, (await s.member.ok(POST, { t: thread.id, b: '切断中2' })).postMessage.id];
    const resumed = new Listener(s.lead, p.id, last);
    try {
      const live = (await s.member.ok(POST, { t: thread.id, b: '復帰後' })).postMessage.id;
      await resumed.events.until(() => resumed.items().some((e) => e.messageId === live));
      expect(resumed.items().map((e) => e.messageId)).toEqual([...missed, live]);
    } finally {
      await resumed.close();
    }
  });

  it('the stream ends when access ends (the section declines its match)', async () => {
    const p = await proposalInDialogue();
    const pending = new Listener(s.pending, p.id, await liveCursor(s.pending));
    try {
      const thread = (await s.lead.ok(START, { p: p.id, input: { audience: 'INTERNAL', title: '見える間', body: 'まだ見える' } })).startThread;
      await pending.events.until(() => pending.items().some((e) => e.threadId === thread.id));
      await s.pending.ok(DECLINE, { id: p.pendingMatch.id, v: p.pendingMatch.version, r: '所管外' });
      await s.lead.ok(POST, { t: thread.id, b: '辞退後の投稿' });
      await pending.events.until(() => pending.events.errors.length > 0 || pending.events.items.some((r) => (r.errors?.length ?? 0) > 0) || pending.events.completed);
      expect(JSON.stringify([pending.events.errors, pending.events.items.map((r) => r.errors)])).toContain('NOT_FOUND');
      expect(pending.frames.join('\n')).not.toContain('辞退後の投稿');
    } finally {
      await pending.close();
    }
  });

  it('a member who leaves the organisation is cut off: the next message does not reach them', async () => {
    const p = await proposalInDialogue();
    const em = server.db.orm.em.fork();
    const leaving = await createMember(em, (await em.findOneOrFail(Membership, { account: a.member.id, leftAt: null }, { populate: ['organisation'] })).organisation);
    const session = await login(leaving);
    const thread = (await s.member.ok(START, { p: p.id, input: { audience: 'SHARED', title: '退会', body: '退会前' } })).startThread;
    const listener = new Listener(session, p.id, await liveCursor(session));
    try {
      const seen = (await s.lead.ok(POST, { t: thread.id, b: '退会前に届く' })).postMessage;
      await listener.events.until(() => listener.items().some((e) => e.messageId === seen.id));
      await endMembership(server.db.orm.em.fork(), leaving.id);
      await s.lead.ok(POST, { t: thread.id, b: '退会後の秘密' });
      await listener.events.until(() => listener.events.errors.length > 0 || listener.events.items.some((r) => (r.errors?.length ?? 0) > 0) || listener.events.completed);
      expect(listener.frames.join('\n')).not.toContain('退会後の秘密');
    } finally {
      await listener.close();
    }
  });

  it('a proposer cannot subscribe to someone else’s proposal; the public cannot subscribe at all', async () => {
    const p = await proposalInDialogue();
    const other = new Listener(s.otherMember, p.id);
    const anonymous = new Listener(s.public, p.id);
    try {
      await other.events.until(() => other.events.errors.length > 0 || other.events.items.some((r) => (r.errors?.length ?? 0) > 0));
      await anonymous.events.until(() => anonymous.events.errors.length > 0 || anonymous.events.items.some((r) => (r.errors?.length ?? 0) > 0));
      const codes = (l: Listener) => JSON.stringify([l.events.errors, l.events.items]);
      expect(codes(other)).toContain('NOT_FOUND');
      expect(codes(anonymous)).toContain('UNAUTHENTICATED');
    } finally {
      await other.close();
      await anonymous.close();
    }
  });
});
