import type { Page } from 'playwright-core';

/** 「通知（未読3件）」: the bell's accessible name as the client words it (notification.bellLabel). */
export function bellName(unread: number): string {
  return unread > 0 ? `通知（未読${unread}件）` : '通知（未読なし）';
}

/** The notification bell (通知) in the header of every signed-in page, and the list it opens. */
export class NotificationBell {
  constructor(readonly page: Page) {}

  get button() {
    return this.page.getByTestId('notification-bell');
  }
  get panel() {
    return this.page.getByTestId('notification-panel');
  }
  get items() {
    return this.panel.getByTestId('notification-item');
  }

  /** Opens the list (which marks what it shows read). */
  async open() {
    if ((await this.button.getAttribute('aria-expanded')) !== 'true') await this.button.click();
    await this.panel.getByRole('heading', { name: '通知', exact: true }).waitFor({ timeout: 15_000 });
  }

  /** Closes the list with Escape; focus returns to the bell. */
  async close() {
    await this.page.keyboard.press('Escape');
    await this.panel.waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /** Waits until the bell's accessible name says `n` unread (live updates included). */
  async expectUnread(n: number) {
    await this.page.getByRole('button', { name: bellName(n), exact: true }).waitFor({ timeout: 15_000 });
  }

  /** Waits until an item of the open list contains `text` (e.g. 「佐藤さんがあなたをメンションしました」 or a proposal title). */
  async expectItem(text: string) {
    await this.items.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
  }

  /** Follows the first item containing `text` to its proposal. */
  async follow(text: string) {
    await this.items.filter({ hasText: text }).first().getByRole('link').click();
  }
}
