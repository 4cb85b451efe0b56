import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { DEMO_PASSWORD, DESK1 } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { newPerson, watchPage } from '../harness/browser.ts';
import { useE2E } from '../harness/suite.ts';
import { AuditPage } from '../pages/AuditPage.ts';
import { IntakePage } from '../pages/IntakePage.ts';
import { LoginPage } from '../pages/LoginPage.ts';
import { ProposalExportDialog } from '../pages/ProposalExportDialog.ts';

const e2e = useE2E('proposal-export');

async function deskAt(path: string): Promise<Page> {
  const context = e2e.track(await newPerson(e2e.browser, e2e.baseURL));
  const page = await context.newPage();
  e2e.addDiagnostics(watchPage(page, 'desk1'));
  await page.goto(LoginPage.path);
  await new LoginPage(page).login(DESK1, DEMO_PASSWORD);
  await page.goto(path);
  return page;
}

describe('the proposal CSV export, by keyboard', () => {
  test('the desk chooses columns in a real dialog, downloads a BOM-prefixed CSV, and finds the export in the audit trail', async () => {
    const page = await deskAt(IntakePage.path);
    const intake = new IntakePage(page);
    await intake.heading.waitFor();
    const exportDialog = new ProposalExportDialog(page);

    // Open with the keyboard: focus moves into the dialog, to its heading.
    await exportDialog.openButton.focus();
    await page.keyboard.press('Enter');
    await exportDialog.dialog.waitFor();
    await exportDialog.column('件名').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('export-heading');
    // Protected content is opted into, never the default.
    expect(await exportDialog.includeProtected.isChecked()).toBe(false);
    expect(await exportDialog.column('提案内容').isChecked()).toBe(false);
    await expectAccessible(page, 'the export dialog');

    // Escape closes it and gives focus back to the button.
    await page.keyboard.press('Escape');
    await exportDialog.dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('CSVで出力');

    // Choose two columns only, by keyboard, and download.
    await page.keyboard.press('Enter');
    await exportDialog.column('件名').waitFor();
    await exportDialog.selectNone.focus();
    await page.keyboard.press('Enter');
    await exportDialog.column('受付番号').focus();
    await page.keyboard.press('Space');
    await exportDialog.column('件名').focus();
    await page.keyboard.press('Space');
    await exportDialog.download.focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/^proposals-\d{8}\.csv$/);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe('受付番号,件名');

    // The choice is remembered for the next time.
    await exportDialog.openButton.click();
    await exportDialog.column('件名').waitFor();
    expect(await exportDialog.column('件名').isChecked()).toBe(true);
    expect(await exportDialog.column('団体名').isChecked()).toBe(false);
    await page.keyboard.press('Escape');

    // The audit trail, from the header's link.
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '監査記録' }).click();
    const audit = new AuditPage(page);
    await audit.heading.waitFor();
    await audit.table.getByRole('rowheader', { name: '提案一覧の出力' }).first().waitFor();
    await expect.poll(() => audit.table.getByText('title', { exact: false }).count()).toBeGreaterThan(0);
    await audit.actionFilter.selectOption({ label: '提案一覧の出力' });
    await expectAccessible(page, 'the audit trail');
  });
});
