import type { Page } from 'playwright-core';

/** What a badge says: 「保護申請中」 until the desk decides, 「保護」 once it agreed, nothing otherwise. */
export type ProtectionBadgeState = 'REQUESTED' | 'AGREED' | null;
const BADGE_TEXT: Record<'REQUESTED' | 'AGREED', string> = { REQUESTED: '保護申請中', AGREED: '保護' };

/**
 * The アイデア保護 panel of a proposal's page (desk, section and proposer alike), and the protection
 * badges beside the proposal's fields. Labels are the Japanese UI's.
 */
export class ProtectionPanel {
  constructor(readonly page: Page) {}

  get panel() {
    return this.page.getByTestId('protection-register');
  }

  /** The proposer chooses a field by its label (e.g. 「提案内容」), asks for protection and gives the reason. */
  async requestFieldProtection(fieldLabel: string, reason: string) {
    await this.panel.getByLabel('保護する対象', { exact: true }).selectOption({ label: fieldLabel });
    await this.panel.getByRole('button', { name: '保護を申請する', exact: true }).click();
    await this.confirmDialog(reason, '保護を申請する');
    await this.panel.getByText('保護を申請しました。').waitFor();
  }

  /** The desk agrees to protect the item named `itemLabel` (a field label or a file name), with a reason. */
  async agree(itemLabel: string, reason: string) {
    await this.panel.getByRole('button', { name: `「${itemLabel}」の保護に同意する`, exact: true }).click();
    await this.confirmDialog(reason, '保護に同意する');
    await this.panel.getByText('保護に同意しました。').waitFor();
  }

  /** The desk declines to protect the item, with a reason. */
  async decline(itemLabel: string, reason: string) {
    await this.panel.getByRole('button', { name: `「${itemLabel}」を保護しない`, exact: true }).click();
    await this.confirmDialog(reason, '保護しない');
    await this.panel.getByText('保護しないことを決定しました。').waitFor();
  }

  /** The badge beside a field's heading in the proposal's content (waits for it: it appears live). */
  fieldBadge(fieldLabel: string) {
    return this.page.locator('.proposal-content h2', { hasText: fieldLabel }).getByTestId('protection-badge');
  }

  /** Waits until the field's badge shows `state` (null: no badge). */
  async expectBadge(fieldLabel: string, state: ProtectionBadgeState, timeout = 10_000) {
    const badge = this.fieldBadge(fieldLabel);
    if (state === null) {
      await badge.waitFor({ state: 'detached', timeout });
      return;
    }
    await this.page.locator(`.proposal-content h2:has-text("${fieldLabel}") [data-testid="protection-badge"][data-state="${state}"]`).waitFor({ timeout });
    const text = (await badge.innerText()).trim();
    if (text !== BADGE_TEXT[state]) throw new Error(`badge of ${fieldLabel} says ${text}, expected ${BADGE_TEXT[state]}`);
  }

  /** The register entry of an item (its row in the panel). */
  entry(itemLabel: string) {
    return this.panel.getByTestId('protection-entry').filter({ has: this.page.getByTestId('protection-entry-item').getByText(itemLabel, { exact: true }) });
  }

  private async confirmDialog(reason: string, confirmLabel: string) {
    const dialog = this.page.getByRole('dialog');
    await dialog.getByRole('textbox').fill(reason);
    await dialog.getByRole('button', { name: confirmLabel, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
  }
}
