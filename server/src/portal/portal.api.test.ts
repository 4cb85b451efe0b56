import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attachmentStorageFor } from '../attachments/local-disk-storage.js';
import { pdfBytes, pngBytes } from '../attachments/file-fixtures.js';
import { ChallengeStatus } from '../challenges/challenge.entity.js';
import { Role } from '../identity/account.entity.js';
import { OrganisationKind } from '../organisations/organisation.entity.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { CaseState } from '../publication/public-case.entity.js';
import type { Section } from '../sections/section.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { statementCount } from '../../test/statement-count.js';
import { createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { createMember, createOrganisation } from '../../test/proposal-factories.js';
import { caseRow, challengeRow, proposalRow, snapshot, storedFile } from './portal-fixtures.js';

/** Whatever carries it must never reach the public: protected proposal text, unpublished cases, the desk's working copy. */
const MARKER = 'MARKER-保護-7f3a';
const BASE = 'https://renkei.example.jp';

const CASE_FIELDS = `id firstPublishedAt publishedAt fields { code nameJa nameEn } content { title summary organisationName organisationKind leadSectionName fieldCodes
  fiscalYear periodStart periodEnd wardCostYen partnerContributionYen
  blocks { kind heading text rows { name target actual note } value unit attachmentId fileName contentType byteSize } }`;
const LIST = `query($first: Int, $after: String, $filter: PublicCaseFilter) { publicCases(first: $first, after: $after, filter: $filter) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${CASE_FIELDS} } } } }`;
const ONE = `query($id: ID!) { publicCase(id: $id) { ${CASE_FIELDS} } }`;
const FACETS = `{ publicCaseFacets { fiscalYears sections { id name } fields { code nameJa nameEn } organisationKinds } }`;

let server: TestServer;
let origin: string;
let clientDist: string;
let attachmentsDir: string;
let anonymous: HttpSession;
const ids: Record<string, string> = {};
let lead: Section;
let other: Section;

beforeAll(async () => {
  clientDist = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-portal-client-'));
  attachmentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-portal-files-'));
  fs.writeFileSync(
    path.join(clientDist, 'index.html'),
    '<!doctype html>\n<html lang="ja">\n  <head>\n    <meta charset="UTF-8" />\n    <meta name="description" content="built" />\n    <title>built</title>\n  </head>\n  <body><div id="app"></div></body>\n</html>\n',
  );
  server = await startTestServer({ CLIENT_DIST: clientDist, ATTACHMENTS_DIR: attachmentsDir, PUBLIC_BASE_URL: BASE });
  origin = server.httpUrl.replace(/\/graphql$/, '');
  anonymous = new HttpSession(server.httpUrl);

  const em = server.db.orm.em.fork();
  const storage = attachmentStorageFor({ attachmentsDir });
  [lead, other] = (await createDepartmentWithSections(em, ['地域防災支援課', '環境政策課'])) as [Section, Section];
  const desk = await createAccount(em, Role.DESK);
  const company = await createOrganisation(em, '株式会社いたばし電力', OrganisationKind.COMPANY);
  const npo = await createOrganisation(em, 'NPO法人みどりの会', OrganisationKind.NPO);
  const companyMember = await createMember(em, company);
  const npoMember = await createMember(em, npo);
  const byCompany = { organisation: company, author: companyMember };
  const byNpo = { organisation: npo, author: npoMember };

  // The protected field of the proposal behind a published case holds the marker.
  const solar = await proposalRow(em, byCompany, { title: `公開前の題 ${MARKER}`, content: `保護された提案内容 ${MARKER}`, state: ProposalState.PUBLISHED });
  const photo = await storedFile(em, storage, solar, companyMember, '設置写真.png', pngBytes(), 'image/png');
  const notPlaced = await storedFile(em, storage, solar, companyMember, `非公開 ${MARKER}.png`, pngBytes(), 'image/png');
  const pdf = await storedFile(em, storage, solar, companyMember, '報告書.pdf', pdfBytes(), 'application/pdf');
  const solarCase = await caseRow(
    em,
    solar,
    desk,
    CaseState.PUBLISHED,
    snapshot({
      title: '避難所の電源 <確保> & "実証"',
      summary: '区立施設2か所で太陽光と蓄電池を実証した',
      organisationName: '株式会社いたばし電力',
      leadSectionName: lead.name,
      fieldCodes: ['disaster-crime-prevention'],
      fiscalYear: 2025,
      partnerContributionYen: 3_000_000,
      blocks: [
        { kind: 'TEXT', source: { kind: 'REPORT_PART', part: 'activities' }, heading: '実施内容', text: '防災訓練で活用した' },
        { kind: 'INDICATORS', source: { kind: 'REPORT_PART', part: 'indicatorResults' }, heading: '成果指標', rows: [{ name: '供給時間', target: '72時間', actual: '80時間', note: '' }] },
        { kind: 'PHOTO', source: { kind: 'REPORT_PHOTO', attachmentId: photo.id }, attachmentId: photo.id, fileName: '設置写真.png', contentType: 'image/png' },
        { kind: 'FILE', source: { kind: 'ATTACHMENT', attachmentId: pdf.id }, attachmentId: pdf.id, fileName: '報告書.pdf', contentType: 'application/pdf', byteSize: pdf.sizeBytes },
      ],
    }),
    // The desk is editing the page again: its working copy is not public until republished.
    { firstPublishedAt: new Date('2026-05-01T00:00:00Z'), leadSectionId: lead.id, workingTitle: `編集中 ${MARKER}`, workingSummary: `編集中の概要 ${MARKER}` },
  );
  ids.solar = solarCase.id;
  ids.photo = photo.id;
  ids.pdf = pdf.id;
  ids.notPlaced = notPlaced.id;

  const more: Array<[string, OrganisationKind, string[], number, Section, string]> = [
    ['みどりの環境教室', OrganisationKind.NPO, ['environmental-education'], 2025, other, '2026-05-02T00:00:00Z'],
    ['絵本の読み聞かせ', OrganisationKind.NPO, ['picture-books'], 2026, other, '2026-05-03T00:00:00Z'],
    ['商店街の防犯カメラ', OrganisationKind.COMPANY, ['disaster-crime-prevention', 'town-vitality'], 2026, lead, '2026-05-04T00:00:00Z'],
  ];
  for (const [title, kind, fieldCodes, fiscalYear, section, at] of more) {
    const who = kind === OrganisationKind.NPO ? byNpo : byCompany;
    const proposal = await proposalRow(em, who, { title });
    const row = await caseRow(
      em,
      proposal,
      desk,
      CaseState.PUBLISHED,
      snapshot({ title, summary: `${title}の概要`, organisationName: who.organisation.name, organisationKind: kind, leadSectionName: section.name, fieldCodes, fiscalYear }),
      { firstPublishedAt: new Date(at), leadSectionId: section.id },
    );
    ids[title] = row.id;
  }

  // A withdrawn case and a draft: both carry the marker and a file, on a fiscal year and field no published case has.
  const hiddenSection = (await createDepartmentWithSections(em, [`非公開課 ${MARKER}`]))[0]!;
  const withdrawnProposal = await proposalRow(em, byCompany, { title: '取り下げ' });
  const withdrawnFile = await storedFile(em, storage, withdrawnProposal, companyMember, '取り下げ.png', pngBytes(), 'image/png');
  const hidden = (title: string) =>
    snapshot({
      title: `${title} ${MARKER}`,
      summary: MARKER,
      organisationName: `${MARKER} 社`,
      organisationKind: OrganisationKind.UNIVERSITY,
      leadSectionName: hiddenSection.name,
      fieldCodes: ['elderly-welfare'],
      fiscalYear: 2019,
      partnerContributionYen: 9_999_999,
      blocks: [{ kind: 'PHOTO', source: { kind: 'REPORT_PHOTO', attachmentId: withdrawnFile.id }, attachmentId: withdrawnFile.id, fileName: withdrawnFile.fileName, contentType: 'image/png' }],
    });
  ids.withdrawn = (await caseRow(em, withdrawnProposal, desk, CaseState.WITHDRAWN, hidden('取り下げた事例'), { firstPublishedAt: new Date('2026-06-01T00:00:00Z'), leadSectionId: hiddenSection.id })).id;
  ids.withdrawnFile = withdrawnFile.id;
  const draftProposal = await proposalRow(em, byCompany, { title: '下書き' });
  ids.draft = (await caseRow(em, draftProposal, desk, CaseState.DRAFT, hidden('下書きの事例'), { firstPublishedAt: new Date('2026-06-02T00:00:00Z'), leadSectionId: hiddenSection.id })).id;

  // Challenges: one open and public, one closed and public, one draft and one unpublished (never in the sitemap).
  ids.openChallenge = (await challengeRow(em, desk, { title: '公園の見守り & 防犯', description: '公園の安全を<地域>と見守る', fieldCodes: ['disaster-crime-prevention'], section: lead })).id;
  ids.closedChallenge = (await challengeRow(em, desk, { title: '受付終了の課題', fieldCodes: [], status: ChallengeStatus.CLOSED, section: lead })).id;
  ids.draftChallenge = (await challengeRow(em, desk, { title: `下書き課題 ${MARKER}`, fieldCodes: [], status: ChallengeStatus.DRAFT, published: false, section: lead })).id;
  ids.unpublishedChallenge = (await challengeRow(em, desk, { title: `非公開課題 ${MARKER}`, fieldCodes: [], status: ChallengeStatus.OPEN, published: false, section: lead })).id;
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(clientDist, { recursive: true, force: true });
  fs.rmSync(attachmentsDir, { recursive: true, force: true });
});

async function get(pathname: string): Promise<{ status: number; type: string; text: string; headers: Headers }> {
  const response = await fetch(`${origin}${pathname}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text(), headers: response.headers };
}

const titles = (data: any): string[] => data.publicCases.edges.map((edge: any) => edge.node.content.title);

describe('publicCases', () => {
  it('lists published cases newest first, in pages, for anyone', async () => {
    const first = (await anonymous.ok(LIST, { first: 2 })).publicCases;
    expect(first.totalCount).toBe(4);
    expect(first.edges.map((edge: any) => edge.node.content.title)).toEqual(['商店街の防犯カメラ', '絵本の読み聞かせ']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await anonymous.ok(LIST, { first: 2, after: first.pageInfo.endCursor })).publicCases;
    expect(second.edges.map((edge: any) => edge.node.content.title)).toEqual(['みどりの環境教室', '避難所の電源 <確保> & "実証"']);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('filters by field, section, fiscal year and kind of organisation, together', async () => {
    expect(titles(await anonymous.ok(LIST, { filter: { fieldCode: 'disaster-crime-prevention' } }))).toEqual(['商店街の防犯カメラ', '避難所の電源 <確保> & "実証"']);
    expect(titles(await anonymous.ok(LIST, { filter: { sectionId: other.id } }))).toEqual(['絵本の読み聞かせ', 'みどりの環境教室']);
    expect(titles(await anonymous.ok(LIST, { filter: { fiscalYear: 2025 } }))).toEqual(['みどりの環境教室', '避難所の電源 <確保> & "実証"']);
    expect(titles(await anonymous.ok(LIST, { filter: { organisationKind: 'NPO', fiscalYear: 2026 } }))).toEqual(['絵本の読み聞かせ']);
    const none = (await anonymous.ok(LIST, { filter: { fiscalYear: 2019 } })).publicCases;
    expect(none).toMatchObject({ totalCount: 0, edges: [] });
    expect((await anonymous.ok(LIST, { filter: { organisationKind: 'UNIVERSITY' } })).publicCases.totalCount).toBe(0);
  });

  it('costs the same statements whatever the page size', async () => {
    const small = await statementCount(() => anonymous.ok(LIST, { first: 1 }));
    const large = await statementCount(() => anonymous.ok(LIST, { first: 4 }));
    expect(large.result.publicCases.edges).toHaveLength(4);
    expect(large.n).toBe(small.n);
  });

  it('refuses a malformed cursor, section id or page size as BAD_USER_INPUT', async () => {
    for (const variables of [{ after: 'nonsense' }, { filter: { sectionId: 'x' } }, { first: 0 }, { first: 101 }]) {
      const result = await anonymous.request(LIST, variables);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('publicCase', () => {
  it('shows the snapshot: blocks, fields, figures and public file addresses', async () => {
    const { publicCase } = await anonymous.ok(ONE, { id: ids.solar });
    expect(publicCase.content).toMatchObject({
      title: '避難所の電源 <確保> & "実証"',
      organisationKind: 'COMPANY',
      leadSectionName: '地域防災支援課',
      fieldCodes: ['disaster-crime-prevention'],
      fiscalYear: 2025,
      partnerContributionYen: 3_000_000,
    });
    expect(publicCase.content.blocks.map((block: any) => block.kind)).toEqual(['TEXT', 'INDICATORS', 'PHOTO', 'FILE']);
    expect(publicCase.fields).toEqual([{ code: 'disaster-crime-prevention', nameJa: '防災・防犯', nameEn: 'Disaster and crime prevention' }]);
    expect(publicCase.content.blocks[2].attachmentId).toBe(ids.photo);
  });

  it('is null for a draft, a withdrawn case, an unknown id and a malformed one', async () => {
    for (const id of [ids.draft, ids.withdrawn, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      expect((await anonymous.ok(ONE, { id })).publicCase).toBeNull();
    }
  });
});

describe('publicCaseFacets', () => {
  it('offers only what published cases have', async () => {
    const { publicCaseFacets } = await anonymous.ok(FACETS);
    expect(publicCaseFacets.fiscalYears).toEqual([2026, 2025]);
    expect(publicCaseFacets.sections.map((section: any) => section.id).sort()).toEqual([lead.id, other.id].sort());
    expect(publicCaseFacets.fields.map((field: any) => field.code)).toEqual(['picture-books', 'disaster-crime-prevention', 'environmental-education', 'town-vitality']);
    expect(publicCaseFacets.organisationKinds.sort()).toEqual(['COMPANY', 'NPO']);
  });
});

describe('public case files', () => {
  it('serves a photo and a file the published snapshot places', async () => {
    const photo = await fetch(`${origin}/api/public/cases/${ids.solar}/files/${ids.photo}`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await photo.arrayBuffer()).equals(pngBytes())).toBe(true);
    const pdf = await fetch(`${origin}/api/public/cases/${ids.solar}/files/${ids.pdf}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment/);
    await pdf.arrayBuffer();
  });

  it('answers a file not on the snapshot, on an unpublished case or on another case exactly like a missing one', async () => {
    const missing = await get(`/api/public/cases/${ids.solar}/files/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    for (const pathname of [
      `/api/public/cases/${ids.solar}/files/${ids.notPlaced}`,
      `/api/public/cases/${ids.withdrawn}/files/${ids.withdrawnFile}`,
      `/api/public/cases/${ids.solar}/files/${ids.withdrawnFile}`,
      `/api/public/cases/${ids['絵本の読み聞かせ']}/files/${ids.photo}`,
      `/api/public/cases/not-a-case/files/${ids.photo}`,
    ]) {
      const answer = await get(pathname);
      expect({ pathname, status: answer.status, text: answer.text }).toEqual({ pathname, status: 404, text: missing.text });
    }
  });
});

describe('sitemap, feed and robots', () => {
  it('lists the portal pages, public challenges and published cases as absolute URLs', async () => {
    const { status, type, text } = await get('/sitemap.xml');
    expect(status).toBe(200);
    expect(type).toMatch(/application\/xml/);
    const locs = [...text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]);
    expect(locs).toEqual(
      expect.arrayContaining([`${BASE}/`, `${BASE}/challenges`, `${BASE}/cases`, `${BASE}/figures`, `${BASE}/challenges/${ids.openChallenge}`, `${BASE}/challenges/${ids.closedChallenge}`, `${BASE}/cases/${ids.solar}`]),
    );
    expect(locs).toHaveLength(4 + 2 + 4);
    for (const hidden of [ids.draft, ids.withdrawn, ids.draftChallenge, ids.unpublishedChallenge]) expect(text).not.toContain(hidden);
  });

  it('feeds the published cases as Atom, newest first, escaped', async () => {
    const { status, type, text } = await get('/feeds/cases.atom');
    expect(status).toBe(200);
    expect(type).toMatch(/application\/atom\+xml/);
    expect(text).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    const entryTitles = [...text.matchAll(/<entry>[\s\S]*?<title>([^<]*)<\/title>/g)].map((match) => match[1]);
    expect(entryTitles).toEqual(['商店街の防犯カメラ', '絵本の読み聞かせ', 'みどりの環境教室', '避難所の電源 &lt;確保&gt; &amp; &quot;実証&quot;']);
    expect(text).toContain(`<link rel="alternate" type="text/html" href="${BASE}/cases/${ids.solar}"/>`);
    expect(text).not.toContain(ids.withdrawn);
    expect(text).not.toContain(ids.draft);
  });

  it('points crawlers to the sitemap', async () => {
    const { status, text } = await get('/robots.txt');
    expect(status).toBe(200);
    expect(text).toContain(`Sitemap: ${BASE}/sitemap.xml`);
  });
});

describe('page heads for crawlers', () => {
  const metaContent = (html: string, key: string): string | undefined => new RegExp(`<meta (?:name|property)="${key}" content="([^"]*)"`).exec(html)?.[1];

  it("gives a published case its own title, description, canonical and share tags, escaped", async () => {
    const { status, text } = await get(`/cases/${ids.solar}`);
    expect(status).toBe(200);
    expect(text).toContain('<title>避難所の電源 &lt;確保&gt; &amp; &quot;実証&quot; | 板橋区 公民連携デスク</title>');
    expect(text.match(/<title>/g)).toHaveLength(1);
    expect(text).not.toContain('content="built"');
    expect(metaContent(text, 'description')).toBe('区立施設2か所で太陽光と蓄電池を実証した');
    expect(text).toContain(`<link rel="canonical" href="${BASE}/cases/${ids.solar}" />`);
    expect(metaContent(text, 'og:url')).toBe(`${BASE}/cases/${ids.solar}`);
    expect(metaContent(text, 'og:type')).toBe('article');
    expect(metaContent(text, 'og:site_name')).toBe('板橋区 公民連携デスク');
    expect(metaContent(text, 'og:locale')).toBe('ja_JP');
    expect(metaContent(text, 'twitter:card')).toBe('summary');
  });

  it('gives a public challenge its own head, and the list pages theirs', async () => {
    const challenge = await get(`/challenges/${ids.openChallenge}`);
    expect(challenge.text).toContain('<title>公園の見守り &amp; 防犯 | 板橋区 公民連携デスク</title>');
    expect(metaContent(challenge.text, 'description')).toBe('公園の安全を&lt;地域&gt;と見守る');
    for (const [pathname, title] of [['/', '板橋区 公民連携デスク'], ['/cases', '公民連携の事例'], ['/challenges', '募集中の行政課題'], ['/figures', '実績']]) {
      const page = await get(pathname!);
      expect(page.status).toBe(200);
      expect(page.text).toContain(title);
      expect(page.text).toContain(`<link rel="canonical" href="${BASE}${pathname}" />`);
    }
  });

  it('gives unpublished, unknown and malformed ids the generic head', async () => {
    for (const pathname of [`/cases/${ids.draft}`, `/cases/${ids.withdrawn}`, '/cases/00000000-0000-4000-8000-000000000000', '/cases/x', `/challenges/${ids.draftChallenge}`, `/challenges/${ids.unpublishedChallenge}`]) {
      const page = await get(pathname);
      expect(page.status).toBe(200);
      const list = pathname.startsWith('/cases') ? '/cases' : '/challenges';
      expect(page.text).toContain(`<link rel="canonical" href="${BASE}${list}" />`);
      expect(page.text).not.toContain(MARKER);
    }
  });

  it('leaves other pages as built', async () => {
    const page = await get('/desk/proposals');
    expect(page.text).toContain('<title>built</title>');
  });
});

describe('nothing unpublished or protected leaves', () => {
  it('no public response carries the marker or an unpublished case', async () => {
    const bodies: string[] = [];
    bodies.push(JSON.stringify(await anonymous.request(LIST, { first: 100 })));
    for (const filter of [{ fiscalYear: 2019 }, { fieldCode: 'elderly-welfare' }, { organisationKind: 'UNIVERSITY' }]) bodies.push(JSON.stringify(await anonymous.request(LIST, { filter })));
    for (const id of [ids.solar, ids.draft, ids.withdrawn]) bodies.push(JSON.stringify(await anonymous.request(ONE, { id })));
    bodies.push(JSON.stringify(await anonymous.request(FACETS)));
    bodies.push(JSON.stringify(await anonymous.request('{ publicFigures(fiscalYear: 2025) { received inDialogue realised valueNotSpentYen byField { fieldCode nameJa } } publicFigureYears }')));
    for (const pathname of ['/sitemap.xml', '/feeds/cases.atom', '/robots.txt', '/', '/cases', `/cases/${ids.solar}`, `/cases/${ids.draft}`, `/cases/${ids.withdrawn}`, '/figures', '/challenges', `/challenges/${ids.draftChallenge}`]) {
      bodies.push((await get(pathname)).text);
    }
    for (const body of bodies) {
      expect(body).not.toContain(MARKER);
      expect(body).not.toContain(ids.draft);
      expect(body).not.toContain(ids.withdrawn);
      expect(body).not.toContain('elderly-welfare');
      expect(body).not.toContain('9999999');
    }
  });
});
