import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { chromiumPath } from './paths.ts';

/** Launches Debian's Chromium (playwright-core does not download browsers here). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: apt-get install -y chromium fonts-noto-cjk (npm test does it as root), or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** One person = one browser context (own cookies, own storage). */
export async function newPerson(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    // axe-core is injected as an inline script; a Content-Security-Policy must not block it.
    bypassCSP: true,
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  return context;
}

/**
 * Collects uncaught page errors and failed GraphQL/HTTP responses of a page, to attach to a
 * failure message.
 */
export function watchPage(page: Page, name: string): () => string {
  const notes: string[] = [];
  page.on('pageerror', (err) => notes.push(`[${name}] page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') notes.push(`[${name}] console.error: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 500) notes.push(`[${name}] HTTP ${res.status()} ${res.request().method()} ${res.url()}`);
  });
  return () => notes.slice(-30).join('\n');
}
