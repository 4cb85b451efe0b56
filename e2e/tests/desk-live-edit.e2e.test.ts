import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { DEMO_PASSWORD, DESK1, DESK2 } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { newPerson, watchPage } from '../harness/browser.ts';
import { useE2E } from '../harness/suite.ts';
import { ChallengeEditPage, CONFLICT_MESSAGE, UPDATED_ELSEWHERE_NOTICE } from '../pages/ChallengeEditPage.ts';
import { DeskChallengesPage } from '../pages/DeskChallengesPage.ts';
import { LoginPage } from '../pages/LoginPage.ts';

const e2e = useE2E('desk-live-edit');

async function signedInPage(email: string, name: string, checkLoginA11y = false): Promise<Page> {
  const context = e2e.track(await newPerson(e2e.browser, e2e.baseURL));
  const page = await context.newPage();
  e2e.addDiagnostics(watchPage(page, name));
  const login = new LoginPage(page);
  await login.goto();
  if (checkLoginA11y) await expectAccessible(page, 'the login page');
  await login.login(email, DEMO_PASSWORD);
  return page;
}

describe('desk: two members edit the same challenge live', () => {
  test('desk2 sees desk1’s change without reloading, and a stale save is a conflict', async () => {
    // Two desk members, each in their own browser context, both on the challenge list.
    const page1 = await signedInPage(DESK1, 'desk1', true);
    const page2 = await signedInPage(DESK2, 'desk2');
    const list1 = new DeskChallengesPage(page1);
    const list2 = new DeskChallengesPage(page2);
    await list1.goto();
    await list2.goto();
    await list1.connection.waitFor('connected');
    await list2.connection.waitFor('connected');
    await expectAccessible(page1, 'the desk challenge list');

    // The challenge both will work on: the first one of desk2's table.
    const target = await list2.firstChallenge();

    // desk2 also has that challenge's edit page open in a second tab, before the change.
    const staleTab = await page2.context().newPage();
    e2e.addDiagnostics(watchPage(staleTab, 'desk2 edit tab'));
    const stale = new ChallengeEditPage(staleTab);
    await stale.goto(target.id);
    await stale.connection.waitFor('connected');

    // A marker on desk2's list page: it survives only if the page is never reloaded.
    await page2.evaluate(() => {
      (window as unknown as { __e2eMarker: string }).__e2eMarker = 'not reloaded';
    });
    let loads = 0;
    page2.on('load', () => loads++);

    // desk1 changes the title and saves.
    const edit1 = new ChallengeEditPage(page1);
    await edit1.goto(target.id);
    await expectAccessible(page1, 'the challenge edit page');
    const newTitle = `${target.title.slice(0, 40)}（E2E更新 ${Date.now().toString(36)}）`;
    await edit1.title.fill(newTitle);
    await edit1.save();
    await edit1.savedMessage.waitFor();

    // desk2's list shows the new title, live.
    await list2.titleLink(newTitle).waitFor({ timeout: 15_000 });
    expect(await page2.evaluate(() => (window as unknown as { __e2eMarker?: string }).__e2eMarker)).toBe('not reloaded');
    expect(loads, 'desk2’s list page was not reloaded').toBe(0);
    expect(new URL(page2.url()).pathname).toBe(DeskChallengesPage.path);

    // desk2's open edit tab is told that someone else changed the challenge.
    await stale.updatedElsewhereNotice.waitFor({ timeout: 15_000 });
    expect(await stale.updatedElsewhereNotice.first().innerText()).toContain(UPDATED_ELSEWHERE_NOTICE);

    // Saving the stale form is a conflict, never a silent overwrite.
    await stale.description.fill(`${await stale.description.inputValue()}（desk2 の古いフォームからの変更）`);
    await stale.save();
    await stale.conflictMessage.first().waitFor({ timeout: 15_000 });
    expect(await stale.conflictMessage.first().innerText()).toContain(CONFLICT_MESSAGE);

    // desk1's title is still the one saved: the stale save did not overwrite it.
    await list1.goto();
    await list1.titleLink(newTitle).waitFor();
  });
});
