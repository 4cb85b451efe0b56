import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { Role, type Account } from '../identity/account.entity.js';
import { eventually, matchedProposal, type MatchedProposal } from '../minutes/minutes-test-fixtures.js';
import { Proposal } from '../proposals/proposal.entity.js';
import type { Section } from '../sections/section.entity.js';
import { Audience } from '../shared/audience.js';
import { Thread } from '../threads/thread.entity.js';
import type { TestDatabase } from '../../test/database.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, subscribe, type Collected, type GraphqlResult } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { createMember, createOrganisation } from '../../test/proposal-factories.js';
import { DEFAULT_PRESENCE_TIMING, setPresenceTiming } from './presence-timing.js';

const PRESENCE = `subscription($id: ID!) { workspacePresence(proposalId: $id) {
  cursor kind proposalId present { accountId displayName role sectionName organisationName } typing { accountId displayName threadId typingAt } } }`;
const TYPING = `mutation($p: ID!, $t: ID!) { signalTyping(proposalId: $p, threadId: $t) }`;
const DECLINE = `mutation($id: ID!, $v: Int!, $r: String!) { declineMatch(matchId: $id, expectedVersion: $v, reason: $r) { id state } }`;

interface Present {
  accountId: string;
  displayName: string;
  role: string;
  sectionName: string | null;
  organisationName: string | null;
}
interface PresenceEvent {
  kind: 'PRESENCE' | 'TYPING';
  proposalId: string;
  present: Present[];
  typing: Array<{ accountId: string; displayName: string; threadId: string; typingAt: string }>;
}
type Events = Collected<GraphqlResult<{ workspacePresence: PresenceEvent }>>;

let server: TestServer;
let db: TestDatabase;
let secA: Section;
let secB: Section;
const a = {} as Record<'desk' | 'staffA' | 'staffB' | 'staffC' | 'member' | 'otherMember', Account>;
const s = {} as Record<keyof typeof a, HttpSession>;

/** One open proposal page: its presence stream. */
class Workspace {
  readonly events: Events;
  private readonly client: Client;
  private readonly stop: () => void;
  constructor(session: HttpSession, proposalId: string) {
    this.client = session.websocket(server.wsUrl);
    ({ collected: this.events, stop: this.stop } = subscribe(this.client, PRESENCE, { id: proposalId }));
  }
  get delivered(): PresenceEvent[] {
    return this.events.items.map((item) => item.data?.workspacePresence).filter((event): event is PresenceEvent => Boolean(event));
  }
  get present(): string[] {
    return (this.delivered.at(-1)?.present ?? []).map((person) => person.accountId).sort();
  }
  get typing(): PresenceEvent['typing'] {
    return this.delivered.at(-1)?.typing ?? [];
  }
  async until(check: (w: Workspace) => boolean, what: string): Promise<void> {
    await eventually(() => check(this), () => `${what}: ${JSON.stringify(this.events.items)} ${JSON.stringify(this.events.errors)}`);
  }
  errorCodes(): string[] {
    const inItems = this.events.items.flatMap((r) => r.errors ?? []);
    const thrown = this.events.errors.flatMap((e) => (Array.isArray(e) ? e : [e])) as Array<{ extensions?: { code?: string } }>;
    return [...inItems, ...thrown].map((e) => String(e.extensions?.code));
  }
  async close(): Promise<void> {
    this.stop();
    await this.client.dispose();
  }
}

async function proposal(): Promise<MatchedProposal> {
  return matchedProposal({ member: s.member, desk: s.desk, leadStaff: s.staffA }, secA.id, secB.id);
}

async function threadRow(proposalId: string, audience: Audience, title: string): Promise<string> {
  const em = db.orm.em.fork();
  const thread = new Thread(em.getReference(Proposal, proposalId), audience, a.desk.id);
  thread.title = title;
  em.persist(thread);
  await em.flush();
  return thread.id;
}

const ids = (...accounts: Account[]) => accounts.map((account) => account.id).sort();

beforeAll(async () => {
  setPresenceTiming({ refreshMs: 200 });
  server = await startTestServer();
  db = server.db;
  const em = db.orm.em.fork();
  [secA, secB] = (await createDepartmentWithSections(em, ['在席テスト防災課', '在席テスト環境課'])) as [Section, Section];
  const [secC] = (await createDepartmentWithSections(em, ['在席テスト無関係課'])) as [Section];
  const organisation = await createOrganisation(em, '在席テスト株式会社');
  const other = await createOrganisation(em, '在席テスト他社');
  a.desk = await createAccount(em, Role.DESK);
  a.staffA = await createAccount(em, Role.SECTION, secA);
  a.staffB = await createAccount(em, Role.SECTION, secB);
  a.staffC = await createAccount(em, Role.SECTION, secC!);
  a.member = await createMember(em, organisation);
  a.otherMember = await createMember(em, other);
  for (const key of Object.keys(a) as Array<keyof typeof a>) s[key] = await new HttpSession(server.httpUrl).login(a[key].email, TEST_PASSWORD);
});

afterAll(async () => {
  setPresenceTiming(DEFAULT_PRESENCE_TIMING);
  await server?.stop();
});

describe('who is on this proposal now', () => {
  it('everyone who sees the proposal sees who is here, with role and section or organisation; leaving shows at once', async () => {
    const p = await proposal();
    const member = new Workspace(s.member, p.proposalId);
    const staff = new Workspace(s.staffA, p.proposalId);
    const desk = new Workspace(s.desk, p.proposalId);
    try {
      const all = ids(a.member, a.staffA, a.desk);
      for (const w of [member, staff, desk]) await w.until((x) => JSON.stringify(x.present) === JSON.stringify(all), 'all three present');
      const people = member.delivered.at(-1)!.present;
      expect(people.find((x) => x.accountId === a.staffA.id)).toMatchObject({ role: 'SECTION', sectionName: expect.stringContaining('在席テスト防災課'), organisationName: null });
      expect(people.find((x) => x.accountId === a.member.id)).toMatchObject({ role: 'PROPOSER', organisationName: '在席テスト株式会社', sectionName: null });
      expect(people.find((x) => x.accountId === a.desk.id)).toMatchObject({ role: 'DESK', sectionName: null, organisationName: null });

      await desk.close();
      for (const w of [member, staff]) await w.until((x) => JSON.stringify(x.present) === JSON.stringify(ids(a.member, a.staffA)), 'desk gone');
    } finally {
      await member.close();
      await staff.close();
      await desk.close();
    }
  });

  it('someone who cannot see the proposal gets NOT_FOUND and is never shown as present', async () => {
    const p = await proposal();
    const member = new Workspace(s.member, p.proposalId);
    const outsiders = [new Workspace(s.staffC, p.proposalId), new Workspace(s.otherMember, p.proposalId)];
    try {
      for (const w of outsiders) await w.until((x) => x.errorCodes().length > 0, 'refused');
      for (const w of outsiders) expect(w.errorCodes()).toContain('NOT_FOUND');
      await member.until((x) => x.present.length > 0, 'member present');
      expect(member.present).toEqual(ids(a.member));
    } finally {
      await member.close();
      for (const w of outsiders) await w.close();
    }
  });

  it('a crashed page’s row goes stale and is swept, announced as gone', async () => {
    const p = await proposal();
    const sql = db.orm.em.fork().getConnection();
    await sql.execute(`insert into proposal_presence (id, proposal_id, account_id, connection_id, last_seen_at) values (gen_random_uuid(), ?, ?, 'crashed', now() - interval '1 hour')`, [p.proposalId, a.desk.id]);
    const member = new Workspace(s.member, p.proposalId);
    try {
      await member.until((x) => x.present.length > 0, 'member present');
      expect(member.present).toEqual(ids(a.member));
      await eventually(
        async () => (await sql.execute<Array<{ n: string }>>(`select count(*)::text as n from proposal_presence where proposal_id = ? and connection_id = 'crashed'`, [p.proposalId]))[0]!.n === '0',
        () => 'stale row not swept',
      );
    } finally {
      await member.close();
    }
    await eventually(async () => (await sql.execute<Array<{ n: string }>>('select count(*)::text as n from proposal_presence where proposal_id = ?', [p.proposalId]))[0]!.n === '0', () => 'row left behind');
  });

  it('when access ends the stream ends: a section that declines its match is gone from the workspace', async () => {
    const p = await proposal();
    const member = new Workspace(s.member, p.proposalId);
    const staffB = new Workspace(s.staffB, p.proposalId);
    try {
      await member.until((x) => JSON.stringify(x.present) === JSON.stringify(ids(a.member, a.staffB)), 'both present');
      await s.staffB.ok(DECLINE, { id: p.supportMatch.id, v: p.supportMatch.version, r: '所管外' });
      await staffB.until((x) => x.errorCodes().includes('NOT_FOUND'), 'stream ended');
      await member.until((x) => JSON.stringify(x.present) === JSON.stringify(ids(a.member)), 'staffB gone');
    } finally {
      await member.close();
      await staffB.close();
    }
  });
});

describe('typing indicators (入力中)', () => {
  it('typing in an INTERNAL thread reaches the ward only: a proposer never learns of it, not even its id', async () => {
    const p = await proposal();
    const shared = await threadRow(p.proposalId, Audience.SHARED, '共有');
    const internal = await threadRow(p.proposalId, Audience.INTERNAL, '内部');
    const member = new Workspace(s.member, p.proposalId);
    const desk = new Workspace(s.desk, p.proposalId);
    const staff = new Workspace(s.staffA, p.proposalId);
    try {
      for (const w of [member, desk, staff]) await w.until((x) => x.present.length === 3, 'all present');
      expect((await s.staffA.ok(TYPING, { p: p.proposalId, t: internal })).signalTyping).toBe(true);
      await desk.until((x) => x.typing.some((t) => t.threadId === internal && t.accountId === a.staffA.id), 'desk sees internal typing');
      // Announced as typing. A presence refresh carrying the same typing list may come first, so wait for the announcement itself.
      await desk.until((x) => x.delivered.some((event) => event.kind === 'TYPING' && event.typing.some((t) => t.threadId === internal)), 'desk is told by a TYPING event');
      expect(desk.typing[0]!.displayName).toBe(a.staffA.displayName);

      // Then typing in the SHARED thread: the proposer's first typing event is that one.
      expect((await s.desk.ok(TYPING, { p: p.proposalId, t: shared })).signalTyping).toBe(true);
      await member.until((x) => x.typing.some((t) => t.threadId === shared), 'member sees shared typing');
      const memberTyping = member.delivered.filter((event) => event.kind === 'TYPING');
      expect(memberTyping).toHaveLength(1);
      expect(memberTyping[0]!.typing.map((t) => t.threadId)).toEqual([shared]);
      expect(JSON.stringify(member.events.items)).not.toContain(internal);
      await desk.until((x) => x.typing.length === 2, 'desk sees both');

      // The proposer may not signal in the INTERNAL thread: it does not exist for them.
      expect((await s.member.request(TYPING, { p: p.proposalId, t: internal })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect((await s.otherMember.request(TYPING, { p: p.proposalId, t: shared })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    } finally {
      await member.close();
      await desk.close();
      await staff.close();
    }
  });

  it('a repeated signal within 2 s is ignored; without a refresh typing expires; without an open workspace nothing is announced', async () => {
    const p = await proposal();
    const shared = await threadRow(p.proposalId, Audience.SHARED, '共有');
    expect((await s.staffA.ok(TYPING, { p: p.proposalId, t: shared })).signalTyping).toBe(false);
    // Long enough that a loaded machine still delivers the signal while it lasts.
    setPresenceTiming({ typingMs: 2500 });
    const member = new Workspace(s.member, p.proposalId);
    const staff = new Workspace(s.staffA, p.proposalId);
    try {
      for (const w of [member, staff]) await w.until((x) => x.present.length === 2, 'both present');
      expect((await s.staffA.ok(TYPING, { p: p.proposalId, t: shared })).signalTyping).toBe(true);
      expect((await s.staffA.ok(TYPING, { p: p.proposalId, t: shared })).signalTyping).toBe(false);
      await member.until((x) => x.typing.length === 1, 'typing shown');
      const typingEvents = () => member.delivered.filter((event) => event.kind === 'TYPING').length;
      expect(typingEvents()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 2700));
      // Any later event shows the expired typing gone.
      const desk = new Workspace(s.desk, p.proposalId);
      try {
        await member.until((x) => x.present.length === 3, 'desk arrived');
        expect(member.typing).toEqual([]);
      } finally {
        await desk.close();
      }
    } finally {
      setPresenceTiming({ typingMs: DEFAULT_PRESENCE_TIMING.typingMs });
      await member.close();
      await staff.close();
    }
  });
});
