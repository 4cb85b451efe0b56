import { describe, expect, test } from 'vitest';
import { DESK1, GraphQLClient } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { signedIn } from '../harness/people.ts';
import { useE2E } from '../harness/suite.ts';

const e2e = useE2E('case-publication');
/** The demo partnership REPORTED with the desk's DRAFT case page (seed/demo-cases.ts): the lab's, led by 環境政策課. */
const DEMO_TITLE = '区立公園の落ち葉を堆肥にする資源循環の試行';

async function demoProposalId(): Promise<string> {
  const desk = await GraphQLClient.create(e2e.baseURL);
  try {
    await desk.login(DESK1);
    const { proposals } = await desk.query<{ proposals: { edges: { node: { id: string; title: string } }[] } }>(
      `{ proposals(first: 20, filter: { states: [REPORTED] }) { edges { node { id title } } } }`,
    );
    const found = proposals.edges.find((edge) => edge.node.title === DEMO_TITLE);
    if (!found) throw new Error('the demo data has no reported partnership with a draft case');
    return found.node.id;
  } finally {
    await desk.dispose();
  }
}

describe('publishing a case (事例の公開)', () => {
  test('the desk composes with a live preview, the proposer consents, the desk publishes and withdraws with a reason; everyone sees it live', async () => {
    const id = await demoProposalId();
    const desk = await signedIn(e2e, 'desk1', DESK1);
    const proposer = await signedIn(e2e, 'lab', 'proposer@demo.renkei.jp');
    const section = await signedIn(e2e, 'kankyo', 'kankyo@demo.renkei.jp');
    await desk.goto(`/desk/proposals/${id}`);
    await proposer.goto(`/proposer/proposals/${id}`);
    await section.goto(`/section/proposals/${id}`);
    for (const page of [desk, proposer, section]) page.on('dialog', (dialog) => void dialog.accept());

    const deskPanel = desk.getByTestId('case-panel');
    await deskPanel.getByTestId('case-composer').waitFor({ timeout: 15_000 });
    // Publishing waits for consent: the button says why.
    const publish = deskPanel.getByRole('button', { name: '公開する' });
    await expect.poll(() => publish.getAttribute('aria-disabled'), { timeout: 15_000 }).toBe('true');
    await deskPanel.getByText('提案者の公開への同意がまだありません。').waitFor({ timeout: 15_000 });

    // The proposer asks to protect a field while the desk composes: it is offered no more, and says why.
    const lab = await GraphQLClient.create(e2e.baseURL);
    try {
      await lab.login('proposer@demo.renkei.jp');
      await lab.query(`mutation($id: ID!) { requestProtection(proposalId: $id, item: { kind: FIELD, fieldName: "content" }, reason: "独自の手法のため") { id } }`, { id });
    } finally {
      await lab.dispose();
    }
    const protectedAdd = deskPanel.getByRole('button', { name: '「提案内容」を追加' });
    await expect.poll(() => protectedAdd.isDisabled(), { timeout: 15_000 }).toBe(true);
    await deskPanel.getByText('アイデア保護の申出中のため掲載できません').waitFor({ timeout: 15_000 });

    // The desk adds an item with the keyboard-reachable buttons, saves; the preview shows it.
    await deskPanel.getByRole('button', { name: '「課題」を追加' }).click();
    await deskPanel.getByRole('button', { name: '下書きを保存' }).click();
    await deskPanel.getByTestId('case-preview').getByRole('heading', { name: '課題', exact: true }).waitFor({ timeout: 15_000 });
    await expectAccessible(desk, 'the desk composing a case page');

    // The proposer sees the same preview live and consents.
    const proposerPanel = proposer.getByTestId('case-panel');
    await proposerPanel.getByTestId('case-preview').getByRole('heading', { name: '課題', exact: true }).waitFor({ timeout: 15_000 });
    await expectAccessible(proposer, 'the proposer reading the preview');
    await proposerPanel.getByRole('button', { name: '公開に同意する' }).click();
    await proposerPanel.getByTestId('case-consent-given').waitFor({ timeout: 15_000 });

    // The desk sees the consent without a reload and publishes.
    await expect.poll(() => publish.getAttribute('aria-disabled'), { timeout: 15_000 }).toBeNull();
    await publish.click();
    for (const page of [desk, proposer, section]) {
      await page.getByTestId('case-panel').locator('[data-testid="case-state"][data-state="PUBLISHED"]').waitFor({ timeout: 15_000 });
    }
    expect(await section.getByTestId('case-composer').count()).toBe(0);

    // Withdrawn with a reason, in the dialog.
    await deskPanel.getByRole('button', { name: '公開を取り下げる' }).click();
    const dialog = desk.getByRole('dialog');
    await dialog.getByRole('textbox').fill('掲載内容の確認のため一時的に取り下げます');
    await dialog.getByRole('button', { name: '取り下げる' }).click();
    await proposer.getByTestId('case-panel').locator('[data-testid="case-state"][data-state="WITHDRAWN"]').waitFor({ timeout: 15_000 });
    await proposer.getByText('掲載内容の確認のため一時的に取り下げます').first().waitFor({ timeout: 15_000 });
  });
});
