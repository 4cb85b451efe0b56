import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { DEMO_PASSWORD, DESK1, GraphQLClient, listChallenges } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { newPerson, watchPage } from '../harness/browser.ts';
import { useE2E } from '../harness/suite.ts';
import { IntakePage } from '../pages/IntakePage.ts';
import { LoginPage } from '../pages/LoginPage.ts';
import { ProposalFormPage } from '../pages/ProposalFormPage.ts';
import { RegisterPage } from '../pages/RegisterPage.ts';

const e2e = useE2E('proposal-intake');

/** A 法人番号 with a correct check digit (National Tax Agency formula) for a made-up base number. */
function corporateNumber(base12: string): string {
  const digits = [...base12].map(Number).reverse();
  const sum = digits.reduce((acc, digit, index) => acc + digit * (index % 2 === 0 ? 1 : 2), 0);
  return `${9 - (sum % 9)}${base12}`;
}

const MINIMAL_PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function personAt(name: string, path: string): Promise<Page> {
  const context = e2e.track(await newPerson(e2e.browser, e2e.baseURL));
  const page = await context.newPage();
  e2e.addDiagnostics(watchPage(page, name));
  await page.goto(path);
  return page;
}

describe('proposal intake, live', () => {
  test('an organisation registers and submits to a challenge; the desk sees it arrive and accepts it; the proposer sees that live; another organisation cannot find it', async () => {
    const api = await GraphQLClient.create(e2e.baseURL);
    const challenge = (await listChallenges(api)).find((c) => c.status === 'OPEN' && c.published);
    expect(challenge, 'the demo data has a published OPEN challenge').toBeDefined();
    await api.dispose();

    // The desk is already watching the intake queue in its own browser.
    const deskPage = await personAt('desk1', LoginPage.path);
    await new LoginPage(deskPage).login(DESK1, DEMO_PASSWORD);
    const intake = new IntakePage(deskPage);
    await intake.goto();
    await intake.connection.waitFor('connected');
    await expectAccessible(deskPage, 'the intake queue');
    let deskLoads = 0;
    deskPage.on('load', () => deskLoads++);

    // A new organisation registers.
    const unique = Date.now().toString(36);
    const proposerPage = await personAt('proposer', RegisterPage.path);
    const register = new RegisterPage(proposerPage);
    await register.heading.waitFor();
    await expectAccessible(proposerPage, 'the registration page');
    await register.register({
      kindLabel: '株式会社などの企業',
      name: `株式会社E2Eテスト${unique}`,
      nameKana: 'イーツーイーテスト',
      corporateNumber: corporateNumber(`9999${String(Date.now()).slice(-8)}`),
      address: '東京都板橋区板橋2-66-1',
      representative: '代表 太郎',
      contactName: '担当 花子',
      contactEmail: `contact-${unique}@e2e.renkei.jp`,
      contactPhone: '03-3964-1111',
      displayName: '担当 花子',
      email: `member-${unique}@e2e.renkei.jp`,
      password: 'e2e-password-2026',
    });

    // It drafts a proposal to the published challenge; the form saves as it is typed.
    await proposerPage.getByRole('link', { name: '新しい提案' }).first().click();
    const form = new ProposalFormPage(proposerPage);
    await form.chooseChallenge(challenge!.title);
    const title = `E2E提案 ${unique}`;
    await form.field('提案の名称').fill(title);
    const proposalId = await form.waitForDraftId();
    await form.field('解決したい課題').fill('要配慮者に避難情報が届かない');
    await form.field('提案内容').fill('多言語・音声で避難情報を届ける仕組みを無償で提供する');
    await form.field('期待される効果').fill('避難の遅れを減らす');
    await form.savedStatus.waitFor();
    await form.attachmentInput.setInputFiles({ name: '提案書.pdf', mimeType: 'application/pdf', buffer: MINIMAL_PDF });
    await proposerPage.getByRole('link', { name: /提案書\.pdf/ }).waitFor();
    await expectAccessible(proposerPage, 'the proposal form');
    await form.pledgeAndSubmit();
    const reference = await form.referenceNumber();
    expect(reference).toMatch(/^\d{4}-\d{4}$/);

    // The desk's queue shows it without a reload; the desk accepts it for review.
    await intake.titleLink(title).waitFor({ timeout: 15_000 });
    expect(deskLoads, 'the intake page was not reloaded').toBe(0);
    await intake.titleLink(title).click();
    await deskPage.getByRole('button', { name: '審査を開始', exact: true }).click();

    // The proposer sees the new state live, on the page it already has open.
    await proposerPage.getByText('審査中', { exact: true }).first().waitFor({ timeout: 15_000 });

    // A member of another organisation finds it neither in its list nor by its URL.
    const otherPage = await personAt('npo member', LoginPage.path);
    await new LoginPage(otherPage).login('npo@demo.renkei.jp', DEMO_PASSWORD);
    await otherPage.goto('/proposer');
    await otherPage.getByRole('heading', { level: 1, name: '提案の一覧' }).waitFor();
    expect(await otherPage.getByText(title).count()).toBe(0);
    await otherPage.goto(`/proposer/proposals/${proposalId}`);
    await otherPage.getByText('見つかりません').first().waitFor();
    expect(await otherPage.getByText(title).count()).toBe(0);
  });
});
