import type { Page } from 'playwright-core';
import { ConnectionIndicator } from './ConnectionIndicator.ts';

export const SAVED_MESSAGE = '保存しました';
export const UPDATED_ELSEWHERE_NOTICE = '他の職員がこの行政課題を更新しました';
export const CONFLICT_MESSAGE = '他の職員が先に更新しました';

/** The desk's edit page `/desk/challenges/:id/edit`. */
export class ChallengeEditPage {
  readonly connection: ConnectionIndicator;

  constructor(readonly page: Page) {
    this.connection = new ConnectionIndicator(page);
  }

  static path(id: string) {
    return `/desk/challenges/${encodeURIComponent(id)}/edit`;
  }

  private field(label: string) {
    return this.page.getByLabel(label, { exact: true });
  }
  get title() {
    return this.field('タイトル');
  }
  get description() {
    return this.field('概要');
  }
  get background() {
    return this.field('背景');
  }
  get owningSection() {
    return this.field('所管課');
  }
  get fields() {
    return this.field('分野');
  }
  get periodStart() {
    return this.field('募集開始日');
  }
  get periodEnd() {
    return this.field('募集終了日');
  }
  get contact() {
    return this.field('問い合わせ先');
  }

  button(name: '保存' | '受付開始' | '受付終了' | '公開' | '公開停止') {
    return this.page.getByRole('button', { name, exact: true });
  }

  get savedMessage() {
    return this.page.getByText(SAVED_MESSAGE);
  }
  get updatedElsewhereNotice() {
    return this.page.getByText(UPDATED_ELSEWHERE_NOTICE);
  }
  get conflictMessage() {
    return this.page.getByText(CONFLICT_MESSAGE);
  }

  /** Opens the page and waits until the form holds the challenge (the title is filled in). */
  async goto(id: string) {
    await this.page.goto(ChallengeEditPage.path(id));
    await this.title.waitFor();
    await this.page.waitForFunction(
      (el) => !!el && (el as HTMLInputElement).value.length > 0,
      await this.title.elementHandle(),
    );
  }

  async save() {
    await this.button('保存').click();
  }
}
