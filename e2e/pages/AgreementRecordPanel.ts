import type { Page } from 'playwright-core';

export interface AgreementRecordOptions {
  title?: string;
  /** One per line; by default the form starts with 板橋区 and the proposing organisation. */
  parties?: string[];
  signedOn?: string;
  termStart?: string;
  termEnd?: string;
}

/** 協定書・契約書 on a proposal's page: the record (title, parties, dates) and its signed PDF. */
export class AgreementRecordPanel {
  constructor(readonly page: Page) {}

  get panel() {
    return this.page.getByTestId('agreement-record');
  }
  get title() {
    return this.panel.getByTestId('agreement-title');
  }
  get document() {
    return this.panel.getByTestId('agreement-document');
  }
  documentLink(fileName: string) {
    return this.document.getByRole('link', { name: `${fileName} をダウンロード` });
  }

  /** The desk records (or, after 記録を修正する, corrects) the agreement record. */
  async record(options: AgreementRecordOptions = {}) {
    const panel = this.panel;
    if (await panel.getByRole('button', { name: '記録を修正する', exact: true }).isVisible()) {
      await panel.getByRole('button', { name: '記録を修正する', exact: true }).click();
    }
    await panel.getByLabel('件名', { exact: true }).fill(options.title ?? '公民連携に関する協定書');
    if (options.parties) await panel.getByLabel('締結者', { exact: true }).fill(options.parties.join('\n'));
    await panel.getByLabel('締結日', { exact: true }).fill(options.signedOn ?? '2027-03-20');
    if (options.termStart) await panel.getByLabel('期間の開始日', { exact: true }).fill(options.termStart);
    if (options.termEnd) await panel.getByLabel('期間の終了日', { exact: true }).fill(options.termEnd);
    await panel.getByRole('button', { name: '協定書・契約書を記録する', exact: true }).click();
    await this.title.getByText(options.title ?? '公民連携に関する協定書', { exact: true }).waitFor({ timeout: 15_000 });
  }

  /** The desk files the signed PDF; waits until the record links to it. */
  async uploadDocument(fileName: string, bytes: Buffer) {
    await this.panel.getByLabel('署名済みの文書（PDF）を登録', { exact: true }).setInputFiles({ name: fileName, mimeType: 'application/pdf', buffer: bytes });
    await this.documentLink(fileName).waitFor({ timeout: 15_000 });
  }
}
