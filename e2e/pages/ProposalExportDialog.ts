import type { Page } from 'playwright-core';

/** The desk's CSV export dialog on the intake queue (提案一覧をCSVで出力). */
export class ProposalExportDialog {
  constructor(readonly page: Page) {}

  get openButton() {
    return this.page.getByRole('button', { name: 'CSVで出力' });
  }
  get dialog() {
    return this.page.getByRole('dialog', { name: '提案一覧をCSVで出力' });
  }
  column(label: string) {
    return this.dialog.getByRole('checkbox', { name: label, exact: true });
  }
  get includeProtected() {
    return this.dialog.getByRole('checkbox', { name: '保護されている内容も含める（監査記録に残ります）' });
  }
  get selectNone() {
    return this.dialog.getByRole('button', { name: 'すべて外す' });
  }
  get download() {
    return this.dialog.getByRole('link', { name: 'ダウンロード' });
  }
}
