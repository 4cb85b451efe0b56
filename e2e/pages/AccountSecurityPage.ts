import type { Page } from 'playwright-core';

/** The person's own `/settings/password` (パスワードとログイン): change the password, sign out everywhere. */
export class AccountSecurityPage {
  static readonly path = '/settings/password';

  constructor(readonly page: Page) {}

  get heading() {
    return this.page.getByRole('heading', { level: 1, name: 'パスワードとログイン' });
  }
  get currentPassword() {
    return this.page.getByLabel('現在のパスワード', { exact: true });
  }
  get newPassword() {
    return this.page.getByLabel('新しいパスワード', { exact: true });
  }
  get confirmPassword() {
    return this.page.getByLabel('新しいパスワード（確認）', { exact: true });
  }
  get change() {
    return this.page.getByRole('button', { name: 'パスワードを変更', exact: true });
  }
  get changed() {
    return this.page.locator('#main').getByText('パスワードを変更しました。', { exact: false });
  }

  async changePassword(current: string, next: string) {
    await this.currentPassword.fill(current);
    await this.newPassword.fill(next);
    await this.confirmPassword.fill(next);
    await this.change.click();
  }
}
