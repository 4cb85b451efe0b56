import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, type Account } from '../identity/account.entity.js';
import { OrganisationKind } from '../organisations/organisation.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { fiscalYearOf } from '../proposals/proposal-reference.js';
import type { Section } from '../sections/section.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, type GraphqlResult } from '../../test/graphql-client.js';
import { CHALLENGE_FIELDS_FRAGMENT, CHALLENGE_INPUT, TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';
import { statementCount } from '../../test/statement-count.js';
import { REALISED_STATES } from './dashboard.service.js';

const DESK = `query($fy: Int) { deskDashboard(fiscalYear: $fy) {
  fiscalYear submitted realised realisationRate
  byState { state count } intakeByMonth { month count }
  daysToFirstReply { businessDays count } daysToDecision { businessDays count }
  byField { fieldCode nameJa count } byOrganisationKind { kind count }
  ageing { stage states targetBusinessDays waiting overTarget }
  sectionLoad { sectionId sectionName pendingMatches inProgress reportsDue } } }`;
const SECTION = `query { sectionDashboard { sectionId pendingMatches inProgress reportsDue overTarget } }`;
const LIST = `query($filter: ProposalFilter) { proposals(first: 1, filter: $filter) { totalCount } }`;
const INBOX = `query($states: [MatchState!], $over: Boolean, $ps: [ProposalState!], $due: Boolean) { sectionInbox(first: 1, states: $states, overTarget: $over, proposalStates: $ps, reportDue: $due) { totalCount } }`;

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const RETURN = `mutation($id: ID!, $v: Int!, $r: String!) { returnProposal(id: $id, expectedVersion: $v, reason: $r) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id version matches { id version section { id } } } }`;
const ACCEPT = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id version } }`;
const AGREE = `mutation($id: ID!, $v: Int!, $input: PartnershipDecisionInput!) { recordAgreement(proposalId: $id, expectedVersion: $v, input: $input) { id version state } }`;
const START = `mutation($id: ID!, $v: Int!) { startProposalWork(proposalId: $id, expectedVersion: $v) { id version state } }`;
const CHALLENGE = `mutation($input: ChallengeInput!) { createChallenge(input: $input) { ${CHALLENGE_FIELDS_FRAGMENT} } }`;
const PUBLISH = `mutation($id: ID!, $v: Int!) { publishChallenge(id: $id, expectedVersion: $v) { ${CHALLENGE_FIELDS_FRAGMENT} } }`;
const OPEN = `mutation($id: ID!, $v: Int!) { openChallenge(id: $id, expectedVersion: $v) { ${CHALLENGE_FIELDS_FRAGMENT} } }`;
const AGREEMENT = {
  form: 'AGREEMENT',
  wardCost: 'NONE',
  startDate: '2027-04-01',
  endDate: '2028-03-31',
  scope: '区立公園での見守り',
  wardResponsibilities: '公園の使用許可',
  proposerResponsibilities: '見守りの実施',
  indicators: [{ name: '見守り回数', target: '月4回' }],
};

type Ref = { id: string; version: number };
type Desk = {
  fiscalYear: number;
  submitted: number;
  realised: number;
  realisationRate: number | null;
  byState: Array<{ state: string; count: number }>;
  intakeByMonth: Array<{ month: string; count: number }>;
  daysToFirstReply: { businessDays: number | null; count: number };
  daysToDecision: { businessDays: number | null; count: number };
  byField: Array<{ fieldCode: string; count: number }>;
  byOrganisationKind: Array<{ kind: string; count: number }>;
  ageing: Array<{ stage: string; states: string[]; waiting: number; overTarget: number }>;
  sectionLoad: Array<{ sectionId: string; pendingMatches: number; inProgress: number; reportsDue: number }>;
};
type SectionFigures = { sectionId: string; pendingMatches: number; inProgress: number; reportsDue: number; overTarget: number };

/** This fiscal year, by the real clock: the server's "now" is not fixed here. */
const FY = fiscalYearOf(new Date());
const jst = (local: string) => new Date(`${local}+09:00`);

let server: TestServer;
let secA: Section;
let secB: Section;
let challengeId: string;
const s = {} as Record<'desk' | 'staffA' | 'staffB' | 'company' | 'npo' | 'public', HttpSession>;

const codeOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.code;
const fieldsOf = (result: GraphqlResult) => (result.errors?.[0]?.extensions?.fields ?? []).map((f) => `${f.field}:${f.code}`);

async function login(account: Account): Promise<HttpSession> {
  return new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
}

async function submitted(member: HttpSession, input: Record<string, unknown> = {}): Promise<Ref> {
  const draft = (await member.ok(CREATE, { input: { ...COMPLETE_DRAFT, ...input } })).createProposalDraft;
  return (await member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
}

async function inDialogue(member: HttpSession, input: Record<string, unknown> = {}): Promise<Ref> {
  const p = await submitted(member, input);
  const reviewed = (await s.desk.ok(REVIEW, { id: p.id, v: p.version })).acceptProposalForReview;
  return (await s.desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
}

async function matched(p: Ref, sections: Section[], lead: Section): Promise<{ proposal: Ref; matchOf: (section: Section) => Ref }> {
  const result = (await s.desk.ok(MATCH, { id: p.id, v: p.version, s: sections.map((x) => x.id), lead: lead.id })).matchProposal;
  const matchOf = (section: Section) => result.matches.find((m: { section: { id: string } }) => m.section.id === section.id);
  return { proposal: result, matchOf };
}

/** In progress with section A as the accepted lead; `periodEnded` moves the agreed end date into the past. */
async function inProgress(member: HttpSession, periodEnded: boolean): Promise<Ref> {
  const { proposal, matchOf } = await matched(await inDialogue(member), [secA], secA);
  await s.staffA.ok(ACCEPT, { id: matchOf(secA).id, v: matchOf(secA).version });
  const fresh = (await s.desk.ok(`query($id: ID!) { proposal(id: $id) { id version } }`, { id: proposal.id })).proposal;
  const agreed = (await s.desk.ok(AGREE, { id: fresh.id, v: fresh.version, input: AGREEMENT })).recordAgreement;
  const started = (await s.staffA.ok(START, { id: agreed.id, v: agreed.version })).startProposalWork;
  if (periodEnded) await server.db.orm.em.fork().getConnection().execute(`update partnership_decision set end_date = '2020-03-31' where proposal_id = ?`, [p(started)]);
  return started;
}
const p = (ref: Ref) => ref.id;

async function backdate(id: string, fields: { submittedAt?: Date; stateEnteredAt?: Date }): Promise<void> {
  await server.db.orm.em.fork().nativeUpdate(Proposal, { id }, fields);
}

async function total(session: HttpSession, filter: Record<string, unknown>): Promise<number> {
  return (await session.ok(LIST, { filter })).proposals.totalCount;
}

async function inboxTotal(session: HttpSession, vars: Record<string, unknown>): Promise<number> {
  return (await session.ok(INBOX, vars)).sectionInbox.totalCount;
}

async function desk(fy: number | null = FY): Promise<Desk> {
  return (await s.desk.ok(DESK, { fy })).deskDashboard as Desk;
}

beforeAll(async () => {
  server = await startTestServer();
  const em = server.db.orm.em.fork();
  [secA, secB] = (await createDepartmentWithSections(em, ['ダッシュボード課A', 'ダッシュボード課B'])) as [Section, Section];
  s.desk = await login(await createAccount(em, Role.DESK));
  s.staffA = await login(await createAccount(em, Role.SECTION, secA));
  s.staffB = await login(await createAccount(em, Role.SECTION, secB));
  s.company = await login(await createMember(em, await createOrganisation(em, 'ダッシュボード株式会社', OrganisationKind.COMPANY)));
  s.npo = await login(await createMember(em, await createOrganisation(em, 'ダッシュボードNPO', OrganisationKind.NPO)));
  s.public = new HttpSession(server.httpUrl);

  const created = (await s.desk.ok(CHALLENGE, { input: { ...CHALLENGE_INPUT, owningSectionId: secA.id } })).createChallenge;
  const opened = (await s.desk.ok(OPEN, { id: created.id, v: created.version })).openChallenge;
  challengeId = (await s.desk.ok(PUBLISH, { id: opened.id, v: opened.version })).publishChallenge.id;

  // Waiting for intake since long ago: over its target.
  const old = await submitted(s.company);
  await backdate(old.id, { stateEnteredAt: jst('2020-01-06T09:00:00') });
  await submitted(s.npo, { kind: 'CHALLENGE', challengeId });
  const returned = await submitted(s.company);
  await s.desk.ok(RETURN, { id: returned.id, v: returned.version, r: '対象外' });
  // Pending with A (lead) and B; then work in progress at A, one with its report due.
  await matched(await inDialogue(s.npo), [secA, secB], secA);
  await inProgress(s.company, false);
  await inProgress(s.npo, true);
  // A draft never submitted: nobody but its organisation sees it, no figure counts it.
  await s.company.ok(CREATE, { input: { ...COMPLETE_DRAFT, title: '下書き' } });
});

afterAll(async () => {
  await server?.stop();
});

describe('the desk dashboard', () => {
  it('every year figure equals the total of the intake list it links to', async () => {
    const d = await desk();
    expect(d.fiscalYear).toBe(FY);
    expect(d.submitted).toBe(6);
    expect(d.submitted).toBe(await total(s.desk, { fiscalYear: FY }));
    for (const { state, count } of d.byState) expect([state, count]).toEqual([state, await total(s.desk, { fiscalYear: FY, states: [state] })]);
    expect(d.intakeByMonth).toHaveLength(12);
    expect(d.intakeByMonth[0]!.month).toBe(`${FY}-04`);
    for (const { month, count } of d.intakeByMonth) expect([month, count]).toEqual([month, await total(s.desk, { fiscalYear: FY, submittedMonth: month })]);
    expect(d.realised).toBe(2);
    expect(d.realised).toBe(await total(s.desk, { fiscalYear: FY, states: REALISED_STATES }));
    expect(d.realisationRate).toBeCloseTo(2 / 6);
    for (const { fieldCode, count } of d.byField) expect([fieldCode, count]).toEqual([fieldCode, await total(s.desk, { fiscalYear: FY, fieldCode })]);
    expect(d.byField.map((f) => f.fieldCode)).toEqual(['disaster-crime-prevention', 'unclassified']);
    for (const { kind, count } of d.byOrganisationKind) expect([kind, count]).toEqual([kind, await total(s.desk, { fiscalYear: FY, organisationKind: kind })]);
    // Medians: replies and decisions today are 0 business days.
    expect(d.daysToFirstReply).toEqual({ businessDays: 0, count: 4 });
    expect(d.daysToDecision).toEqual({ businessDays: 0, count: 3 });
  });

  it('ageing and the load per section equal the lists they link to, now', async () => {
    const d = await desk();
    const intake = d.ageing.find((a) => a.stage === 'INTAKE')!;
    expect(intake).toMatchObject({ states: ['SUBMITTED'], waiting: 2, overTarget: 1 });
    for (const { stage, states, waiting, overTarget } of d.ageing) {
      if (stage === 'MATCH_ANSWER') {
        expect(waiting).toBe(await total(s.desk, { matchState: 'PENDING' }));
        expect(overTarget).toBe(await total(s.desk, { matchState: 'PENDING', matchOverTarget: true }));
        continue;
      }
      expect([stage, waiting]).toEqual([stage, await total(s.desk, { states })]);
      expect([stage, overTarget]).toEqual([stage, await total(s.desk, { states, overTarget: true })]);
    }
    expect(d.ageing.map((a) => a.stage)).toEqual(['INTAKE', 'REVIEW', 'DIALOGUE', 'MATCH_ANSWER', 'START_OF_WORK']);
    expect(d.ageing.find((a) => a.stage === 'MATCH_ANSWER')).toMatchObject({ waiting: 1, overTarget: 0 });
    const a = d.sectionLoad.find((x) => x.sectionId === secA.id)!;
    expect(a).toMatchObject({ pendingMatches: 1, inProgress: 2, reportsDue: 1 });
    expect(d.sectionLoad.find((x) => x.sectionId === secB.id)).toMatchObject({ pendingMatches: 1, inProgress: 0, reportsDue: 0 });
    for (const load of d.sectionLoad) {
      expect(load.pendingMatches).toBe(await total(s.desk, { sectionId: load.sectionId, matchState: 'PENDING' }));
      expect(load.inProgress).toBe(await total(s.desk, { sectionId: load.sectionId, matchState: 'ACCEPTED', states: ['IN_PROGRESS'] }));
      expect(load.reportsDue).toBe(await total(s.desk, { sectionId: load.sectionId, matchState: 'ACCEPTED', leadSection: true, reportDue: true }));
    }
  });

  it('31 March 23:59 JST belongs to the year before; 1 April 00:00 JST to the year it starts', async () => {
    const march = await submitted(s.company, { title: '3月31日' });
    const april = await submitted(s.company, { title: '4月1日' });
    await backdate(march.id, { submittedAt: jst(`${FY}-03-31T23:59:59.999`) });
    await backdate(april.id, { submittedAt: jst(`${FY}-04-01T00:00:00`) });
    const before = await desk(FY - 1);
    expect(before.submitted).toBe(1);
    expect(before.intakeByMonth.find((m) => m.month === `${FY}-03`)!.count).toBe(1);
    expect(before.submitted).toBe(await total(s.desk, { fiscalYear: FY - 1 }));
    const current = await desk(FY);
    expect(current.intakeByMonth[0]).toEqual({ month: `${FY}-04`, count: await total(s.desk, { fiscalYear: FY, submittedMonth: `${FY}-04` }) });
    expect(current.intakeByMonth[0]!.count).toBeGreaterThanOrEqual(1);
    expect(current.submitted).toBe(await total(s.desk, { fiscalYear: FY }));
  });

  it('refuses a fiscal year out of range, in the dashboard and in the list filter', async () => {
    for (const fy of [1999, FY + 2]) {
      const result = await s.desk.request(DESK, { fy });
      expect([fy, codeOf(result), fieldsOf(result)]).toEqual([fy, 'BAD_USER_INPUT', ['fiscalYear:OUT_OF_RANGE']]);
      expect(fieldsOf(await s.desk.request(LIST, { filter: { fiscalYear: fy } }))).toEqual(['fiscalYear:OUT_OF_RANGE']);
    }
    expect((await desk(2000)).submitted).toBe(0);
    expect((await desk(FY + 1)).submitted).toBe(0);
    expect(fieldsOf(await s.desk.request(LIST, { filter: { submittedMonth: '2026-13' } }))).toEqual(['submittedMonth:INVALID']);
  });

  it('is the desk’s: a proposer or section staff is FORBIDDEN, the public UNAUTHENTICATED', async () => {
    expect(codeOf(await s.company.request(DESK))).toBe('FORBIDDEN');
    expect(codeOf(await s.staffA.request(DESK))).toBe('FORBIDDEN');
    expect(codeOf(await s.public.request(DESK))).toBe('UNAUTHENTICATED');
    // The filters behind the figures are the ward's too.
    expect(codeOf(await s.company.request(LIST, { filter: { reportDue: true } }))).toBe('FORBIDDEN');
    expect(codeOf(await s.company.request(LIST, { filter: { sectionId: secA.id } }))).toBe('FORBIDDEN');
  });

  it('costs the same number of statements however many proposals there are', async () => {
    const before = await statementCount(() => desk());
    await inDialogue(s.npo, { title: '追加' });
    await submitted(s.company, { kind: 'CHALLENGE', challengeId, title: '追加2' });
    const after = await statementCount(() => desk());
    expect(after.result.submitted).toBeGreaterThan(before.result.submitted);
    expect(after.n).toBe(before.n);
    expect(after.n).toBeLessThanOrEqual(8);
  });
});

describe('the section dashboard', () => {
  it('every figure equals the total of the inbox it links to, for each section', async () => {
    const a = (await s.staffA.ok(SECTION)).sectionDashboard as SectionFigures;
    expect(a).toMatchObject({ sectionId: secA.id, pendingMatches: 1, inProgress: 2, reportsDue: 1 });
    for (const [session, figures] of [
      [s.staffA, a],
      [s.staffB, (await s.staffB.ok(SECTION)).sectionDashboard as SectionFigures],
    ] as const) {
      expect(figures.pendingMatches).toBe(await inboxTotal(session, { states: ['PENDING'] }));
      expect(figures.inProgress).toBe(await inboxTotal(session, { states: ['ACCEPTED'], ps: ['IN_PROGRESS'] }));
      expect(figures.reportsDue).toBe(await inboxTotal(session, { states: ['ACCEPTED'], due: true }));
      expect(figures.overTarget).toBe(await inboxTotal(session, { states: ['PENDING', 'ACCEPTED', 'DECLINED', 'WITHDRAWN'], over: true }));
    }
  });

  it('counts what is over target as the inbox flags it', async () => {
    const fresh = await inDialogue(s.company, { title: '古いマッチ' });
    const { matchOf } = await matched(fresh, [secB], secB);
    await server.db.orm.em.fork().getConnection().execute(`update match set created_at = '2020-01-06T00:00:00Z' where id = ?`, [matchOf(secB).id]);
    const b = (await s.staffB.ok(SECTION)).sectionDashboard as SectionFigures;
    expect(b.overTarget).toBe(1);
    expect(b.overTarget).toBe(await inboxTotal(s.staffB, { states: ['PENDING', 'ACCEPTED', 'DECLINED', 'WITHDRAWN'], over: true }));
    const answer = (await desk()).ageing.find((a) => a.stage === 'MATCH_ANSWER')!;
    expect(answer.overTarget).toBe(1);
    expect(answer.overTarget).toBe(await total(s.desk, { matchState: 'PENDING', matchOverTarget: true }));
  });

  it('is section staff’s: the desk and a proposer are FORBIDDEN, the public UNAUTHENTICATED', async () => {
    expect(codeOf(await s.desk.request(SECTION))).toBe('FORBIDDEN');
    expect(codeOf(await s.npo.request(SECTION))).toBe('FORBIDDEN');
    expect(codeOf(await s.public.request(SECTION))).toBe('UNAUTHENTICATED');
  });

  it('costs the same number of statements however many matches there are', async () => {
    const before = await statementCount(() => s.staffA.ok(SECTION));
    await matched(await inDialogue(s.npo, { title: '追加マッチ' }), [secA], secA);
    const after = await statementCount(() => s.staffA.ok(SECTION));
    expect(after.n).toBe(before.n);
    expect(after.n).toBeLessThanOrEqual(4);
  });
});
