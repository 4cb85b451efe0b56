import type { Page } from 'playwright-core';

export interface NoCostAgreementOptions {
  /** 協定 by default; NO_AGREEMENT is 協定によらない. */
  form?: '協定' | '協定によらない';
  startDate?: string;
  endDate?: string;
  scope?: string;
  wardResponsibilities?: string;
  proposerResponsibilities?: string;
  indicators?: Array<{ name: string; target: string }>;
}

/**
 * The partnership part of a proposal's page (desk, section and proposer alike): the desk's
 * 合意の記録 form, the agreed content (合意の内容), 事業の開始 for the lead section, and
 * 進捗とマイルストーン. Labels are the Japanese UI's.
 */
export class DecisionPanel {
  constructor(readonly page: Page) {}

  get form() {
    return this.page.getByTestId('decision-form-panel');
  }
  get summary() {
    return this.page.getByTestId('decision-summary');
  }
  get workStart() {
    return this.page.getByTestId('work-start');
  }
  get progress() {
    return this.page.getByTestId('progress-notes');
  }
  /** The proposal's state as shown in the facts at the top of the page. */
  stateTag(label: string) {
    return this.page.locator('dl.facts dd').getByText(label, { exact: true }).first();
  }
  /** 事業を開始する: shown to the accepted lead section only (a supporting section never sees it). */
  get startWorkButton() {
    return this.page.getByRole('button', { name: '事業を開始する', exact: true });
  }
  /** The error shown beside a field of the decision form, e.g. fieldError('契約手続き'). */
  fieldError(label: string) {
    return this.form.locator('.form-field, fieldset').filter({ has: this.page.getByLabel(label, { exact: true }) }).locator('.field-error').first();
  }
  progressNote(text: string) {
    return this.progress.getByTestId('progress-note').filter({ hasText: text });
  }

  /** The desk records a no-cost 協定 (the guideline's principle) with one indicator unless told otherwise. */
  async recordNoCostAgreement(options: NoCostAgreementOptions = {}) {
    await this.fillNoCostAgreement(options);
    await this.form.getByRole('button', { name: '合意を記録する', exact: true }).click();
  }

  /** Fills the decision form for a no-cost partnership without sending it. */
  async fillNoCostAgreement(options: NoCostAgreementOptions = {}) {
    const form = this.form;
    await form.getByRole('heading', { name: '合意の記録' }).waitFor();
    await form.getByRole('button', { name: '合意の内容を入力する', exact: true }).click();
    await form.getByLabel(options.form ?? '協定', { exact: true }).check();
    await form.getByLabel('区の費用負担なし（原則）', { exact: true }).check();
    await form.getByLabel('開始日', { exact: true }).fill(options.startDate ?? '2027-04-01');
    await form.getByLabel('終了日', { exact: true }).fill(options.endDate ?? '2028-03-31');
    await form.getByLabel('事業の範囲', { exact: true }).fill(options.scope ?? '区立施設2か所での実証');
    await form.getByLabel('区の役割', { exact: true }).fill(options.wardResponsibilities ?? '施設の使用許可と周知');
    await form.getByLabel('提案者の役割', { exact: true }).fill(options.proposerResponsibilities ?? '設備の設置・保守と効果測定');
    const indicators = options.indicators ?? [{ name: '参加者数', target: '年100人' }];
    for (const [i, indicator] of indicators.entries()) {
      if (i > 0) await form.getByRole('button', { name: '指標を追加', exact: true }).click();
      await form.getByLabel('指標名', { exact: true }).nth(i).fill(indicator.name);
      await form.getByLabel('目標', { exact: true }).nth(i).fill(indicator.target);
    }
  }

  /**
   * Bad input: a ward cost with an amount but no procurement route. The form refuses it beside the
   * field (区の費用負担がある場合は、契約手続きを選択してください。) and nothing is sent.
   */
  async tryWardCostWithoutRoute(amount = '500000') {
    await this.fillNoCostAgreement();
    await this.form.getByLabel('区の費用負担あり', { exact: true }).check();
    await this.form.getByLabel('区の負担額（円）', { exact: true }).fill(amount);
    await this.form.getByRole('button', { name: '合意を記録する', exact: true }).click();
    await this.fieldError('契約手続き').waitFor();
  }

  /** After recording: the agreed content is shown and the state reads 合意. */
  async expectAgreed(formLabel = '協定') {
    await this.summary.getByTestId('decision-form').getByText(formLabel, { exact: true }).waitFor({ timeout: 15_000 });
    await this.stateTag('合意').waitFor({ timeout: 15_000 });
  }

  /** The desk's way to 見送り from the decision panel: opens the reason dialog and confirms. */
  async recordNotRealized(reason: string) {
    await this.form.getByRole('button', { name: '見送りとして記録する', exact: true }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('理由', { exact: true }).fill(reason);
    await dialog.getByRole('button', { name: '見送り', exact: true }).click();
  }

  /** The accepted lead section starts the work (AGREED → IN_PROGRESS). */
  async startWork() {
    await this.workStart.getByRole('button', { name: '事業を開始する', exact: true }).click();
  }

  async expectInProgress() {
    await this.stateTag('事業実施中').waitFor({ timeout: 15_000 });
  }

  /** The desk or an accepted section records progress; `milestone` ticks マイルストーンとして記録する. */
  async addProgressNote(text: string, options: { milestone?: boolean; happenedOn?: string } = {}) {
    const form = this.progress.locator('form');
    await form.getByLabel('進捗の内容', { exact: true }).fill(text);
    if (options.happenedOn) await form.getByLabel('実施日', { exact: true }).fill(options.happenedOn);
    if (options.milestone) await form.getByLabel('マイルストーンとして記録する', { exact: true }).check();
    await form.getByRole('button', { name: '進捗を記録する', exact: true }).click();
  }

  /** Waits until the note is listed (live, on any role's page); `milestone` checks its tag. */
  async expectProgressNote(text: string, options: { milestone?: boolean } = {}) {
    const note = this.progressNote(text);
    await note.waitFor({ timeout: 15_000 });
    if (options.milestone) await note.getByText('マイルストーン', { exact: true }).waitFor();
  }
}
