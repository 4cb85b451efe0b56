import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The case page panel (事例ページ) in a proposal's workspace: the desk composes and publishes,
 * the proposer reads the preview and consents, sections read its state.
 */
export class CasePanel {
  constructor(readonly page: Page) {
    // Publishing asks for confirmation in a native dialog.
    page.on('dialog', (dialog) => void dialog.accept());
  }

  get panel() {
    return this.page.getByTestId('case-panel');
  }

  get preview() {
    return this.panel.getByTestId('case-preview');
  }

  addButton(itemLabel: string) {
    return this.panel.getByRole('button', { name: `「${itemLabel}」を追加` });
  }

  /** The desk fills the page's own words, its field and year, and places items in order; then saves. */
  async compose(page: { title?: string; summary: string; fieldName: string; fiscalYear: string; items: string[] }) {
    await this.panel.getByTestId('case-composer').waitFor({ timeout: 15_000 });
    if (page.title) await this.panel.getByLabel('事例の題名').fill(page.title);
    await this.panel.getByLabel('概要').fill(page.summary);
    await this.panel.getByRole('checkbox', { name: page.fieldName }).check();
    await this.panel.getByLabel('年度').fill(page.fiscalYear);
    for (const item of page.items) await this.addButton(item).click();
    await this.panel.getByRole('button', { name: '下書きを保存' }).click();
    for (const item of page.items) await this.preview.getByRole('heading', { name: item, exact: true }).waitFor({ timeout: 15_000 });
  }

  async consent() {
    await this.panel.getByRole('button', { name: '公開に同意する' }).click();
    await this.panel.getByTestId('case-consent-given').waitFor({ timeout: 15_000 });
  }

  async publish() {
    const publish = this.panel.getByRole('button', { name: '公開する' });
    await expect.poll(() => publish.getAttribute('aria-disabled'), { timeout: 15_000 }).toBeNull();
    await publish.click();
    await this.expectState('PUBLISHED');
  }

  async expectState(state: 'DRAFT' | 'PUBLISHED' | 'WITHDRAWN') {
    await this.panel.locator(`[data-testid="case-state"][data-state="${state}"]`).waitFor({ timeout: 15_000 });
  }
}
