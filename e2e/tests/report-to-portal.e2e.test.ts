import { describe, expect, test } from 'vitest';
import { DESK1, GraphQLClient } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { newPerson, watchPage } from '../harness/browser.ts';
import { signedIn } from '../harness/people.ts';
import { useE2E } from '../harness/suite.ts';
import { CasePanel } from '../pages/CasePanel.ts';
import { ReportPanel } from '../pages/ReportPanel.ts';

const e2e = useE2E('report-to-portal');
/** The demo partnership in progress: the NPO's, with 防災危機管理課 as the accepted lead section. */
const DEMO_TITLE = '子育て世帯向けの親子防災教室と備蓄品点検';
const CASE_TITLE = '親子で備える防災教室 ― 乳幼児のいる世帯の備蓄点検';
const NPO = 'npo@demo.renkei.jp';

/** The proposal's id and the text of the field its proposer will protect (提案者が提供する資源). */
async function demoProposal(): Promise<{ id: string; protectedText: string }> {
  const desk = await GraphQLClient.create(e2e.baseURL);
  try {
    await desk.login(DESK1);
    const { proposals } = await desk.query<{ proposals: { edges: { node: { id: string; title: string; ownResources: string } }[] } }>(
      `{ proposals(first: 20, filter: { states: [IN_PROGRESS] }) { edges { node { id title ownResources } } } }`,
    );
    const found = proposals.edges.find((edge) => edge.node.title === DEMO_TITLE);
    if (!found) throw new Error('the demo data has no partnership in progress');
    return { id: found.node.id, protectedText: found.node.ownResources };
  } finally {
    await desk.dispose();
  }
}

/** Set-up through the API: the proposer asks to protect its own resources (REQUESTED already counts as protected). */
async function protectOwnResources(id: string): Promise<void> {
  const npo = await GraphQLClient.create(e2e.baseURL);
  try {
    await npo.login(NPO);
    await npo.query(`mutation($id: ID!) { requestProtection(proposalId: $id, item: { kind: FIELD, fieldName: "ownResources" }, reason: "講師の体制は当法人の独自のノウハウのため") { id } }`, { id });
  } finally {
    await npo.dispose();
  }
}

describe('from the implementation report to the public portal (実施報告書 → 事例の公開)', () => {
  test('the report is written, commented and accepted; the desk composes the case with a preview and publishes it; an anonymous visitor finds it on the portal, by a two-character search and in the feed, and the protected field is nowhere public', async () => {
    const { id, protectedText } = await demoProposal();
    expect(protectedText).toContain('防災士');
    await protectOwnResources(id);

    const section = await signedIn(e2e, 'bousai', 'bousai@demo.renkei.jp');
    const proposer = await signedIn(e2e, 'npo', NPO);
    const desk = await signedIn(e2e, 'desk1', DESK1);
    await section.goto(`/section/proposals/${id}`);
    await proposer.goto(`/proposer/proposals/${id}`);
    await desk.goto(`/desk/proposals/${id}`);

    // The lead section writes the report; the proposer comments on the draft; the desk accepts it.
    const report = { section: new ReportPanel(section), proposer: new ReportPanel(proposer), desk: new ReportPanel(desk) };
    await report.section.write({ periodStart: '2026-06-01', periodEnd: '2026-10-31', activities: '児童館2館で親子防災教室を6回開催し、乳幼児向け備蓄の点検表を配布した', peopleReached: '160', continuation: '継続する' });
    await report.proposer.stateTag('DRAFT').waitFor({ timeout: 15_000 });
    await report.proposer.comment('点検表の配布数も記載をお願いします。');
    await report.section.listedComment('点検表の配布数も記載をお願いします。').waitFor({ timeout: 15_000 });
    await report.section.submit();
    await report.desk.stateTag('SUBMITTED').waitFor({ timeout: 15_000 });
    await report.desk.accept();
    await report.proposer.stateTag('ACCEPTED').waitFor({ timeout: 15_000 });

    // The desk composes the case page: the protected field cannot be placed; the preview shows what the public will see.
    const cases = { desk: new CasePanel(desk), proposer: new CasePanel(proposer) };
    await cases.desk.panel.getByTestId('case-composer').waitFor({ timeout: 15_000 });
    await expect.poll(() => cases.desk.addButton('提案者が提供する資源').isDisabled(), { timeout: 15_000 }).toBe(true);
    await cases.desk.compose({
      title: CASE_TITLE,
      summary: '乳幼児のいる世帯向けに、児童館で親子防災教室を開き、家庭の備蓄を一緒に点検しました。',
      fieldName: '防災・防犯',
      fiscalYear: '2026',
      items: ['解決したい課題', '実施内容', '参加者数・対象者数'],
    });
    expect(await cases.desk.preview.textContent()).not.toContain(protectedText);
    await expectAccessible(desk, 'the desk composing the case page');

    // The proposer reads the same preview and consents; the desk publishes.
    await cases.proposer.preview.getByRole('heading', { name: '実施内容', exact: true }).waitFor({ timeout: 15_000 });
    await cases.proposer.consent();
    await cases.desk.publish();
    await cases.proposer.expectState('PUBLISHED');

    // An anonymous visitor: the home page lists the case; a two-character search finds it; its page reads right.
    const visitorContext = e2e.track(await newPerson(e2e.browser, e2e.baseURL));
    const visitor = await visitorContext.newPage();
    e2e.addDiagnostics(watchPage(visitor, 'visitor'));
    await visitor.goto('/');
    await visitor.getByRole('link', { name: CASE_TITLE }).first().waitFor({ timeout: 15_000 });
    await expectAccessible(visitor, 'the portal home with the new case');

    await visitor.getByRole('searchbox', { name: '検索する言葉' }).fill('防災');
    await visitor.getByRole('searchbox', { name: '検索する言葉' }).press('Enter');
    const hit = visitor.getByRole('link', { name: CASE_TITLE });
    await hit.first().waitFor({ timeout: 15_000 });
    await visitor.locator('mark').filter({ hasText: '防災' }).first().waitFor();
    expect(await visitor.locator('main').textContent()).not.toContain(protectedText);
    await expectAccessible(visitor, 'search results for a two-character term');

    await hit.first().click();
    await visitor.getByRole('heading', { level: 1, name: CASE_TITLE }).waitFor({ timeout: 15_000 });
    await visitor.getByRole('heading', { name: '実施内容' }).waitFor();
    const caseUrl = new URL(visitor.url());
    expect(caseUrl.pathname).toMatch(/^\/cases\/[0-9a-f-]{36}$/);
    expect(await visitor.locator('body').textContent()).not.toContain(protectedText);
    await expectAccessible(visitor, 'the published case page');

    // The protected field's own words find nothing of this case, for anyone not signed in.
    await visitor.goto(`/search?q=${encodeURIComponent('防災士')}`);
    await visitor.getByRole('heading', { name: /検索結果/ }).first().waitFor({ timeout: 15_000 });
    await visitor.getByText(/検索結果 \d+件/).first().waitFor({ timeout: 15_000 });
    expect(await visitor.locator(`a[href="${caseUrl.pathname}"]`).count()).toBe(0);

    // The feed and the sitemap carry the case, never the protected field; nor does the page's HTML (head tags).
    const feed = await (await visitor.request.get('/feeds/cases.atom')).text();
    expect(feed).toContain(CASE_TITLE);
    expect(feed).toContain(caseUrl.pathname);
    const sitemap = await (await visitor.request.get('/sitemap.xml')).text();
    expect(sitemap).toContain(caseUrl.pathname);
    const html = await (await visitor.request.get(caseUrl.pathname)).text();
    expect(html).toContain(CASE_TITLE);
    for (const [where, body] of [['feed', feed], ['sitemap', sitemap], ['case HTML', html]] as const) {
      expect(body, where).not.toContain(protectedText);
      expect(body, where).not.toContain('防災士');
    }
    const listed = await (await visitor.request.post('/graphql', {
      data: { query: '{ publicCases(first: 50) { edges { node { id content { title summary blocks { heading text } } } } } }' },
      headers: { 'content-type': 'application/json' },
    })).text();
    expect(listed).toContain(CASE_TITLE);
    expect(listed).not.toContain(protectedText);
  });
});
