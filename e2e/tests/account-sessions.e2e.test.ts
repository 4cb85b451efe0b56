import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { DEMO_PASSWORD, DESK1 } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { signedIn } from '../harness/people.ts';
import { useE2E } from '../harness/suite.ts';
import { AccountSecurityPage } from '../pages/AccountSecurityPage.ts';
import { ConnectionIndicator } from '../pages/ConnectionIndicator.ts';
import { DeskAccountsPage } from '../pages/DeskAccountsPage.ts';
import { LoginPage } from '../pages/LoginPage.ts';

const e2e = useE2E('account-sessions');

/**
 * Keeps, in the page, every state the header's live-connection indicator goes through from now
 * on: a socket closed by the server shows as "disconnected" for a moment before the page moves on.
 */
async function recordConnectionStates(page: Page): Promise<() => Promise<string[]>> {
  await new ConnectionIndicator(page).waitFor('connected');
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { connectionStates: string[] }).connectionStates = seen;
    new MutationObserver(() => {
      const state = document.querySelector('[role="status"][data-state]')?.getAttribute('data-state');
      if (state && seen.at(-1) !== state) seen.push(state);
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  });
  return () => page.evaluate(() => (window as unknown as { connectionStates: string[] }).connectionStates);
}

/** The page was signed out under the person: it is on the login page, says why, and the header shows nobody. */
async function expectSignedOutUnder(page: Page, cameFrom: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === LoginPage.path && url.searchParams.get('ended') === '1', { timeout: 20_000 });
  expect(new URL(page.url()).searchParams.get('redirect')).toBe(cameFrom);
  await new LoginPage(page).sessionEndedNotice.waitFor();
  expect(await page.getByText('ログイン中のアカウント').count()).toBe(0);
}

describe('sessions and live connections end with the account', () => {
  test('the desk disables a proposer whose workspace is open in another browser: that browser loses its connection and is signed out', async () => {
    const proposer = await signedIn(e2e, 'proposer', 'proposer@demo.renkei.jp');
    await proposer.getByRole('heading', { level: 1 }).waitFor();
    const workspace = new URL(proposer.url()).pathname;
    const statesOf = await recordConnectionStates(proposer);

    const desk = await signedIn(e2e, 'desk1', DESK1);
    const accounts = new DeskAccountsPage(desk);
    await accounts.goto();
    await accounts.find('proposer@demo.renkei.jp');
    const name = (await accounts.row('proposer@demo.renkei.jp').getByRole('rowheader').innerText()).split('\n')[0]!.trim();
    await expectAccessible(desk, 'the desk’s accounts');
    await accounts.disableButton(name).click();
    await accounts.reason.waitFor();
    await expectAccessible(desk, 'the disable dialog');
    await accounts.reason.fill('退職のため（テスト）');
    await accounts.dialog.getByRole('button', { name: '利用停止', exact: true }).click();
    await accounts.dialog.waitFor({ state: 'hidden' });
    await accounts.row('proposer@demo.renkei.jp').getByText('停止中', { exact: true }).waitFor();

    await expectSignedOutUnder(proposer, workspace);
    expect(await statesOf()).toContain('disconnected');
    await expectAccessible(proposer, 'the login page after the session ended');
    // The way back in is closed too, with the same answer as a wrong password.
    const login = new LoginPage(proposer);
    await login.email.fill('proposer@demo.renkei.jp');
    await login.password.fill(DEMO_PASSWORD);
    await login.submit.click();
    await proposer.getByText('メールアドレスまたはパスワードが正しくありません。').waitFor();

    // Enabled again (with a reason), the proposer signs in anew.
    await accounts.act(() => accounts.enableButton(name).click(), '確認が取れたため（テスト）', '利用再開');
    await accounts.row('proposer@demo.renkei.jp').getByText('利用中', { exact: true }).waitFor();
    await login.submit.click();
    await proposer.waitForURL((url) => url.pathname === workspace, { timeout: 20_000 });
  });

  test('a proposer’s own password change signs out their other browser, and not this one', async () => {
    const here = await signedIn(e2e, 'npo here', 'npo@demo.renkei.jp');
    const other = await signedIn(e2e, 'npo elsewhere', 'npo@demo.renkei.jp');
    await other.getByRole('heading', { level: 1 }).waitFor();
    const otherPath = new URL(other.url()).pathname;
    const statesOf = await recordConnectionStates(other);

    await here.getByRole('link', { name: 'パスワード・ログイン' }).click();
    const security = new AccountSecurityPage(here);
    await security.heading.waitFor();
    await expectAccessible(here, 'the password page');
    await security.changePassword('wrong password 123', 'a new npo password 2026');
    await here.getByText('現在のパスワードが正しくありません。').waitFor();
    await security.changePassword(DEMO_PASSWORD, 'a new npo password 2026');
    await security.changed.waitFor();
    await expectAccessible(here, 'the password page after the change');

    await expectSignedOutUnder(other, otherPath);
    expect(await statesOf()).toContain('disconnected');
    // This browser stays signed in, live.
    await new ConnectionIndicator(here).waitFor('connected');
    await here.getByRole('link', { name: '提案の一覧' }).click();
    await here.waitForURL((url) => url.pathname === '/proposer');
    expect(await here.getByText('ログイン中のアカウント').count()).toBe(1);
    // The other browser signs in with the new password and is back where it was.
    const login = new LoginPage(other);
    await login.email.fill('npo@demo.renkei.jp');
    await login.password.fill('a new npo password 2026');
    await login.submit.click();
    await other.waitForURL((url) => url.pathname === otherPath, { timeout: 20_000 });
  });
});
