import type { Page } from 'playwright-core';

export class LoginPage {
  /** The client's login route. */
  static readonly path = '/login';

  constructor(readonly page: Page) {}

  get email() {
    return this.page.getByLabel('メールアドレス', { exact: true });
  }
  get password() {
    return this.page.getByLabel('パスワード', { exact: true });
  }
  get submit() {
    return this.page.getByRole('button', { name: 'ログイン', exact: true });
  }

  /** The notice shown when the server ended the session under an open page. */
  get sessionEndedNotice() {
    return this.page.getByText('ログインが終了しました', { exact: false });
  }

  async goto() {
    await this.page.goto(LoginPage.path);
    await this.email.waitFor();
  }

  /** Signs in through the form and waits until the app has left the login page. */
  async login(email: string, password: string) {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
    await this.page.waitForURL((url) => url.pathname !== LoginPage.path, { timeout: 15_000 });
  }
}
