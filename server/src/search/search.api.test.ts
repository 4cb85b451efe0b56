import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Role, type Account } from '../identity/account.entity.js';
import { Section } from '../sections/section.entity.js';
import { Challenge, ChallengeStatus } from '../challenges/challenge.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { Membership } from '../organisations/membership.entity.js';
import { CaseState, PublicCase } from '../publication/public-case.entity.js';
import { Organisation, OrganisationKind } from '../organisations/organisation.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, type GraphqlResult } from '../../test/graphql-client.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { canSeeProposal, proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { searchQuery } from './search.sql.js';
import { SearchKind } from './search.types.js';
import { parseSearchQuery } from './search.validation.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';

const SEARCH = `query($q: String!, $kinds: [SearchKind!], $first: Int) { search(query: $q, kinds: $kinds, first: $first) {
  totalCount terms hits { kind id proposalId threadId title titleSegments { text match } titleMatch path date snippet { text match } } } }`;
const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id matches { id version section { id } } } }`;
const ACCEPT = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id version } }`;
const DECLINE = `mutation($id: ID!, $v: Int!, $r: String!) { declineMatch(matchId: $id, expectedVersion: $v, reason: $r) { id state } }`;
const START = `mutation($p: ID!, $input: StartThreadInput!) { startThread(proposalId: $p, input: $input) { id } }`;

interface Hit {
  kind: string;
  id: string;
  proposalId: string | null;
  threadId: string | null;
  title: string;
  titleMatch: boolean;
  titleSegments: Array<{ text: string; match: boolean }>;
  path: string;
  snippet: Array<{ text: string; match: boolean }>;
}
interface Results {
  totalCount: number;
  terms: string[];
  hits: Hit[];
}

let server: TestServer;
type Who = 'desk' | 'lead' | 'declined' | 'unmatched' | 'member' | 'otherMember' | 'public';
const s = {} as Record<Who, HttpSession>;
const a = {} as Record<Exclude<Who, 'public'>, Account>;
const sec = {} as Record<'lead' | 'declined' | 'unmatched', Section>;
let caseOrganisation: Organisation;
/** The (empty) proposal behind a published case. */
let caseProposalId: string;
/** The proposal in dialogue: matched to `lead` (accepted) and `declined` (declined). */
let dialogueId: string;

const codeOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.code;
const fieldsOf = (result: GraphqlResult) => (result.errors?.[0]?.extensions?.fields ?? []).map((f) => `${f.field}:${f.code}`);

async function find(who: Who, q: string, kinds: string[] | null = null): Promise<Results> {
  return (await s[who].ok<{ search: Results }>(SEARCH, { q, kinds })).search;
}

function em(): EntityManager {
  return server.db.orm.em.fork();
}

async function login(account: Account): Promise<HttpSession> {
  return new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
}

/** A public case page in the given state, whose snapshot holds `text` (test data written directly). */
async function publicCase(state: CaseState, title: string, text: string): Promise<PublicCase> {
  const fork = em();
  const proposal = new Proposal(fork.getReference(Organisation, caseOrganisation.id), a.desk.id);
  const page = new PublicCase(proposal, a.desk.id, title, 2026);
  page.state = state;
  page.publishedContent = { title, summary: '', organisationName: caseOrganisation.name, organisationKind: OrganisationKind.COMPANY, leadSectionName: null, fieldCodes: [], fiscalYear: 2026, periodStart: null, periodEnd: null, wardCostYen: null, partnerContributionYen: null, blocks: [] };
  page.searchText = state === CaseState.PUBLISHED ? `${title}\n${text}` : '';
  if (state !== CaseState.DRAFT) page.publishedAt = new Date();
  // A withdrawn page keeps its snapshot: that it is not PUBLISHED must be enough to hide it.
  if (state === CaseState.WITHDRAWN) page.searchText = `${title}\n${text}`;
  fork.persist([proposal, page]);
  await fork.flush();
  return page;
}

async function challenge(title: string, description: string, published: boolean, status = ChallengeStatus.OPEN): Promise<Challenge> {
  const fork = em();
  const row = new Challenge({ title, description, background: '', owningSection: fork.getReference(Section, sec.lead.id), fieldCodes: [], periodStart: null, periodEnd: null, contact: '03-0000-0000' }, a.desk.id);
  row.status = status;
  row.publishedAt = published ? new Date() : null;
  fork.persist(row);
  await fork.flush();
  return row;
}

async function draft(who: HttpSession, content: Partial<typeof COMPLETE_DRAFT>): Promise<{ id: string; version: number }> {
  return (await who.ok(CREATE, { input: { ...COMPLETE_DRAFT, ...content } })).createProposalDraft;
}

async function submitted(who: HttpSession, content: Partial<typeof COMPLETE_DRAFT>): Promise<string> {
  const d = await draft(who, content);
  return (await who.ok(SUBMIT, { id: d.id, v: d.version, p: ALL_PLEDGES })).submitProposal.id;
}

/** Counts of every table the search reads, to prove a search changed nothing. */
async function tableCounts(): Promise<Record<string, number>> {
  const [row] = await em().getConnection().execute<Array<Record<string, string>>>(
    `select (select count(*) from proposal) as proposal, (select count(*) from public_case) as public_case,
            (select count(*) from challenge) as challenge, (select count(*) from message) as message, (select count(*) from thread) as thread`,
  );
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

beforeAll(async () => {
  server = await startTestServer();
  const fork = em();
  const [lead, declined, unmatched] = await createDepartmentWithSections(fork, ['防災課', '子育て支援課', '公園課']);
  Object.assign(sec, { lead, declined, unmatched });
  const organisation = await createOrganisation(fork);
  const other = await createOrganisation(fork);
  caseOrganisation = await createOrganisation(fork);
  a.desk = await createAccount(fork, Role.DESK);
  a.lead = await createAccount(fork, Role.SECTION, lead!);
  a.declined = await createAccount(fork, Role.SECTION, declined!);
  a.unmatched = await createAccount(fork, Role.SECTION, unmatched!);
  a.member = await createMember(fork, organisation);
  a.otherMember = await createMember(fork, other);
  for (const who of Object.keys(a) as Array<keyof typeof a>) s[who] = await login(a[who]);
  s.public = new HttpSession(server.httpUrl);

  // A proposal in dialogue, with a SHARED and an INTERNAL thread.
  const id = await submitted(s.member, { title: '子育て世帯の防災キット配布', content: '乳幼児のいる家庭へ備蓄品を届ける。合言葉はトクメイ計画。' });
  const reviewed = (await s.desk.ok(REVIEW, { id, v: 2 })).acceptProposalForReview;
  const dialogue = (await s.desk.ok(DIALOGUE, { id, v: reviewed.version })).startProposalDialogue;
  const matched = (await s.desk.ok(MATCH, { id, v: dialogue.version, s: [lead!.id, declined!.id], lead: lead!.id })).matchProposal;
  type M = { id: string; version: number; section: { id: string } };
  const of = (section: Section) => (matched.matches as M[]).find((m) => m.section.id === section.id)!;
  await s.lead.ok(ACCEPT, { id: of(lead!).id, v: of(lead!).version });
  await s.declined.ok(DECLINE, { id: of(declined!).id, v: of(declined!).version, r: '所管外のため' });
  dialogueId = id;
  await s.desk.ok(START, { p: id, input: { audience: 'SHARED', title: '配布方法の相談', body: '配布はナイショ便で行います' } });
  await s.desk.ok(START, { p: id, input: { audience: 'INTERNAL', title: '庁内調整', body: '予算はナイショ扱いで検討' } });

  caseProposalId = (await publicCase(CaseState.PUBLISHED, '地域防災マップの作成', '町会と大学が協働して防災マップを作った。参加団体: abc研究会。割引率100%達成。パス C:\\データ と a_b 記法。')).proposal.id;
  await publicCase(CaseState.PUBLISHED, 'ＸＹＺ商店街の見守り', '全角の団体名でも探せる');
  await publicCase(CaseState.DRAFT, 'ヒミツ事例の下書き', 'ヒミツ事例');
  await publicCase(CaseState.WITHDRAWN, 'ヒミツ事例の取り下げ', 'ヒミツ事例');
  await challenge('子育て支援の担い手', '地域で子育てを支える仕組みを募集します', true);
  await challenge('ヒミツ課題（下書き）', 'ヒミツ課題の本文', false, ChallengeStatus.DRAFT);
  await challenge('ヒミツ課題（非公開）', 'ヒミツ課題の本文', false, ChallengeStatus.CLOSED);
  await challenge('ヒミツ課題（公開済みの下書き）', 'ヒミツ課題の本文', true, ChallengeStatus.DRAFT);
});

afterAll(async () => {
  await server?.stop();
});

describe('search: matching', () => {
  it('finds two-character terms (防災, 子育) and marks them in the snippet', async () => {
    const disaster = await find('public', '防災');
    expect(disaster.hits.map((h) => h.title)).toEqual(['地域防災マップの作成']);
    expect(disaster.hits[0]!.kind).toBe('CASE');
    expect(disaster.hits[0]!.path).toBe(`/cases/${disaster.hits[0]!.id}`);
    expect(disaster.hits[0]!.snippet.filter((s) => s.match).map((s) => s.text)).toContain('防災');

    const child = await find('public', '子育');
    expect(child.hits.map((h) => [h.kind, h.title])).toEqual([['CHALLENGE', '子育て支援の担い手']]);
    expect(child.hits[0]!.path).toBe(`/challenges/${child.hits[0]!.id}`);
    expect(child.totalCount).toBe(1);
  });

  it('finds a term inside a word, and needs every term', async () => {
    expect((await find('public', '域防')).hits.map((h) => h.title)).toEqual(['地域防災マップの作成']);
    expect((await find('public', '防災 町会')).totalCount).toBe(1);
    expect((await find('public', '防災 子育')).totalCount).toBe(0);
  });

  it('treats full-width and half-width alike (ＡＢＣ finds abc, xyz finds ＸＹＺ)', async () => {
    expect((await find('public', 'ＡＢＣ')).hits.map((h) => h.title)).toEqual(['地域防災マップの作成']);
    const xyz = await find('public', 'xyz');
    expect(xyz.hits.map((h) => h.title)).toEqual(['ＸＹＺ商店街の見守り']);
    expect(xyz.hits[0]!.titleMatch).toBe(true);
    expect(xyz.hits[0]!.titleSegments).toEqual([
      { text: 'ＸＹＺ', match: true },
      { text: '商店街の見守り', match: false },
    ]);
  });

  it('searches %, _, \\ and quotes literally, and changes nothing', async () => {
    const before = await tableCounts();
    expect((await find('public', '100%')).totalCount).toBe(1);
    expect((await find('public', '%%')).totalCount).toBe(0);
    expect((await find('public', '0% 防災')).totalCount).toBe(1);
    expect((await find('public', 'a_b')).totalCount).toBe(1);
    expect((await find('public', '__')).totalCount).toBe(0);
    expect((await find('public', 'a%b')).totalCount).toBe(0);
    expect((await find('public', ':\\デ')).totalCount).toBe(1);
    expect((await find('public', '\\\\')).totalCount).toBe(0);
    // Placeholders and quoting characters in a term are text too.
    for (const q of ['??', '$1 $$', "''", '"" ;;']) expect(await find('desk', q)).toMatchObject({ totalCount: 0, hits: [] });
    const injection = await s.desk.request<{ search: Results }>(SEARCH, { q: "'; drop table proposal; --" });
    expect(injection.errors).toBeUndefined();
    expect(injection.data!.search.totalCount).toBe(0);
    expect(await tableCounts()).toEqual(before);
  });

  it('refuses a one-character term, a 500-character query and too many terms, with codes', async () => {
    const short = await s.public.request(SEARCH, { q: '防' });
    expect(codeOf(short)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(short)).toEqual(['query:TERM_TOO_SHORT']);
    expect(fieldsOf(await s.public.request(SEARCH, { q: '防災 a' }))).toEqual(['query:TERM_TOO_SHORT']);
    const long = await s.public.request(SEARCH, { q: '防'.repeat(500) });
    expect(codeOf(long)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(long)).toEqual(['query:TOO_LONG']);
    expect(fieldsOf(await s.public.request(SEARCH, { q: 'aa bb cc dd ee ff' }))).toEqual(['query:TOO_MANY']);
    expect(fieldsOf(await s.public.request(SEARCH, { q: '  ' }))).toEqual(['query:REQUIRED']);
    expect(fieldsOf(await s.public.request(SEARCH, { q: '防災', first: 0 }))).toEqual(['first:INVALID']);
  });
});

describe('search: who finds what', () => {
  it('never gives the public DRAFT or WITHDRAWN cases, unpublished or draft challenges, proposals or messages', async () => {
    expect(await find('public', 'ヒミツ')).toMatchObject({ totalCount: 0, hits: [] });
    expect(await find('public', 'トクメイ', ['PROPOSAL', 'MESSAGE'])).toMatchObject({ totalCount: 0, hits: [] });
    expect(await find('public', 'ナイショ')).toMatchObject({ totalCount: 0, hits: [] });
    // The public's kinds are CASE and CHALLENGE only, whatever is asked for.
    expect((await find('public', '子育')).hits.every((h) => h.kind === 'CASE' || h.kind === 'CHALLENGE')).toBe(true);
  });

  it('gives signed-in users what their role may see: proposals by the visibility rule', async () => {
    for (const who of ['member', 'desk', 'lead'] as const) {
      const found = await find(who, 'トクメイ');
      expect(found.hits.map((h) => [h.kind, h.id])).toEqual([['PROPOSAL', dialogueId]]);
    }
    expect((await find('member', 'トクメイ')).hits[0]!.path).toBe(`/proposer/proposals/${dialogueId}`);
    expect((await find('desk', 'トクメイ')).hits[0]!.path).toBe(`/desk/proposals/${dialogueId}`);
    expect((await find('lead', 'トクメイ')).hits[0]!.path).toBe(`/section/proposals/${dialogueId}`);
    // Another organisation, an unmatched section, a declined one: not found, not counted.
    for (const who of ['otherMember', 'unmatched', 'declined'] as const) expect(await find(who, 'トクメイ')).toMatchObject({ totalCount: 0, hits: [] });
    // The desk's own rule: challenges it has not published are still the desk's to find.
    expect((await find('desk', 'ヒミツ課題', ['CHALLENGE'])).totalCount).toBe(3);
    expect((await find('otherMember', 'ヒミツ課題', ['CHALLENGE'])).totalCount).toBe(0);
  });

  it('keeps a never-submitted draft its organisation’s own', async () => {
    await draft(s.member, { title: 'ゲンコウ段階の案', content: '' });
    expect((await find('member', 'ゲンコウ')).totalCount).toBe(1);
    for (const who of ['desk', 'lead', 'otherMember', 'public'] as const) expect((await find(who, 'ゲンコウ')).totalCount).toBe(0);
  });

  it('does not let a count betray hidden matches', async () => {
    // Each viewer's own match, then a hidden proposal of another organisation with the same words.
    await submitted(s.otherMember, { title: 'カクレ文言の提案' });
    const viewers = ['otherMember', 'unmatched', 'public'] as const;
    const before = await Promise.all(viewers.map((who) => find(who, 'カクレ 文言')));
    await submitted(s.member, { title: '別団体のカクレ文言', content: 'カクレ文言を含む' });
    const after = await Promise.all(viewers.map((who) => find(who, 'カクレ 文言')));
    expect(after).toEqual(before);
    expect(before.map((r) => r.totalCount)).toEqual([1, 0, 0]);
    expect((await find('desk', 'カクレ 文言')).totalCount).toBe(2);
  });

  it('finds messages only in threads the viewer reads: a proposer never an INTERNAL one', async () => {
    const member = await find('member', 'ナイショ');
    expect(member.hits.map((h) => [h.kind, h.title, h.proposalId])).toEqual([['MESSAGE', '配布方法の相談', dialogueId]]);
    expect(member.totalCount).toBe(1);
    expect(member.hits[0]!.path).toBe(`/proposer/proposals/${dialogueId}`);
    for (const who of ['desk', 'lead'] as const) {
      const staff = await find(who, 'ナイショ');
      expect(staff.hits.map((h) => h.title).sort()).toEqual(['庁内調整', '配布方法の相談']);
      expect(staff.hits.every((h) => h.kind === 'MESSAGE' && h.threadId !== null)).toBe(true);
    }
    for (const who of ['otherMember', 'unmatched', 'declined', 'public'] as const) expect((await find(who, 'ナイショ')).totalCount).toBe(0);
  });

  it('lists title matches first', async () => {
    const hits = (await find('desk', '子育')).hits;
    expect(hits.length).toBeGreaterThan(1);
    const firstNonTitle = hits.findIndex((h) => !h.titleMatch);
    expect(firstNonTitle === -1 || hits.slice(firstNonTitle).every((h) => !h.titleMatch)).toBe(true);
  });
});

describe('search: the SQL rule agrees with canSeeProposal', () => {
  it('for every role, over proposals in every situation', async () => {
    const organisationOf = async (account: Account) => (await em().findOneOrFail(Membership, { account: account.id, leftAt: null })).organisation.id;
    const token = 'ゴウイ確認';
    // A draft never submitted, a submitted one, another organisation's, one matched (pending) to `lead`.
    await draft(s.member, { title: `${token}の下書き` });
    await submitted(s.member, { title: `${token}の提出済み` });
    await submitted(s.otherMember, { title: `${token}の他団体` });
    const pendingId = await submitted(s.member, { title: `${token}の照会中` });
    const reviewed = (await s.desk.ok(REVIEW, { id: pendingId, v: 2 })).acceptProposalForReview;
    const dialogue = (await s.desk.ok(DIALOGUE, { id: pendingId, v: reviewed.version })).startProposalDialogue;
    await s.desk.ok(MATCH, { id: pendingId, v: dialogue.version, s: [sec.lead.id], lead: sec.lead.id });

    const proposals = await em().find(Proposal, { title: { $like: `${token}%` } }, { populate: ['matches'] });
    expect(proposals).toHaveLength(4);
    const viewers: Array<[Who, Viewer]> = [
      ['public', PUBLIC_VIEWER],
      ['desk', { kind: 'account', accountId: a.desk.id, role: Role.DESK, sectionId: null, organisationId: null }],
      ...(['lead', 'declined', 'unmatched'] as const).map((who): [Who, Viewer] => [who, { kind: 'account', accountId: a[who].id, role: Role.SECTION, sectionId: sec[who].id, organisationId: null }]),
      ...(await Promise.all((['member', 'otherMember'] as const).map(async (who): Promise<[Who, Viewer]> => [who, { kind: 'account', accountId: a[who].id, role: Role.PROPOSER, sectionId: null, organisationId: await organisationOf(a[who]) }]))),
    ];
    for (const [who, viewer] of viewers) {
      const expected = proposals.filter((p) => canSeeProposal(viewer, proposalVisibilityFacts(p))).map((p) => p.id).sort();
      const found = await find(who, token, ['PROPOSAL']);
      expect({ who, ids: found.hits.map((h) => h.id).sort(), count: found.totalCount }).toEqual({ who, ids: expected, count: expected.length });
    }
  });
});

describe('search: index use', () => {
  /** The plan of exactly the statement the service runs, with sequential scans priced out (a few rows would otherwise be read whole). */
  async function planOf(viewer: Viewer, kind: SearchKind, q: string): Promise<string> {
    const fork = em();
    const { sql, params } = searchQuery(fork, viewer, kind, parseSearchQuery(q), 20);
    return fork.transactional(async (tx) => {
      await tx.execute('set local enable_seqscan = off');
      if (kind === SearchKind.CASE) await manyPublishedCases(tx);
      const rows = await tx.execute<Array<{ 'QUERY PLAN': string }>>(`explain ${sql}`, params);
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  }

  /**
   * Many published cases, inside the EXPLAIN's transaction (rolled back): with four
   * rows the planner rightly reads them by state; with thousands it probes the bigram index.
   */
  async function manyPublishedCases(tx: EntityManager): Promise<void> {
    await tx.execute(
      // Copies of a case's (empty) proposal, whatever columns the proposal table has by now.
      `with p as (insert into proposal
         select (jsonb_populate_record(null::proposal, to_jsonb(source) || jsonb_build_object('id', gen_random_uuid(), 'reference_number', null))).*
         from proposal source, generate_series(1, 1000) where source.id = ? returning id)
       insert into public_case (id, proposal_id, state, title, blocks, field_codes, fiscal_year, search_text, created_by, created_at, updated_at)
       select gen_random_uuid(), p.id, 'PUBLISHED', '事例', '[]', '{}', 2026, '事例 ' || md5(p.id::text), ?, now(), now() from p`,
      [caseProposalId, a.desk.id],
    );
    // Rows inserted just now wait in the GIN pending list, which the planner prices high: merge them.
    await tx.execute(`select gin_clean_pending_list('public_case_search_bigrams')`);
    await tx.execute('analyze public_case');
  }

  const desk = (): Viewer => ({ kind: 'account', accountId: a.desk.id, role: Role.DESK, sectionId: null, organisationId: null });

  it.each([
    [SearchKind.CASE, 'public_case_search_bigrams'],
    [SearchKind.CHALLENGE, 'challenge_search_bigrams'],
    [SearchKind.PROPOSAL, 'proposal_search_bigrams'],
    [SearchKind.MESSAGE, 'message_search_bigrams'],
  ])('answers a two-character %s search from its bigram index', async (kind, index) => {
    const viewer = kind === SearchKind.CASE || kind === SearchKind.CHALLENGE ? PUBLIC_VIEWER : desk();
    expect(await planOf(viewer, kind, '防災')).toContain(index);
  });
});

describe('search: common terms', () => {
  const COMMON = 'ヨクアル';
  const RARE = 'マレナ';

  /** Messages written directly (a test fixture, not the API): `n` each in the dialogue's SHARED and INTERNAL thread, newest last. */
  async function manyMessages(n: number): Promise<void> {
    const sql = em().getConnection();
    const threads = await sql.execute<Array<{ id: string; audience: string }>>('select id, audience from thread where proposal_id = ?', [dialogueId]);
    for (const thread of threads) {
      await sql.execute(
        `insert into message (id, thread_id, proposal_id, depth, author_id, body, body_html, mention_ids, created_at, version)
         select gen_random_uuid(), ?, ?, 1, ?, ? || 'の話題 ' || i || case when i % 40 = 0 then ? else '' end, '', '{}', now() - make_interval(mins => ? - i), 1
         from generate_series(1, ?) as i`,
        [thread.id, dialogueId, a.desk.id, COMMON, ` ${RARE}`, n, n],
      );
    }
    // The walk is chosen by the bigram index's statistics: as a running server would have them.
    await sql.execute('analyze message');
  }

  beforeAll(async () => {
    await manyMessages(120);
  });

  it('counts to 50 and says there are more, and pages the newest matches first', async () => {
    const found = (await s.desk.ok<{ search: Results & { totalCountIsLowerBound: boolean } }>(
      `query($q: String!) { search(query: $q, kinds: [MESSAGE], first: 20) { totalCount totalCountIsLowerBound hits { title date snippet { text match } } } }`,
      { q: COMMON },
    )).search;
    expect(found).toMatchObject({ totalCount: 50, totalCountIsLowerBound: true });
    expect(found.hits).toHaveLength(20);
    const dates = found.hits.map((hit) => new Date((hit as unknown as { date: string }).date).getTime());
    expect(dates).toEqual([...dates].sort((x, y) => y - x));
    expect(new Set(found.hits.map((hit) => hit.title))).toEqual(new Set(['配布方法の相談', '庁内調整']));
    expect(found.hits.every((hit) => hit.snippet.some((part) => part.match && part.text === COMMON.toLowerCase()))).toBe(true);
  });

  it('keeps the visibility rule on the way through the newest messages: proposers never INTERNAL, outsiders nothing', async () => {
    const member = await find('member', COMMON, ['MESSAGE']);
    expect(member.totalCount).toBe(50);
    expect(member.hits.every((hit) => hit.title === '配布方法の相談')).toBe(true);
    for (const who of ['otherMember', 'unmatched', 'declined', 'public'] as const) expect(await find(who, COMMON, ['MESSAGE'])).toMatchObject({ totalCount: 0, hits: [] });
  });

  it('counts exactly below the cap, also when the newest messages hold too few to fill a page', async () => {
    const rare = await s.desk.ok<{ search: { totalCount: number; totalCountIsLowerBound: boolean; hits: unknown[] } }>(
      `query($q: String!) { search(query: $q, kinds: [MESSAGE]) { totalCount totalCountIsLowerBound hits { id } } }`,
      { q: RARE },
    );
    expect(rare.search).toMatchObject({ totalCount: 6, totalCountIsLowerBound: false });
    expect(rare.search.hits).toHaveLength(6);
    expect((await find('member', RARE, ['MESSAGE'])).totalCount).toBe(3);
  });

  it('walks the newest messages for a common term instead of visiting every match', async () => {
    const fork = em();
    const viewer: Viewer = { kind: 'account', accountId: a.desk.id, role: Role.DESK, sectionId: null, organisationId: null };
    const { sql, params } = searchQuery(fork, viewer, SearchKind.MESSAGE, parseSearchQuery(COMMON), 20);
    const plan = (await fork.getConnection().execute<Array<{ 'QUERY PLAN': string }>>(`explain (analyze, costs off, timing off) ${sql}`, params)).map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Scan Backward using message_created_at_id_index on message \w+ \(actual rows=[1-9]/);
    // The index's branches (page and count over every match) are planned but never run.
    const others = plan.split('\n').filter((line) => /Scan .*on message m(_\d+)? /.test(line));
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((line) => line.includes('never executed'))).toBe(true);
  });
});
