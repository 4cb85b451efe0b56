import type { Page } from 'playwright-core';

/** The public board `/challenges`: published challenges that are open for proposals. */
export class PublicBoardPage {
  constructor(readonly page: Page) {}

  get heading() {
    return this.page.getByRole('heading', { level: 1, name: '募集中の行政課題' });
  }

  /** The link to a challenge, found by its title. */
  challengeLink(title: string) {
    return this.page.getByRole('link', { name: title });
  }

  async goto() {
    await this.page.goto('/challenges');
    await this.heading.waitFor();
  }

  /** Opens a challenge's detail page from the board. */
  async openChallenge(title: string) {
    await this.challengeLink(title).first().click();
    await this.page.getByRole('heading', { level: 1, name: title }).waitFor();
  }
}
