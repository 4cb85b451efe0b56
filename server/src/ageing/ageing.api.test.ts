import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { Role, type Account } from '../identity/account.entity.js';
import { Match } from '../matches/match.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import type { Section } from '../sections/section.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, subscribe, type GraphqlResult } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';
import { fixAgeingClock } from './clock.js';

const TARGETS = `query { stageTargets { stage businessDays version updatedAt } }`;
const SET = `mutation($stage: AgeingStage!, $days: Int!, $v: Int!) { setStageTarget(stage: $stage, businessDays: $days, expectedVersion: $v) { stage businessDays version } }`;
const AGEING = `ageing { stage since businessDays targetBusinessDays overTarget }`;
const LIST = `query($over: Boolean) { proposals(first: 100, filter: { overTarget: $over }) { totalCount edges { node { id state ${AGEING} } } } }`;
const GET = `query($id: ID!) { proposal(id: $id) { id ${AGEING} } }`;
const INBOX = `query($over: Boolean, $first: Int, $states: [MatchState!]) { sectionInbox(overTarget: $over, first: $first, states: $states) { totalCount pageInfo { hasNextPage } edges { node { id state section { id } proposal { id } ${AGEING} } } } }`;
const EVENTS = `subscription { stageTargetEvents { cursor target { stage businessDays version } } }`;

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;
const ACCEPT = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id version } }`;
const AGREE = `mutation($id: ID!, $v: Int!, $input: PartnershipDecisionInput!) { recordAgreement(proposalId: $id, expectedVersion: $v, input: $input) { id version state } }`;
const NO_COST_AGREEMENT = {
  form: 'AGREEMENT',
  wardCost: 'NONE',
  startDate: '2027-04-01',
  endDate: '2028-03-31',
  scope: '区立公園での見守り',
  wardResponsibilities: '公園の使用許可',
  proposerResponsibilities: '見守りの実施',
  indicators: [{ name: '見守り回数', target: '月4回' }],
};
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id version matches { id version section { id } } } }`;

type AgeingRow = { stage: string; since: string; businessDays: number; targetBusinessDays: number; overTarget: boolean } | null;
type ListResult = { proposals: { totalCount: number; edges: Array<{ node: { id: string; state: string; ageing: AgeingRow } }> } };
type InboxResult = { sectionInbox: { totalCount: number; edges: Array<{ node: { id: string; section: { id: string }; proposal: { id: string } | null; ageing: AgeingRow } }> } };

/** Tuesday 24 November 2026, 10:00 in Tokyo; Monday 23 November (勤労感謝の日) was a holiday. */
const NOW = new Date('2026-11-24T10:00:00+09:00');
const jst = (local: string) => new Date(`${local}+09:00`);

let server: TestServer;
let restoreClock: () => void;
let secA: Section;
let secB: Section;
const s = {} as Record<'desk' | 'desk2' | 'staffA' | 'staffB' | 'member', HttpSession>;

const codeOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.code;
const reasonOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.reason;
const fieldsOf = (result: GraphqlResult) => (result.errors?.[0]?.extensions?.fields ?? []).map((f) => `${f.field}:${f.code}`);

async function login(account: Account): Promise<HttpSession> {
  return new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
}

async function submitted(title: string): Promise<{ id: string; version: number }> {
  const draft = (await s.member.ok(CREATE, { input: { ...COMPLETE_DRAFT, title } })).createProposalDraft;
  return (await s.member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
}

async function inDialogue(title: string): Promise<{ id: string; version: number }> {
  const p = await submitted(title);
  const reviewed = (await s.desk.ok(REVIEW, { id: p.id, v: p.version })).acceptProposalForReview;
  return (await s.desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
}

/** Backdates when a proposal entered its current state, as if it had waited since then. */
async function enteredAt(proposalId: string, at: Date): Promise<void> {
  await server.db.orm.em.fork().nativeUpdate(Proposal, { id: proposalId }, { stateEnteredAt: at });
}

async function targets(session: HttpSession): Promise<Array<{ stage: string; businessDays: number; version: number }>> {
  return (await session.ok<{ stageTargets: Array<{ stage: string; businessDays: number; version: number }> }>(TARGETS)).stageTargets;
}

async function setTarget(stage: string, days: number): Promise<void> {
  const current = (await targets(s.desk)).find((t) => t.stage === stage)!;
  await s.desk.ok(SET, { stage, days, v: current.version });
}

beforeAll(async () => {
  restoreClock = fixAgeingClock(NOW);
  server = await startTestServer();
  const em = server.db.orm.em.fork();
  [secA] = (await createDepartmentWithSections(em, ['滞留テスト課A'])) as [Section];
  [secB] = (await createDepartmentWithSections(em, ['滞留テスト課B'])) as [Section];
  const organisation = await createOrganisation(em, '滞留テスト株式会社');
  s.desk = await login(await createAccount(em, Role.DESK));
  s.desk2 = await login(await createAccount(em, Role.DESK));
  s.staffA = await login(await createAccount(em, Role.SECTION, secA));
  s.staffB = await login(await createAccount(em, Role.SECTION, secB));
  s.member = await login(await createMember(em, organisation));
});

afterAll(async () => {
  restoreClock?.();
  await server?.stop();
});

describe('stage targets', () => {
  it('the desk and section staff read the starting targets in the order a proposal meets them; proposers and the public cannot', async () => {
    const expected = [
      { stage: 'INTAKE', businessDays: 5 },
      { stage: 'REVIEW', businessDays: 10 },
      { stage: 'DIALOGUE', businessDays: 40 },
      { stage: 'MATCH_ANSWER', businessDays: 5 },
      { stage: 'START_OF_WORK', businessDays: 20 },
    ];
    expect((await targets(s.desk)).map(({ stage, businessDays }) => ({ stage, businessDays }))).toEqual(expected);
    expect((await targets(s.staffA)).map(({ stage, businessDays }) => ({ stage, businessDays }))).toEqual(expected);
    expect(codeOf(await s.member.request(TARGETS))).toBe('FORBIDDEN');
    expect(codeOf(await new HttpSession(server.httpUrl).request(TARGETS))).toBe('UNAUTHENTICATED');
  });

  it('the desk changes a target; others watching are told live; 1..365 only; a stale version is a CONFLICT; sections cannot', async () => {
    const client = s.desk2.websocket(server.wsUrl);
    const sectionClient = s.staffA.websocket(server.wsUrl);
    const memberClient = s.member.websocket(server.wsUrl);
    const watching = subscribe(client, EVENTS);
    const sectionWatching = subscribe(sectionClient, EVENTS);
    const memberWatching = subscribe(memberClient, EVENTS);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const dialogue = (await targets(s.desk)).find((t) => t.stage === 'DIALOGUE')!;
      const changed = (await s.desk.ok(SET, { stage: 'DIALOGUE', days: 30, v: dialogue.version })).setStageTarget;
      expect(changed).toEqual({ stage: 'DIALOGUE', businessDays: 30, version: dialogue.version + 1 });
      const [event] = await watching.collected.until((items) => items.length >= 1);
      expect(event!.data?.stageTargetEvents.target).toEqual({ stage: 'DIALOGUE', businessDays: 30, version: dialogue.version + 1 });
      await sectionWatching.collected.until((items) => items.length >= 1);
      await memberWatching.collected.until((items) => items.length >= 1 || memberWatching.collected.errors.length > 0 || memberWatching.collected.completed);
      expect(memberWatching.collected.items[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(memberWatching.collected.items.some((item) => item.data?.stageTargetEvents)).toBe(false);

      const stale = await s.desk2.request(SET, { stage: 'DIALOGUE', days: 20, v: dialogue.version });
      expect([codeOf(stale), reasonOf(stale)]).toEqual(['CONFLICT', 'STALE_VERSION']);
      for (const days of [0, 366]) expect(fieldsOf(await s.desk.request(SET, { stage: 'DIALOGUE', days, v: changed.version }))).toEqual(['businessDays:INVALID']);
      expect(codeOf(await s.staffA.request(SET, { stage: 'DIALOGUE', days: 20, v: changed.version }))).toBe('FORBIDDEN');
      expect((await targets(s.staffA)).find((t) => t.stage === 'DIALOGUE')).toMatchObject({ businessDays: 30, version: changed.version });
      await setTarget('DIALOGUE', 40);
    } finally {
      watching.stop();
      sectionWatching.stop();
      memberWatching.stop();
      await Promise.all([client.dispose(), sectionClient.dispose(), memberClient.dispose()]);
    }
  });
});

describe('ageing in the intake queue', () => {
  let overIntake: string;
  let underIntake: string;
  let overReview: string;

  beforeAll(async () => {
    // INTAKE target 5: entered Thursday 11/12 → 11/13, 16–20 elapsed = 6 (over); entered Monday 11/16 → 11/17–20 = 4.
    overIntake = (await submitted('受付から6営業日')).id;
    await enteredAt(overIntake, jst('2026-11-12T18:00:00'));
    underIntake = (await submitted('受付から4営業日')).id;
    await enteredAt(underIntake, jst('2026-11-16T09:00:00'));
    // REVIEW target 10: entered Monday 11/2 → 11/3 is a holiday; 11/4–6, 9–13, 16–20 = 13 (over).
    const review = await submitted('確認中13営業日');
    overReview = (await s.desk.ok(REVIEW, { id: review.id, v: review.version })).acceptProposalForReview.id;
    await enteredAt(overReview, jst('2026-11-02T10:00:00'));
  });

  it('each row carries how long its stage has waited in business days against the target', async () => {
    const rows = new Map((await s.desk.ok<ListResult>(LIST)).proposals.edges.map((e) => [e.node.id, e.node.ageing]));
    expect(rows.get(overIntake)).toEqual({ stage: 'INTAKE', since: jst('2026-11-12T18:00:00').toISOString(), businessDays: 6, targetBusinessDays: 5, overTarget: true });
    expect(rows.get(underIntake)).toMatchObject({ stage: 'INTAKE', businessDays: 4, targetBusinessDays: 5, overTarget: false });
    expect(rows.get(overReview)).toMatchObject({ stage: 'REVIEW', businessDays: 13, targetBusinessDays: 10, overTarget: true });
  });

  it('"over target only" is decided in the query: counts and rows agree with the flags', async () => {
    const all = (await s.desk.ok<ListResult>(LIST)).proposals;
    const over = (await s.desk.ok<ListResult>(LIST, { over: true })).proposals;
    const notOver = (await s.desk.ok<ListResult>(LIST, { over: false })).proposals;
    expect(over.edges.map((e) => e.node.id).sort()).toEqual([overIntake, overReview].sort());
    expect(over.totalCount).toBe(2);
    expect(over.edges.every((e) => e.node.ageing?.overTarget)).toBe(true);
    expect(notOver.edges.every((e) => !e.node.ageing?.overTarget)).toBe(true);
    expect(notOver.edges.map((e) => e.node.id)).toContain(underIntake);
    expect(over.totalCount + notOver.totalCount).toBe(all.totalCount);
    expect(all.edges.filter((e) => e.node.ageing?.overTarget)).toHaveLength(over.totalCount);
  });

  it('changing a target changes the flags and the filter at once', async () => {
    await setTarget('INTAKE', 6);
    try {
      const over = (await s.desk.ok<ListResult>(LIST, { over: true })).proposals;
      expect(over.edges.map((e) => e.node.id)).toEqual([overReview]);
      const row = (await s.desk.ok<{ proposal: { ageing: AgeingRow } }>(GET, { id: overIntake })).proposal.ageing;
      expect(row).toMatchObject({ businessDays: 6, targetBusinessDays: 6, overTarget: false });
    } finally {
      await setTarget('INTAKE', 5);
    }
    expect((await s.desk.ok<ListResult>(LIST, { over: true })).proposals.totalCount).toBe(2);
  });

  it('a proposer sees their own proposals but not the ward’s ageing, and cannot filter by it', async () => {
    const own = (await s.member.ok<ListResult>(LIST)).proposals;
    expect(own.edges.map((e) => e.node.id)).toContain(overIntake);
    expect(own.edges.every((e) => e.node.ageing === null)).toBe(true);
    expect(codeOf(await s.member.request(LIST, { over: true }))).toBe('FORBIDDEN');
    expect(codeOf(await s.member.request(LIST, { over: false }))).toBe('FORBIDDEN');
  });
});

describe('ageing in the section inbox', () => {
  let overMatchA: string;
  let freshMatchA: string;
  let overMatchB: string;

  beforeAll(async () => {
    const first = await inDialogue('所管課回答待ち（超過）');
    const matched = (await s.desk.ok(MATCH, { id: first.id, v: first.version, s: [secA.id, secB.id], lead: secA.id })).matchProposal;
    overMatchA = matched.matches.find((m: { section: { id: string } }) => m.section.id === secA.id).id;
    overMatchB = matched.matches.find((m: { section: { id: string } }) => m.section.id === secB.id).id;
    const second = await inDialogue('所管課回答待ち（新規）');
    freshMatchA = (await s.desk.ok(MATCH, { id: second.id, v: second.version, s: [secA.id], lead: secA.id })).matchProposal.matches[0].id;
    const em = server.db.orm.em.fork();
    // MATCH_ANSWER target 5: made Thursday 11/12 → 6 elapsed (over); made Friday 11/20 → 0 (weekend, then the 11/23 holiday).
    await em.nativeUpdate(Match, { id: { $in: [overMatchA, overMatchB] } }, { createdAt: jst('2026-11-12T15:00:00') });
    await em.nativeUpdate(Match, { id: freshMatchA }, { createdAt: jst('2026-11-20T15:00:00') });
  });

  it('rows carry the wait for the section’s answer; over target only is filtered in the query; each section sees only its own', async () => {
    const all = (await s.staffA.ok<InboxResult>(INBOX)).sectionInbox;
    expect(all.edges.map((e) => e.node.id)).toEqual([overMatchA, freshMatchA]);
    expect(all.edges[0]!.node.ageing).toMatchObject({ stage: 'MATCH_ANSWER', businessDays: 6, targetBusinessDays: 5, overTarget: true });
    expect(all.edges[1]!.node.ageing).toMatchObject({ stage: 'MATCH_ANSWER', businessDays: 0, overTarget: false });

    const over = (await s.staffA.ok<InboxResult>(INBOX, { over: true })).sectionInbox;
    expect(over.edges.map((e) => e.node.id)).toEqual([overMatchA]);
    expect(over.totalCount).toBe(1);
    const notOver = (await s.staffA.ok<InboxResult>(INBOX, { over: false })).sectionInbox;
    expect(notOver.edges.map((e) => e.node.id)).toEqual([freshMatchA]);
    expect(notOver.totalCount).toBe(1);

    const overB = (await s.staffB.ok<InboxResult>(INBOX, { over: true })).sectionInbox;
    expect(overB.edges.map((e) => e.node.id)).toEqual([overMatchB]);
    expect(overB.edges.every((e) => e.node.section.id === secB.id)).toBe(true);
    expect((await s.staffB.ok<InboxResult>(INBOX, { over: false })).sectionInbox.totalCount).toBe(0);
    expect(codeOf(await s.desk.request(INBOX, { over: true }))).toBe('FORBIDDEN');
  });

  it('pages of "over target only" stay within the filter', async () => {
    const page = (await s.staffA.ok<InboxResult>(INBOX, { over: true, first: 1 })).sectionInbox;
    expect(page.edges.map((e) => e.node.id)).toEqual([overMatchA]);
    expect(page.totalCount).toBe(1);
  });

  it('raising the target clears the flag and empties the filter', async () => {
    await setTarget('MATCH_ANSWER', 6);
    try {
      const over = (await s.staffA.ok<InboxResult>(INBOX, { over: true })).sectionInbox;
      expect(over.totalCount).toBe(0);
      const all = (await s.staffA.ok<InboxResult>(INBOX)).sectionInbox;
      expect(all.edges[0]!.node.ageing).toMatchObject({ businessDays: 6, targetBusinessDays: 6, overTarget: false });
    } finally {
      await setTarget('MATCH_ANSWER', 5);
    }
  });

  it('the lead section’s accepted match of an AGREED proposal waits for the start of work; a supporting section’s does not', async () => {
    const p = await inDialogue('事業開始待ち');
    const matched = (await s.desk.ok(MATCH, { id: p.id, v: p.version, s: [secA.id, secB.id], lead: secA.id })).matchProposal;
    const leadMatch = matched.matches.find((m: { section: { id: string } }) => m.section.id === secA.id);
    const supportMatch = matched.matches.find((m: { section: { id: string } }) => m.section.id === secB.id);
    await s.staffA.ok(ACCEPT, { id: leadMatch.id, v: leadMatch.version });
    await s.staffB.ok(ACCEPT, { id: supportMatch.id, v: supportMatch.version });
    const current = (await s.desk.ok<{ proposal: { id: string; version: number } }>(`query($id: ID!) { proposal(id: $id) { id version } }`, { id: p.id })).proposal;
    const agreedProposal = (await s.desk.ok(AGREE, { id: p.id, v: current.version, input: NO_COST_AGREEMENT })).recordAgreement;
    expect(agreedProposal.state).toBe('AGREED');
    // START_OF_WORK target 20: agreed Thursday 10/15 → 10/16 … 11/20 less 11/3 is 25 business days.
    await enteredAt(p.id, jst('2026-10-15T11:00:00'));

    const accepted = (await s.staffA.ok<InboxResult>(INBOX, { states: ['ACCEPTED'] })).sectionInbox;
    expect(accepted.edges.find((e) => e.node.id === leadMatch.id)!.node.ageing).toMatchObject({ stage: 'START_OF_WORK', businessDays: 25, targetBusinessDays: 20, overTarget: true });
    const overAll = (await s.staffA.ok<InboxResult>(INBOX, { states: ['PENDING', 'ACCEPTED'], over: true })).sectionInbox;
    expect(overAll.edges.map((e) => e.node.id)).toEqual([overMatchA, leadMatch.id]);
    expect(overAll.totalCount).toBe(2);
    const notOverAll = (await s.staffA.ok<InboxResult>(INBOX, { states: ['PENDING', 'ACCEPTED'], over: false })).sectionInbox;
    expect(notOverAll.edges.map((e) => e.node.id)).toEqual([freshMatchA]);

    const supporting = (await s.staffB.ok<InboxResult>(INBOX, { states: ['ACCEPTED'] })).sectionInbox;
    expect(supporting.edges.find((e) => e.node.id === supportMatch.id)!.node.ageing).toBeNull();
    expect((await s.staffB.ok<InboxResult>(INBOX, { states: ['ACCEPTED'], over: true })).sectionInbox.totalCount).toBe(0);

    await setTarget('START_OF_WORK', 25);
    try {
      expect((await s.staffA.ok<InboxResult>(INBOX, { states: ['ACCEPTED'], over: true })).sectionInbox.totalCount).toBe(0);
    } finally {
      await setTarget('START_OF_WORK', 20);
    }
  });

  it('a proposal in dialogue shows its DIALOGUE wait to the desk and to its matched sections', async () => {
    const matchedProposal = (await s.staffA.ok<InboxResult>(INBOX)).sectionInbox.edges[0]!.node.proposal!.id;
    await enteredAt(matchedProposal, jst('2026-11-16T09:00:00'));
    const forDesk = (await s.desk.ok<{ proposal: { ageing: AgeingRow } }>(GET, { id: matchedProposal })).proposal.ageing;
    const forSection = (await s.staffA.ok<{ proposal: { ageing: AgeingRow } }>(GET, { id: matchedProposal })).proposal.ageing;
    expect(forDesk).toMatchObject({ stage: 'DIALOGUE', businessDays: 4, targetBusinessDays: 40, overTarget: false });
    expect(forSection).toEqual(forDesk);
  });
});

describe('batching', () => {
  it('a page of proposals and of the inbox reads the targets once, whatever its size, with the filter on or off', async () => {
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    const targetReads = async (session: HttpSession, query: string, variables: Record<string, unknown>) => {
      spy.mockClear();
      await session.ok(query, variables);
      return spy.mock.calls.filter((call) => {
        const text = typeof call[0] === 'string' ? call[0] : ((call[0] as { text?: string })?.text ?? '');
        return /from "stage_target"/.test(text);
      }).length;
    };
    try {
      expect((await s.desk.ok<ListResult>(LIST)).proposals.edges.filter((e) => e.node.ageing).length).toBeGreaterThan(3);
      expect(await targetReads(s.desk, LIST, {})).toBe(1);
      expect(await targetReads(s.desk, LIST, { over: true })).toBe(1);
      expect(await targetReads(s.staffA, INBOX, {})).toBe(1);
      expect(await targetReads(s.staffA, INBOX, { over: false })).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });
});
