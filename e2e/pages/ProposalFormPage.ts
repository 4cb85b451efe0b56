import type { Page } from 'playwright-core';

/** A proposer's proposal form `/proposer/proposals/new` → `/proposer/proposals/:id` (autosaved). */
export class ProposalFormPage {
  constructor(readonly page: Page) {}

  field(label: string) {
    return this.page.getByLabel(label, { exact: true });
  }
  get savedStatus() {
    return this.page.getByRole('status').filter({ hasText: '保存しました' });
  }
  get attachmentInput() {
    return this.field('添付ファイル');
  }

  /** The proposal's id, once the first autosave has created the draft and the URL carries it. */
  async waitForDraftId(): Promise<string> {
    await this.page.waitForURL(/\/proposer\/proposals\/[0-9a-f-]{36}/, { timeout: 15_000 });
    return /\/proposer\/proposals\/([0-9a-f-]{36})/.exec(this.page.url())![1]!;
  }

  async chooseChallenge(title: string) {
    await this.page.getByLabel('行政課題への提案', { exact: true }).check();
    await this.field('提案する行政課題').selectOption({ label: title });
  }

  async pledgeAndSubmit() {
    for (const pledge of ['営業・宣伝のみを目的とするものではありません', '政治・宗教活動を目的とするものではありません', '反社会的勢力とは一切関係ありません']) {
      await this.page.getByLabel(pledge, { exact: true }).check();
    }
    await this.page.getByRole('button', { name: '提出する', exact: true }).click();
  }

  /** The 受付番号 shown after submission, e.g. 2026-0005. */
  async referenceNumber(): Promise<string> {
    const notice = this.page.getByText(/受付番号.*\d{4}-\d{4}/).first();
    await notice.waitFor({ timeout: 15_000 });
    return /\d{4}-\d{4}/.exec(await notice.innerText())![0];
  }
}
