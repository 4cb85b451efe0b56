import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEntry } from '../audit/audit-entry.entity.js';
import { Challenge } from '../challenges/challenge.entity.js';
import { Account, Role } from '../identity/account.entity.js';
import { Match, MatchState } from '../matches/match.entity.js';
import { OrganisationKind, type Organisation } from '../organisations/organisation.entity.js';
import { DecisionWardCost, PartnershipDecision, PartnershipForm } from '../partnerships/partnership-decision.entity.js';
import { Proposal, ProposalKind, ProposalState, WardCost } from '../proposals/proposal.entity.js';
import { ProtectedItemKind, ProtectionRequest, ProtectionState } from '../protection/protection-request.entity.js';
import { CaseState, PublicCase } from '../publication/public-case.entity.js';
import { ImplementationReport, ReportState } from '../reports/implementation-report.entity.js';
import type { Section } from '../sections/section.entity.js';
import { parseCsv } from '../../test/csv-parse.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { HttpSession } from '../../test/graphql-client.js';
import { COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';
import { statementCount } from '../../test/statement-count.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { EXPORT_COLUMNS } from './proposal-export.columns.js';
import { PROTECTED_MARKER } from './proposal-export.csv.js';

/** The protected text: it leaves only when the desk includes protected content. */
const SECRET = '独自開発の発電キット（特許出願中）秘密XYZ';
const ALL_COLUMNS = EXPORT_COLUMNS.map((column) => column.id);

let server: TestServer;
let baseUrl: string;
let em: EntityManager;
let desk: Account;
let section: Section;
let otherSection: Section;
let company: Organisation;
let npo: Organisation;
let challenge: Challenge;
const s = {} as Record<'desk' | 'proposer' | 'section' | 'anonymous', HttpSession>;
let counter = 0;

async function seedProposal(organisation: Organisation, overrides: Partial<Proposal> = {}): Promise<Proposal> {
  counter += 1;
  const proposal = new Proposal(organisation, desk.id);
  Object.assign(proposal, { ...COMPLETE_DRAFT, kind: ProposalKind.FREE, wardCost: WardCost.NONE, state: ProposalState.SUBMITTED, referenceNumber: `2026-${String(counter).padStart(4, '0')}`, submittedAt: new Date(Date.UTC(2026, 3, 1) + counter * 60_000) }, overrides);
  em.persist(proposal);
  await em.flush();
  return proposal;
}

/** A proposal with every related row a column reads: matches, a protection request, a decision, a report, a case page. */
async function seedFull(organisation: Organisation, overrides: Partial<Proposal> = {}): Promise<Proposal> {
  const proposal = await seedProposal(organisation, { state: ProposalState.REPORTED, deskOwner: desk, ...overrides });
  const lead = Object.assign(new Match(proposal, section, desk.id), { state: MatchState.ACCEPTED, lead: true });
  const other = Object.assign(new Match(proposal, otherSection, desk.id), { state: MatchState.DECLINED });
  const protection = Object.assign(new ProtectionRequest(proposal, ProtectedItemKind.FIELD, desk.id), { fieldName: 'content', reason: '競争上の地位', state: ProtectionState.AGREED });
  const decision = Object.assign(new PartnershipDecision(proposal, desk.id), {
    form: PartnershipForm.AGREEMENT,
    wardCost: DecisionWardCost.NONE,
    startDate: '2026-05-01',
    endDate: '2027-03-31',
    scope: '区内の公園',
    wardResponsibilities: '広報',
    proposerResponsibilities: '講師',
    indicators: [],
  });
  const report = Object.assign(new ImplementationReport(proposal, desk.id), { state: ReportState.ACCEPTED, peopleReached: 120, partnerContributionYen: 300000 });
  const page = Object.assign(new PublicCase(proposal, desk.id, proposal.title, 2026), { state: CaseState.PUBLISHED });
  em.persist([lead, other, protection, decision, report, page]);
  await em.flush();
  return proposal;
}

function exportUrl(params: Record<string, string>): string {
  return `${baseUrl}/api/desk/proposals/export.csv?${new URLSearchParams(params).toString()}`;
}

async function download(who: keyof typeof s, params: Record<string, string>): Promise<Response> {
  const cookie = s[who].cookie;
  return fetch(exportUrl(params), { headers: cookie ? { cookie } : {} });
}

/** The body as bytes: Response.text() would drop the BOM this checks for. */
async function rowsOf(response: Response): Promise<string[][]> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parseCsv(new TextDecoder('utf-8').decode(bytes.slice(3)));
}

const auditCount = () => server.db.orm.em.fork().count(AuditEntry, { action: 'PROPOSALS_EXPORTED' });
const latestAudit = async () => (await server.db.orm.em.fork().find(AuditEntry, { action: 'PROPOSALS_EXPORTED' }, { orderBy: { id: 'desc' }, limit: 1 }))[0]!;

let full: Proposal;
let submitted: Proposal;

beforeAll(async () => {
  server = await startTestServer();
  baseUrl = server.httpUrl.replace(/\/graphql$/, '');
  em = server.db.orm.em.fork();
  [section, otherSection] = await createDepartmentWithSections(em, ['防災課', '公園課']) as [Section, Section];
  desk = await createAccount(em, Role.DESK);
  const sectionStaff = await createAccount(em, Role.SECTION, section);
  company = await createOrganisation(em, 'いたばし未来株式会社', OrganisationKind.COMPANY);
  npo = await createOrganisation(em, 'NPO法人 板橋みどり', OrganisationKind.NPO);
  const member = await createMember(em, company);
  challenge = new Challenge({ title: '公園の見守り', description: '説明', background: '', owningSection: section, fieldCodes: ['disaster-crime-prevention'], periodStart: null, periodEnd: null, contact: '03' }, desk.id);
  em.persist(challenge);
  await em.flush();

  full = await seedFull(company, { title: '公園での防災ワークショップ', content: SECRET });
  submitted = await seedProposal(npo, { kind: ProposalKind.CHALLENGE, challenge, title: '見守りボランティア' });
  await seedProposal(company, { state: ProposalState.UNDER_REVIEW, title: '=HYPERLINK("http://evil")', wardIssue: '+1+1', expectedEffects: '-2', askOfWard: '@SUM(A1)' });
  // Never submitted: the desk does not see it, so it is not exported.
  await seedProposal(company, { state: ProposalState.DRAFT, submittedAt: null, referenceNumber: null, title: '下書きの提案' });

  for (const key of ['desk', 'proposer', 'section', 'anonymous'] as const) s[key] = new HttpSession(server.httpUrl);
  await s.desk.login(desk.email, TEST_PASSWORD);
  await s.proposer.login(member.email, TEST_PASSWORD);
  await s.section.login(sectionStaff.email, TEST_PASSWORD);
});

afterAll(async () => {
  await server?.stop();
});

describe('GET /api/desk/proposals/export.csv', () => {
  it('gives the desk a BOM-prefixed CSV of the chosen columns, in order, Japanese intact, as a download not kept in caches', async () => {
    const response = await download('desk', { columns: 'title,referenceNumber,organisationName,organisationKind,state,leadSection,matchedSections,agreementForm,reportState,peopleReached,partnerContributionYen,caseState,deskOwner' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="proposals-\d{8}\.csv"; filename\*=UTF-8''proposals-\d{8}\.csv$/);
    const rows = await rowsOf(response);
    expect(rows[0]).toEqual(['件名', '受付番号', '団体名', '団体の種類', '状態', '主担当課', 'マッチングした課（状態）', '連携の形態', '実施報告書の状態', '参加者数・対象者数', '提案者の貢献額（円）', '事例の公開状態', 'デスク担当者']);
    expect(rows).toHaveLength(4);
    expect(rows[1]).toEqual(['公園での防災ワークショップ', full.referenceNumber, 'いたばし未来株式会社', '株式会社などの企業', '実施報告済み', '防災課', '防災課（受諾・主担当）、公園課（辞退）', '協定', '受理済み', '120', '300000', '公開中', desk.displayName]);
    expect(rows[2]!.slice(0, 4)).toEqual(['見守りボランティア', submitted.referenceNumber, 'NPO法人 板橋みどり', 'NPO法人']);
    expect(rows.flat()).not.toContain('下書きの提案');
  });

  it('leaves protected content out unless the desk includes it, and records which', async () => {
    const without = await download('desk', { columns: 'referenceNumber,content,wardIssue' });
    const withoutText = await without.clone().text();
    expect(withoutText).not.toContain(SECRET);
    expect((await rowsOf(without))[1]).toEqual([full.referenceNumber, PROTECTED_MARKER, COMPLETE_DRAFT.wardIssue]);
    expect((await latestAudit()).details).toMatchObject({ includeProtected: false, protectedCells: 1 });

    const included = await download('desk', { columns: 'referenceNumber,content', includeProtected: 'true' });
    expect((await rowsOf(included))[1]).toEqual([full.referenceNumber, SECRET]);
    expect((await latestAudit()).details).toMatchObject({ includeProtected: true, protectedCells: 1 });
  });

  it('makes formulas inert (=, +, - and @ at the start)', async () => {
    const rows = await rowsOf(await download('desk', { columns: 'title,wardIssue,expectedEffects,askOfWard', states: 'UNDER_REVIEW' }));
    expect(rows[1]).toEqual([`'=HYPERLINK("http://evil")`, "'+1+1", "'-2", "'@SUM(A1)"]);
  });

  it('writes exactly one audit row per export: the actor, columns, filter, flag and row count — never the content', async () => {
    const before = await auditCount();
    await download('desk', { columns: 'title,content', states: 'REPORTED,SUBMITTED', kind: 'FREE' });
    expect(await auditCount()).toBe(before + 1);
    const entry = await latestAudit();
    expect(entry.actorId).toBe(desk.id);
    expect(entry.subjectKind).toBe('proposals');
    expect(entry.details).toEqual({ columns: ['title', 'content'], filter: { states: ['REPORTED', 'SUBMITTED'], kind: 'FREE' }, order: 'OLDEST_SUBMITTED_FIRST', includeProtected: false, rowCount: 1, protectedCells: 1 });
    expect(JSON.stringify(entry)).not.toContain(SECRET);
    expect(JSON.stringify(entry)).not.toContain('公園での防災ワークショップ');
  });

  it('looks like a missing route to everyone but the desk, and records nothing', async () => {
    const before = await auditCount();
    const missing = await fetch(`${baseUrl}/api/desk/no-such-route`, { headers: { cookie: s.desk.cookie! } });
    for (const who of ['proposer', 'section', 'anonymous'] as const) {
      for (const params of [{ columns: 'title,content', includeProtected: 'true' }, { columns: 'nope' }, {}] as Array<Record<string, string>>) {
        const response = await download(who, params);
        expect(response.status, who).toBe(404);
        expect(await response.text()).toBe((await missing.clone().text()).replace('/api/desk/no-such-route', '/api/desk/proposals/export.csv'));
      }
    }
    expect(await auditCount()).toBe(before);
  });

  it('refuses no columns or an unknown column with a coded 400, and records nothing', async () => {
    const before = await auditCount();
    const none = await download('desk', {});
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'columns', code: 'REQUIRED' }] } }] });
    const unknown = await download('desk', { columns: 'title,passwordHash' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'columns', code: 'UNKNOWN_REFERENCE' }] } }] });
    expect(await auditCount()).toBe(before);
  });

  it('exports what the desk’s list shows for the same filter and order', async () => {
    const LIST = `query($f: ProposalFilter, $o: ProposalOrder!) { proposals(first: 100, filter: $f, order: $o) { edges { node { referenceNumber } } } }`;
    const cases: Array<{ filter: Record<string, unknown>; params: Record<string, string>; order?: string }> = [
      { filter: {}, params: {} },
      { filter: { states: ['SUBMITTED', 'UNDER_REVIEW'] }, params: { states: 'SUBMITTED,UNDER_REVIEW' } },
      { filter: { kind: 'CHALLENGE' }, params: { kind: 'CHALLENGE' } },
      { filter: { challengeId: challenge.id }, params: { challengeId: challenge.id } },
      { filter: { challengeId: 'not-a-uuid' }, params: { challengeId: 'not-a-uuid' } },
      { filter: { fieldCode: 'disaster-crime-prevention' }, params: { fieldCode: 'disaster-crime-prevention' } },
      { filter: { organisationKind: 'NPO' }, params: { organisationKind: 'NPO' } },
      { filter: { overTarget: true }, params: { overTarget: 'true' } },
      { filter: { overTarget: false }, params: { overTarget: 'false' } },
      { filter: {}, params: {}, order: 'NEWEST_SUBMITTED_FIRST' },
      { filter: {}, params: {}, order: 'RECENTLY_UPDATED' },
    ];
    for (const { filter, params, order = 'OLDEST_SUBMITTED_FIRST' } of cases) {
      const listed = (await s.desk.ok(LIST, { f: filter, o: order })).proposals.edges.map((edge: { node: { referenceNumber: string } }) => edge.node.referenceNumber);
      const exported = (await rowsOf(await download('desk', { columns: 'referenceNumber', order, ...params }))).slice(1).map((row) => row[0]);
      expect(exported, JSON.stringify({ filter, order })).toEqual(listed);
    }
  });

  it('costs the same number of statements for 5 proposals as for 50', async () => {
    const small = new Challenge({ title: '小', description: '', background: '', owningSection: null, fieldCodes: [], periodStart: null, periodEnd: null, contact: '' }, desk.id);
    const large = new Challenge({ title: '大', description: '', background: '', owningSection: null, fieldCodes: [], periodStart: null, periodEnd: null, contact: '' }, desk.id);
    em.persist([small, large]);
    await em.flush();
    for (let i = 0; i < 5; i += 1) await seedFull(company, { kind: ProposalKind.CHALLENGE, challenge: small });
    for (let i = 0; i < 50; i += 1) await seedFull(i % 2 ? company : npo, { kind: ProposalKind.CHALLENGE, challenge: large, deskOwner: i % 3 ? desk : null });
    const run = (challengeId: string) => async () => {
      const response = await download('desk', { columns: ALL_COLUMNS.join(','), challengeId });
      expect(response.status).toBe(200);
      return (await rowsOf(response)).length - 1;
    };
    const five = await statementCount(run(small.id));
    const fifty = await statementCount(run(large.id));
    expect([five.result, fifty.result]).toEqual([5, 50]);
    expect(fifty.n).toBe(five.n);
  });
});

describe('proposalExportColumns', () => {
  const QUERY = `{ proposalExportColumns { id group labelJa labelEn protectedContent } }`;

  it('lists the catalogue for the desk and nobody else', async () => {
    const columns = (await s.desk.ok(QUERY)).proposalExportColumns;
    expect(columns.map((column: { id: string }) => column.id)).toEqual(ALL_COLUMNS);
    expect(columns.find((column: { id: string }) => column.id === 'content')).toMatchObject({ labelJa: '提案内容', protectedContent: true });
    expect((await s.proposer.request(QUERY)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await s.anonymous.request(QUERY)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
