import type { Page } from 'playwright-core';

/** The live minutes (議事録) on a meeting's page. */
export class MinutesEditor {
  constructor(readonly page: Page) {}

  static path(meetingId: string) {
    return `/meetings/${meetingId}`;
  }

  get editor() {
    return this.page.getByTestId('minutes-editor');
  }
  get presence() {
    return this.page.getByTestId('minutes-presence');
  }
  get status() {
    return this.page.getByTestId('minutes-status');
  }

  async ready() {
    await this.editor.waitFor();
    await this.page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="minutes-editor"]') as HTMLTextAreaElement | null;
      return el !== null && !el.disabled && !el.readOnly;
    });
  }

  /** Types at the end of the minutes, key by key, as a person would. */
  async typeAtEnd(text: string, delayMs = 20) {
    await this.editor.focus();
    await this.editor.press('End');
    await this.editor.press('Control+End');
    await this.page.keyboard.type(text, { delay: delayMs });
  }

  async text(): Promise<string> {
    return this.editor.inputValue();
  }

  /** Waits until every change is saved (the status says so). */
  async saved() {
    await this.status.getByText('すべての変更を保存しました').waitFor({ timeout: 15_000 });
  }

  async waitForText(fragment: string) {
    await this.page.waitForFunction(
      (wanted) => ((document.querySelector('[data-testid="minutes-editor"]') as HTMLTextAreaElement | null)?.value ?? '').includes(wanted),
      fragment,
      { timeout: 15_000 },
    );
  }
}
