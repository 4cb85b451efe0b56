import type { Page } from 'playwright-core';

/** The desk's audit trail `/desk/audit` (監査記録). */
export class AuditPage {
  static readonly path = '/desk/audit';

  constructor(readonly page: Page) {}

  get heading() {
    return this.page.getByRole('heading', { level: 1, name: '監査記録' });
  }
  get actionFilter() {
    return this.page.getByLabel('操作の種類');
  }
  get table() {
    return this.page.getByRole('table', { name: '監査記録' });
  }
}
