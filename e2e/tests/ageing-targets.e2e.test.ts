import { describe, expect, test } from 'vitest';
import { DEMO_PASSWORD, DESK1 } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { newPerson, watchPage } from '../harness/browser.ts';
import { useE2E } from '../harness/suite.ts';
import { AgeingTargetsPage, INVALID_TARGET_MESSAGE } from '../pages/AgeingTargetsPage.ts';
import { LoginPage } from '../pages/LoginPage.ts';

const e2e = useE2E('ageing-targets');

describe('the desk sets the ageing targets (滞留日数の目標)', () => {
  test('from the menu: a bad number is refused at its field, a good one is kept across a reload, with its reminder interval', async () => {
    const context = e2e.track(await newPerson(e2e.browser, e2e.baseURL));
    const page = await context.newPage();
    e2e.addDiagnostics(watchPage(page, 'desk1'));
    await page.goto(LoginPage.path);
    await new LoginPage(page).login(DESK1, DEMO_PASSWORD);
    await AgeingTargetsPage.navLink(page).click();
    const targets = new AgeingTargetsPage(page);
    await targets.heading.waitFor();
    await targets.targetInput('INTAKE').waitFor();
    await expectAccessible(page, 'the ageing targets page');

    // Not a whole number of business days: the field says so, and nothing is saved.
    const before = await targets.targetValue('INTAKE');
    await targets.setTarget('INTAKE', '三日');
    await expect.poll(() => targets.fieldError('INTAKE').textContent()).toContain(INVALID_TARGET_MESSAGE);
    expect(await targets.targetInput('INTAKE').getAttribute('aria-invalid')).toBe('true');

    // A good target, and a reminder every 2 business days while it is exceeded.
    const next = before === '4' ? '6' : '4';
    await targets.targetInput('INTAKE').fill(next);
    const remind = page.getByLabel('受付待ちの再督促の間隔（営業日）', { exact: true });
    await remind.fill('2');
    await targets.saveButton('INTAKE').click();
    await expect.poll(() => targets.fieldError('INTAKE').count()).toBe(0);
    await expect.poll(() => targets.saveButton('INTAKE').textContent()).toContain('保存');
    await page.reload();
    await targets.targetInput('INTAKE').waitFor();
    await expect.poll(() => targets.targetValue('INTAKE')).toBe(next);
    expect(await remind.inputValue()).toBe('2');
  });
});
