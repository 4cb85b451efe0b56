import type { Page } from 'playwright-core';

export type ConnectionState = 'connected' | 'connecting' | 'disconnected';

/** The header's live-connection indicator: role="status" with data-state. */
export class ConnectionIndicator {
  constructor(readonly page: Page) {}

  get locator() {
    return this.page.locator('[role="status"][data-state]').first();
  }

  async state(): Promise<ConnectionState | null> {
    if ((await this.locator.count()) === 0) return null;
    return (await this.locator.getAttribute('data-state')) as ConnectionState | null;
  }

  /** Waits until the indicator shows `state`. */
  async waitFor(state: ConnectionState, timeout = 20_000) {
    await this.page.waitForSelector(`[role="status"][data-state="${state}"]`, { timeout, state: 'attached' });
  }
}
