import { describe, expect, test } from 'vitest';
import { createDraftChallenge, DESK1, getChallenge, GraphQLClient, listChallenges } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { newPerson, watchPage } from '../harness/browser.ts';
import { useE2E } from '../harness/suite.ts';
import { PublicBoardPage } from '../pages/PublicBoardPage.ts';

const e2e = useE2E('public-board');

describe('public board (no login)', () => {
  test('a visitor sees a published open challenge, opens it, and never sees a draft', async () => {
    // A published, open demo challenge, as the public API sees it.
    const publicApi = await GraphQLClient.create(e2e.baseURL);
    const visible = await listChallenges(publicApi);
    const open = visible.find((c) => c.status === 'OPEN' && c.published);
    expect(open, 'the demo data has a published OPEN challenge').toBeDefined();

    // A draft created by the desk: unpublished, so the public must not see it anywhere.
    const desk = await GraphQLClient.create(e2e.baseURL);
    await desk.login(DESK1);
    const draftTitle = `E2E下書き ${Date.now().toString(36)}`;
    const draft = await createDraftChallenge(desk, draftTitle);
    expect(draft.published).toBe(false);
    expect(await getChallenge(publicApi, draft.id), 'the public API hides the draft').toBeNull();
    await desk.dispose();
    await publicApi.dispose();

    const context = e2e.track(await newPerson(e2e.browser, e2e.baseURL));
    const page = await context.newPage();
    e2e.addDiagnostics(watchPage(page, 'visitor'));
    const board = new PublicBoardPage(page);

    await board.goto();
    await board.challengeLink(open!.title).first().waitFor();
    expect(await board.challengeLink(draftTitle).count(), 'the draft is not on the board').toBe(0);
    expect(await page.getByText(draftTitle).count(), 'the draft title appears nowhere on the board').toBe(0);
    await expectAccessible(page, 'the public board');

    await board.openChallenge(open!.title);
    await expect(page.getByRole('heading', { level: 1 }).first().innerText()).resolves.toBe(open!.title);
    await expectAccessible(page, 'a challenge detail page');
  });
});
