import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { DEMO_PASSWORD, DESK1, GraphQLClient } from '../harness/api.ts';
import { watchPage } from '../harness/browser.ts';
import { useE2E } from '../harness/suite.ts';
import { ConnectionIndicator } from '../pages/ConnectionIndicator.ts';
import { LoginPage } from '../pages/LoginPage.ts';

const e2e = useE2E('content-security-policy');

/**
 * The client works under its Content-Security-Policy: Chromium reports every blocked script,
 * style, image, font or connection (as a securitypolicyviolation event and on the console), and
 * there must be none on the pages people use, signed out and signed in.
 */
async function enforcingPage(): Promise<{ page: Page; violations: string[] }> {
  // Not newPerson(): it bypasses the CSP so that axe-core can be injected.
  const context = e2e.track(await e2e.browser.newContext({ baseURL: e2e.baseURL, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', bypassCSP: false }));
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  e2e.addDiagnostics(watchPage(page, 'csp'));
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return { page, violations };
}

/** Opens a route and waits until the app has rendered its main content and the live socket is up. */
async function visit(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.headers()['content-security-policy'], `${path} is served with the policy`).toMatch(/script-src 'self'/);
  await page.locator('main').first().waitFor();
  await page.waitForLoadState('networkidle');
}

describe('content security policy', () => {
  test('no page of the client breaks it, signed out or as the desk', async () => {
    const { page, violations } = await enforcingPage();
    // Not vacuous: an inline script, which the policy forbids, is reported.
    await visit(page, '/');
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.head.appendChild(script);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
    violations.length = 0;

    for (const path of ['/', '/challenges', '/cases', '/figures', '/search?q=%E9%98%B2%E7%81%BD', '/register', LoginPage.path]) await visit(page, path);

    await new LoginPage(page).login(DESK1, DEMO_PASSWORD);
    const desk = await GraphQLClient.create(e2e.baseURL);
    await desk.login(DESK1);
    const { proposals } = await desk.query<{ proposals: { edges: { node: { id: string } }[] } }>(`{ proposals(first: 1, filter: { states: [IN_DIALOGUE, UNDER_REVIEW, SUBMITTED] }) { edges { node { id } } } }`);
    await desk.dispose();
    const proposalId = proposals.edges[0]?.node.id;
    expect(proposalId, 'the demo data has a proposal in progress').toBeDefined();
    for (const path of ['/desk/dashboard', '/desk/proposals', `/desk/proposals/${proposalId}`, '/desk/organisations', '/desk/audit', '/desk/challenges', '/settings/mail']) await visit(page, path);

    // The live connection is up under the policy's connect-src.
    await new ConnectionIndicator(page).waitFor('connected');
    expect(violations).toEqual([]);
  });
});
