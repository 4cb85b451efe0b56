import { describe, expect, test } from 'vitest';
import { DESK1, GraphQLClient, listChallenges } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { newPerson, watchPage } from '../harness/browser.ts';
import { signedIn } from '../harness/people.ts';
import { useE2E } from '../harness/suite.ts';

const e2e = useE2E('site-search');

/** The first word of a title, at least two characters: a search the title must answer. */
function termOf(title: string): string {
  const word = title.split(/\s+/u).find((w) => [...w].length >= 2) ?? title;
  return [...word].slice(0, 4).join('');
}

describe('site search', () => {
  test('a visitor searches from the header with the keyboard, sees marked results, and a clear error for one character', async () => {
    const api = await GraphQLClient.create(e2e.baseURL);
    const published = (await listChallenges(api)).find((c) => c.published);
    await api.dispose();
    expect(published, 'the demo data has a published challenge').toBeDefined();
    const term = termOf(published!.title);

    const context = e2e.track(await newPerson(e2e.browser, e2e.baseURL));
    const page = await context.newPage();
    e2e.addDiagnostics(watchPage(page, 'visitor'));
    await page.goto('/');

    const header = page.getByRole('search', { name: 'サイト内検索' });
    await header.getByRole('searchbox', { name: '検索する言葉' }).fill(term);
    await header.getByRole('searchbox', { name: '検索する言葉' }).press('Enter');
    await page.waitForURL(/\/search\?q=/);
    await page.getByRole('heading', { level: 1, name: 'サイト内検索' }).waitFor();
    await page.getByRole('heading', { level: 2, name: /検索結果 \d+件/ }).waitFor();
    await page.getByRole('link', { name: published!.title }).first().waitFor();
    expect(await page.locator('.search-results mark').count(), 'the match is marked').toBeGreaterThan(0);
    await expectAccessible(page, 'search results');

    // One character: refused by the server, explained next to the input, nothing listed.
    const form = page.getByRole('search', { name: '検索', exact: true });
    const input = form.getByRole('searchbox', { name: '検索する言葉' });
    await input.fill(term.slice(0, 1));
    await input.press('Enter');
    await form.getByText('検索する言葉は、それぞれ2文字以上で入力してください。').waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'a refused search');

    // Following a result by keyboard opens the challenge.
    await input.fill(term);
    await input.press('Enter');
    const link = page.getByRole('link', { name: published!.title }).first();
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/challenges/${published!.id}$`));
  });

  test('the desk finds a proposal and is taken to its desk workspace', async () => {
    const desk = await GraphQLClient.create(e2e.baseURL);
    await desk.login(DESK1);
    const { proposals } = await desk.query<{ proposals: { edges: { node: { id: string; title: string } }[] } }>(`{ proposals(first: 20) { edges { node { id title } } } }`);
    await desk.dispose();
    const target = proposals.edges.map((e) => e.node).find((p) => [...p.title].length >= 2);
    expect(target, 'the demo data has a titled proposal').toBeDefined();

    const page = await signedIn(e2e, 'desk', DESK1);
    await page.goto(`/search?q=${encodeURIComponent(termOf(target!.title))}`);
    const link = page.getByRole('link', { name: target!.title }).first();
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/desk/proposals/${target!.id}`);
    await expectAccessible(page, 'search results for the desk');
  });
});
