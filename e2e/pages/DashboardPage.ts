import type { Locator, Page } from 'playwright-core';

/** The desk dashboard `/desk/dashboard` and a section's `/section/dashboard`: figures that link to their lists. */
export class DashboardPage {
  static readonly deskPath = '/desk/dashboard';
  static readonly sectionPath = '/section/dashboard';

  constructor(readonly page: Page) {}

  get deskHeading() {
    return this.page.getByRole('heading', { level: 1, name: '公民連携デスク ダッシュボード' });
  }
  get sectionHeading() {
    return this.page.getByRole('heading', { level: 1, name: '所管課ダッシュボード' });
  }

  /** A headline figure (受付件数, 実現件数, …) by its data-figure name: its link. */
  stat(name: string): Locator {
    return this.page.locator(`[data-figure="${name}"] a`).first();
  }

  /** A cell of a figure table: the panel, the row (its key) and the column (1 = first number). */
  cell(panel: string, row: string, column = 1): Locator {
    return this.page.locator(`[data-panel="${panel}"] tr[data-figure-row="${row}"] td`).nth(column - 1);
  }

  /** The number a locator shows (0 when the row is not there: nothing counted). */
  async numberOf(locator: Locator): Promise<number> {
    // Wait for either the figure or the loaded dashboard before asking whether the figure is there.
    await locator.or(this.page.locator('[data-figure="submitted"], [data-figure="pendingMatches"]')).first().waitFor();
    if ((await locator.count()) === 0) return 0;
    const text = (await locator.first().innerText()).trim();
    return Number(/\d+/.exec(text)?.[0] ?? NaN);
  }

  /** Waits until a figure shows `expected` (the dashboard updates live; no reload). */
  async waitForNumber(locator: Locator, expected: number, timeout = 20_000): Promise<void> {
    const until = Date.now() + timeout;
    let last = NaN;
    while (Date.now() < until) {
      last = await this.numberOf(locator).catch(() => NaN);
      if (last === expected) return;
      await this.page.waitForTimeout(200);
    }
    throw new Error(`figure stayed at ${last}, expected ${expected}`);
  }
}
