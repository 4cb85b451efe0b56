import type { Page } from 'playwright-core';

export interface OrganisationDetails {
  kindLabel: string;
  name: string;
  nameKana: string;
  corporateNumber: string;
  address: string;
  representative: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  displayName: string;
  email: string;
  password: string;
}

/** Organisation registration `/register` (団体の登録). */
export class RegisterPage {
  static readonly path = '/register';

  constructor(readonly page: Page) {}

  get heading() {
    return this.page.getByRole('heading', { level: 1, name: '団体の登録' });
  }
  field(label: string) {
    return this.page.getByLabel(label, { exact: true });
  }

  async goto() {
    await this.page.goto(RegisterPage.path);
    await this.heading.waitFor();
  }

  async register(details: OrganisationDetails) {
    await this.field('団体の種類').selectOption({ label: details.kindLabel });
    await this.field('団体名').fill(details.name);
    await this.field('団体名（フリガナ）').fill(details.nameKana);
    await this.field('法人番号').fill(details.corporateNumber);
    await this.field('所在地').fill(details.address);
    await this.field('代表者名').fill(details.representative);
    await this.field('担当者名').fill(details.contactName);
    await this.field('担当者のメールアドレス').fill(details.contactEmail);
    await this.field('担当者の電話番号').fill(details.contactPhone);
    await this.field('あなたのお名前').fill(details.displayName);
    await this.field('メールアドレス').fill(details.email);
    await this.field('パスワード').fill(details.password);
    await this.page.getByRole('button', { name: '登録する', exact: true }).click();
    await this.page.waitForURL((url) => url.pathname.startsWith('/proposer'), { timeout: 15_000 });
  }
}
