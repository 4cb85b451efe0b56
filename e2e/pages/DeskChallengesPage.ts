import type { Page } from 'playwright-core';
import { ConnectionIndicator } from './ConnectionIndicator.ts';

/** The desk's challenge list `/desk/challenges`. */
export class DeskChallengesPage {
  static readonly path = '/desk/challenges';
  readonly connection: ConnectionIndicator;

  constructor(readonly page: Page) {
    this.connection = new ConnectionIndicator(page);
  }

  get heading() {
    return this.page.getByRole('heading', { level: 1, name: '行政課題の管理' });
  }
  get table() {
    return this.page.getByRole('table').first();
  }
  /** The title link of a challenge in the table. */
  titleLink(title: string) {
    return this.table.getByRole('link', { name: title });
  }
  /** The first body row's first link (a challenge's title). */
  get firstTitleLink() {
    return this.table.locator('tbody tr').first().getByRole('link').first();
  }

  async goto() {
    await this.page.goto(DeskChallengesPage.path);
    await this.heading.waitFor();
    await this.table.waitFor();
  }

  /** Title and id of the first challenge in the table (the id is read from its link). */
  async firstChallenge(): Promise<{ id: string; title: string }> {
    const link = this.firstTitleLink;
    await link.waitFor();
    const href = (await link.getAttribute('href')) ?? '';
    const id = /\/desk\/challenges\/([^/?#]+)/.exec(href)?.[1];
    if (!id) throw new Error(`cannot read a challenge id from the link href "${href}"`);
    return { id: decodeURIComponent(id), title: (await link.innerText()).trim() };
  }
}
