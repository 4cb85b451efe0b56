import type { Page } from 'playwright-core';

/** The desk's accounts `/desk/accounts` (アカウントの管理): search, disable and enable with a reason. */
export class DeskAccountsPage {
  static readonly path = '/desk/accounts';

  constructor(readonly page: Page) {}

  get heading() {
    return this.page.getByRole('heading', { level: 1, name: 'アカウントの管理' });
  }
  get search() {
    return this.page.getByLabel('氏名・メールアドレス・所属（課・団体）で検索');
  }
  get searchButton() {
    return this.page.getByRole('search', { name: 'アカウントの検索' }).getByRole('button', { name: '検索', exact: true });
  }
  get table() {
    return this.page.getByRole('table', { name: 'アカウント（新しい順）' });
  }
  /** The row of the account with this e-mail address. */
  row(email: string) {
    return this.table.locator(`tr[data-account-email="${email}"]`);
  }
  disableButton(displayName: string) {
    return this.page.getByRole('button', { name: `${displayName}のアカウントを利用停止にする` });
  }
  enableButton(displayName: string) {
    return this.page.getByRole('button', { name: `${displayName}のアカウントを利用再開にする` });
  }
  get dialog() {
    return this.page.getByRole('dialog');
  }
  get reason() {
    return this.dialog.getByLabel('理由');
  }

  async goto() {
    await this.page.goto(DeskAccountsPage.path);
    await this.heading.waitFor();
  }

  async find(email: string) {
    await this.search.fill(email);
    await this.searchButton.click();
    await this.row(email).waitFor();
  }

  /** Opens the reason dialog by `open`, gives the reason and confirms with `confirm` (the dialog's button). */
  async act(open: () => Promise<void>, reason: string, confirm: string) {
    await open();
    await this.reason.waitFor();
    await this.reason.fill(reason);
    await this.dialog.getByRole('button', { name: confirm, exact: true }).click();
    await this.dialog.waitFor({ state: 'hidden' });
  }
}
