import type { Page } from 'playwright-core';

export interface ReportContent {
  periodStart?: string;
  periodEnd?: string;
  activities?: string;
  /** Actual results by agreed indicator name. */
  actuals?: Record<string, string>;
  peopleReached?: string;
  wardCostYen?: string;
  partnerContribution?: string;
  partnerContributionYen?: string;
  issues?: string;
  nextSteps?: string;
  continuation?: '継続する' | '終了する' | '未定';
}

/** The report's states as the Japanese UI words them. */
const STATE_LABELS = { DRAFT: '下書き', SUBMITTED: '提出済み（窓口確認中）', RETURNED: '修正依頼あり', ACCEPTED: '受理済み' } as const;
export type ReportStateName = keyof typeof STATE_LABELS;

/**
 * The implementation report (実施報告書) panel of a proposal's page, for every role: the lead
 * section writes and submits, the proposer comments on the draft, the desk returns it with a note
 * or accepts it. Labels are the Japanese UI's. Submitting and accepting ask for a confirmation
 * (window.confirm), accepted here.
 */
export class ReportPanel {
  constructor(readonly page: Page) {}

  get panel() {
    return this.page.getByTestId('report-panel');
  }
  get form() {
    return this.page.getByTestId('report-form');
  }
  get comments() {
    return this.page.getByTestId('report-comments');
  }
  /** A listed comment (live, on any role's page). */
  listedComment(text: string) {
    return this.comments.getByTestId('report-comment').filter({ hasText: text });
  }
  /** The state tag, with the state also in data-state. */
  stateTag(state: ReportStateName) {
    return this.panel.locator(`[data-testid="report-state"][data-state="${state}"]`).filter({ hasText: STATE_LABELS[state] });
  }

  /** The lead section starts the report if needed, fills what is given and saves the draft. */
  async write(content: ReportContent = {}) {
    const start = this.panel.getByRole('button', { name: '実施報告書を作成する', exact: true });
    // Wait for the panel to settle on one or the other: isVisible() alone does not wait.
    await start.or(this.form).first().waitFor({ timeout: 15_000 });
    if (await start.isVisible()) await start.click();
    const form = this.form;
    await form.waitFor();
    if (content.periodStart !== undefined) await form.getByLabel('実施期間（開始）', { exact: true }).fill(content.periodStart);
    if (content.periodEnd !== undefined) await form.getByLabel('実施期間（終了）', { exact: true }).fill(content.periodEnd);
    await form.getByLabel('実施内容', { exact: true }).fill(content.activities ?? '区立施設2か所で実施し、防災訓練で活用した');
    const rows = form.getByTestId('report-indicator');
    for (let i = 0; i < (await rows.count()); i += 1) {
      const row = rows.nth(i);
      const name = (await row.locator('strong').innerText()).trim();
      await row.getByLabel(`${name}の実績`, { exact: true }).fill(content.actuals?.[name] ?? '達成');
    }
    await form.getByLabel('参加者数・対象者数', { exact: true }).fill(content.peopleReached ?? '120');
    if (content.wardCostYen !== undefined) await form.getByLabel('区の費用負担（円）', { exact: true }).fill(content.wardCostYen);
    if (content.partnerContribution !== undefined) await form.getByLabel('提案者の負担・提供', { exact: true }).fill(content.partnerContribution);
    if (content.partnerContributionYen !== undefined) await form.getByLabel('提案者の負担の金額換算（円）', { exact: true }).fill(content.partnerContributionYen);
    if (content.issues !== undefined) await form.getByLabel('課題', { exact: true }).fill(content.issues);
    if (content.nextSteps !== undefined) await form.getByLabel('今後の展開', { exact: true }).fill(content.nextSteps);
    if (content.continuation) await form.getByLabel(content.continuation, { exact: true }).check();
    await form.getByRole('button', { name: '下書きを保存', exact: true }).click();
    await this.panel.getByText('下書きを保存しました。').waitFor();
  }

  /** The lead section submits the report to the desk (confirming). */
  async submit() {
    this.page.once('dialog', (dialog) => void dialog.accept());
    await this.form.getByRole('button', { name: '窓口に提出する', exact: true }).click();
    await this.stateTag('SUBMITTED').waitFor({ timeout: 15_000 });
  }

  /** Whoever may comment (the proposer, an accepted section) sends a comment on the draft. */
  async comment(text: string) {
    await this.comments.getByLabel('コメント', { exact: true }).fill(text);
    await this.comments.getByRole('button', { name: 'コメントを送信', exact: true }).click();
    await this.listedComment(text).waitFor({ timeout: 15_000 });
  }

  /** The desk returns the submitted report with a note (修正依頼). */
  async returnWithNote(note: string) {
    await this.panel.getByRole('button', { name: '修正を依頼する', exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: '実施報告書の修正依頼' });
    await dialog.getByLabel('修正してほしい点').fill(note);
    await dialog.getByRole('button', { name: '修正を依頼する', exact: true }).click();
    await this.stateTag('RETURNED').waitFor({ timeout: 15_000 });
  }

  /** The desk accepts the submitted report (confirming): the proposal becomes 実施報告済み. */
  async accept() {
    this.page.once('dialog', (dialog) => void dialog.accept());
    await this.panel.getByRole('button', { name: '受理する', exact: true }).click();
    await this.stateTag('ACCEPTED').waitFor({ timeout: 15_000 });
  }

  /** The report's state, in words and as data (the state is never shown by colour alone). */
  async expectState(state: ReportStateName) {
    await this.stateTag(state).waitFor({ timeout: 15_000 });
  }
}
