import { describe, expect, test } from 'vitest';
import { DESK1 } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { watchPage } from '../harness/browser.ts';
import { demoProposalInDialogue, signedIn } from '../harness/people.ts';
import { useE2E } from '../harness/suite.ts';

const e2e = useE2E('matching');

describe('matching a proposal to sections, live', () => {
  test('the desk matches to two sections of different departments with a lead; one accepts, the other declines and its open browser loses the proposal at once', async () => {
    // A demo proposal under review, moved into dialogue through the API (set-up, not under test).
    const target = await demoProposalInDialogue(e2e.baseURL);

    // The desk matches it to 防災危機管理課 (危機管理部, lead) and 環境政策課 (資源環境部).
    const deskPage = await signedIn(e2e, 'desk1', DESK1);
    await deskPage.goto(`/desk/proposals/${target.id}`);
    await deskPage.getByRole('heading', { name: '所管課へのマッチング' }).waitFor();
    await deskPage.getByLabel('マッチングする所管課', { exact: true }).selectOption([{ label: '防災危機管理課' }, { label: '環境政策課' }]);
    await deskPage.getByLabel('主担当の所管課', { exact: true }).selectOption({ label: '危機管理部 防災危機管理課' });
    await deskPage.getByRole('button', { name: 'マッチングする', exact: true }).click();
    await deskPage.getByText('所管課とマッチングしました。').first().waitFor();
    await expectAccessible(deskPage, 'the desk proposal page with its matches');

    // 防災危機管理課 finds it in its inbox and accepts.
    const bousai = await signedIn(e2e, 'bousai', 'bousai@demo.renkei.jp');
    await bousai.goto('/section/inbox');
    await bousai.getByRole('heading', { level: 1, name: 'マッチングの依頼' }).waitFor();
    await bousai.getByRole('link', { name: target.title }).click();
    await bousai.getByRole('button', { name: '受諾する', exact: true }).click();
    await bousai.getByText('マッチングを受諾しました。').first().waitFor();

    // 環境政策課 has the proposal open in two tabs, and declines in one of them.
    const kankyo = await signedIn(e2e, 'kankyo', 'kankyo@demo.renkei.jp');
    await kankyo.goto(`/section/proposals/${target.id}`);
    await kankyo.getByRole('heading', { name: 'マッチングへの回答' }).waitFor();
    await expectAccessible(kankyo, 'the section proposal page');
    const otherTab = await kankyo.context().newPage();
    e2e.addDiagnostics(watchPage(otherTab, 'kankyo second tab'));
    await otherTab.goto(`/section/proposals/${target.id}`);
    await otherTab.getByText(target.title).first().waitFor();

    await kankyo.getByRole('button', { name: '辞退する', exact: true }).click();
    const dialog = kankyo.getByRole('dialog');
    await dialog.getByLabel('理由', { exact: true }).fill('所管外のため');
    await dialog.getByRole('button', { name: '辞退する', exact: true }).click();

    // The other open tab loses the proposal live: nothing of it stays on screen.
    await otherTab.getByText('この提案は表示できなくなりました').first().waitFor({ timeout: 15_000 });
    expect(await otherTab.getByText(target.title).count()).toBe(0);

    // The desk sees the decline live on the page it has open; the lead is still 防災危機管理課.
    await deskPage.getByText('辞退', { exact: true }).first().waitFor({ timeout: 15_000 });
    await deskPage.getByText('受諾', { exact: true }).first().waitFor();
  });
});
