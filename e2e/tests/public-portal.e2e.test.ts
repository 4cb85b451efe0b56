import { describe, expect, test } from 'vitest';
import { DEMO_PASSWORD, GraphQLClient } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { newPerson, watchPage } from '../harness/browser.ts';
import { useE2E } from '../harness/suite.ts';

const e2e = useE2E('public-portal');

describe('public portal (no login)', () => {
  test('a visitor goes from the home page to challenges, cases and figures; every page is accessible and titled', async () => {
    const context = e2e.track(await newPerson(e2e.browser, e2e.baseURL));
    const page = await context.newPage();
    e2e.addDiagnostics(watchPage(page, 'visitor'));

    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: '板橋区 公民連携デスク' }).waitFor();
    await page.getByRole('heading', { level: 2, name: '募集中の行政課題' }).waitFor();
    expect(await page.title()).toBe('板橋区 公民連携デスク');
    expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toBe('板橋区 公民連携デスク');
    await expectAccessible(page, 'the portal home');

    await page.getByRole('link', { name: '募集中の行政課題をすべて見る' }).click();
    await page.getByRole('heading', { level: 1, name: '募集中の行政課題' }).waitFor();
    await expectAccessible(page, 'the challenge list');

    const nav = page.getByRole('navigation', { name: 'メインメニュー' });
    await nav.getByRole('link', { name: '公民連携の事例' }).click();
    await page.getByRole('heading', { level: 1, name: '公民連携の事例' }).waitFor();
    await page.getByRole('combobox', { name: '年度' }).waitFor();
    expect(await page.title()).toBe('公民連携の事例 | 板橋区 公民連携デスク');
    await expectAccessible(page, 'the case list');

    await nav.getByRole('link', { name: '実績' }).click();
    await page.getByRole('heading', { level: 1, name: '年度別の実績' }).waitFor();
    await page.getByRole('table', { name: /の実績$/ }).waitFor();
    expect(await page.locator('meta[name="description"]').getAttribute('content')).toContain('年度別の実績');
    await expectAccessible(page, 'the figures');

    // A case that is not published (or does not exist) gets a plain "not found", accessibly.
    await page.goto('/cases/00000000-0000-4000-8000-000000000000');
    await page.getByRole('heading', { level: 1, name: '事例が見つかりません' }).waitFor();
    await expectAccessible(page, 'a case that is not published');

    // A published demo case: its page renders the published snapshot, photos from the public file route.
    const api = await GraphQLClient.create(e2e.baseURL);
    const listed = await api.query<{ publicCases: { edges: Array<{ node: { id: string; content: { title: string } } }> } }>(
      '{ publicCases(first: 1) { edges { node { id content { title } } } } }',
    );
    await api.dispose();
    const first = listed.publicCases?.edges[0]?.node;
    expect(first, 'the demo data has a published case').toBeDefined();
    await page.goto(`/cases/${first!.id}`);
    await page.getByRole('heading', { level: 1, name: first!.content.title }).waitFor();
    expect(await page.title()).toBe(`${first!.content.title} | 板橋区 公民連携デスク`);
    for (const photo of await page.locator('.case-content__photo img').all()) {
      await photo.scrollIntoViewIfNeeded();
      await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    }
    await expectAccessible(page, 'a published case');

    // In English the labels change and the page's Japanese content keeps lang="ja".
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('About this case').or(page.getByText('Partner', { exact: true })).first().waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).getAttribute('lang')).toBe('ja');
    await expectAccessible(page, 'a published case in English');
    await page.goto('/figures');
    await page.getByRole('heading', { level: 1, name: 'Figures by fiscal year' }).waitFor();
    await expectAccessible(page, 'the figures in English');
  });

  test('works by keyboard alone: the skip link, a case from the home page, the case filters and the figures year, each focus visible', async () => {
    const api = await GraphQLClient.create(e2e.baseURL);
    const listed = await api.query<{ publicCases: { edges: Array<{ node: { id: string; content: { title: string } } }> } }>(
      '{ publicCases(first: 1) { edges { node { id content { title } } } } }',
    );
    await api.dispose();
    const caseTitle = listed.publicCases.edges[0]!.node.content.title;
    const context = e2e.track(await newPerson(e2e.browser, e2e.baseURL));
    const page = await context.newPage();
    e2e.addDiagnostics(watchPage(page, 'keyboard visitor'));

    await page.goto('/');
    await page.getByRole('link', { name: caseTitle }).first().waitFor();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ text: '本文へ移動', visible: true });
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('main');

    await tabUntil(page, (element) => element.tag === 'A' && element.text === caseTitle);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: caseTitle }).waitFor();

    await page.goto('/cases');
    await page.getByRole('combobox', { name: '年度' }).waitFor();
    await tabUntil(page, (element) => element.id === 'case-filter-year');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => new URL(page.url()).searchParams.get('year')).toMatch(/^\d{4}$/);
    await page.getByRole('link', { name: caseTitle }).or(page.getByText('条件に合う事例はありません。')).first().waitFor();

    await page.goto('/figures');
    await page.getByRole('table', { name: /の実績$/ }).waitFor();
    await tabUntil(page, (element) => element.id === 'figures-year');
    const caption = page.locator('table caption').first();
    const captionBefore = await caption.textContent();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => caption.textContent()).not.toBe(captionBefore);
  });

  test('a signed-out visitor on an open challenge is led to register or to sign in, then to the proposal form', async () => {
    const context = e2e.track(await newPerson(e2e.browser, e2e.baseURL));
    const page = await context.newPage();
    e2e.addDiagnostics(watchPage(page, 'visitor'));
    await page.goto('/challenges');
    await page.getByRole('heading', { level: 1, name: '募集中の行政課題' }).waitFor();
    await page.locator('.challenge-item__title a').first().click();
    await page.getByRole('link', { name: 'この課題に提案する' }).waitFor();
    expect(await page.getByRole('link', { name: 'この課題に提案する' }).getAttribute('href')).toMatch(/^\/register\?challenge=/);
    const challengeId = new URL(page.url()).pathname.split('/').at(-1)!;

    // An organisation already registered signs in and lands on the proposal form for this challenge.
    await page.getByRole('link', { name: '登録済みの団体はログインして提案する' }).click();
    await page.getByLabel('メールアドレス', { exact: true }).fill('proposer@demo.renkei.jp');
    await page.getByLabel('パスワード', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByLabel('パスワード', { exact: true }).press('Enter');
    await page.waitForURL((url) => url.pathname === '/proposer/proposals/new' && url.searchParams.get('challenge') === challengeId);
  });
});

interface FocusedElement {
  tag: string;
  id: string;
  text: string;
  /** A focus indicator is drawn (outline or ring). */
  visible: boolean;
}

/** What has the keyboard focus now, and whether its focus can be seen. */
async function focused(page: import('playwright-core').Page): Promise<FocusedElement> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element) return { tag: '', id: '', text: '', visible: false };
    const style = getComputedStyle(element);
    const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    return { tag: element.tagName, id: element.id, text: (element.textContent ?? '').trim(), visible };
  });
}

/** Presses Tab until the focus is on what `wanted` recognises (at most 80 times); its focus must be visible. */
async function tabUntil(page: import('playwright-core').Page, wanted: (element: FocusedElement) => boolean): Promise<void> {
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press('Tab');
    const element = await focused(page);
    if (wanted(element)) {
      expect(element.visible, `focus on ${element.tag}#${element.id} "${element.text}" is visible`).toBe(true);
      return;
    }
  }
  throw new Error('not reachable by Tab within 80 presses');
}
