import type { Page } from 'playwright-core';

/** デスク担当者 on the desk's proposal page: the picker beside 役割分担, and what the panel shows. */
export class DeskOwnerSelect {
  constructor(readonly page: Page) {}

  get picker() {
    return this.page.getByTestId('desk-owner');
  }
  /** The desk owner as the responsibility panel (役割分担) shows it, on any role's page. */
  get shownOwner() {
    return this.page.getByRole('region', { name: '役割分担' }).locator('dt', { hasText: 'デスク担当者' }).locator('xpath=following-sibling::dd[1]');
  }

  async assign(displayName: string) {
    await this.picker.getByLabel('デスク担当者', { exact: true }).selectOption({ label: displayName });
    await this.picker.getByRole('button', { name: '担当者にする', exact: true }).click();
    await this.expectOwner(displayName);
  }

  async expectOwner(displayName: string) {
    await this.shownOwner.getByText(displayName, { exact: true }).waitFor({ timeout: 15_000 });
  }
}
