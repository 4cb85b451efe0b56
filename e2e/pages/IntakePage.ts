import type { Page } from 'playwright-core';
import { ConnectionIndicator } from './ConnectionIndicator.ts';

/** The desk's intake queue `/desk/proposals` (提案の受付) and a proposal's desk page. */
export class IntakePage {
  static readonly path = '/desk/proposals';
  readonly connection: ConnectionIndicator;

  constructor(readonly page: Page) {
    this.connection = new ConnectionIndicator(page);
  }

  get heading() {
    return this.page.getByRole('heading', { level: 1, name: '提案の受付' });
  }
  get table() {
    return this.page.getByRole('table').first();
  }
  titleLink(title: string) {
    return this.table.getByRole('link', { name: title });
  }

  async goto() {
    await this.page.goto(IntakePage.path);
    await this.heading.waitFor();
  }
}
