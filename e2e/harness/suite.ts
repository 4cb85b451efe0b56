import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from './browser.ts';
import { resultsDir } from './paths.ts';
import { startServer, type RunningServer } from './server.ts';

export interface E2E {
  server: RunningServer;
  browser: Browser;
  baseURL: string;
  /** Contexts created by the test; closed after each test. */
  track(context: BrowserContext): BrowserContext;
  /** Extra diagnostics printed when a test fails (e.g. page errors). */
  addDiagnostics(fn: () => string): void;
}

/**
 * Per test file: the real server on a free port with its own database, and one Chromium.
 * When a test fails, the server's last output lines and the pages' errors are printed.
 */
export function useE2E(label: string): E2E {
  const state = {} as { server?: RunningServer; browser?: Browser };
  let contexts: BrowserContext[] = [];
  let diagnostics: (() => string)[] = [];

  beforeAll(async () => {
    state.server = await startServer(label);
    state.browser = await launchBrowser();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      const notes = diagnostics.map((d) => d()).filter(Boolean).join('\n');
      if (notes) console.error(`--- browser diagnostics ---\n${notes}`);
      if (state.server) console.error(`--- server output, last lines (${state.server.logFile}) ---\n${state.server.tail()}`);
      await screenshotAll(contexts, `${label}-${ctx.task.name}`);
    }
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    contexts = [];
    diagnostics = [];
  });

  afterAll(async () => {
    await state.browser?.close().catch(() => undefined);
    await state.server?.stop();
  });

  return {
    get server() {
      if (!state.server) throw new Error('server not started');
      return state.server;
    },
    get browser() {
      if (!state.browser) throw new Error('browser not launched');
      return state.browser;
    },
    get baseURL() {
      return this.server.baseURL;
    },
    track(context) {
      contexts.push(context);
      return context;
    },
    addDiagnostics(fn) {
      diagnostics.push(fn);
    },
  };
}

/** Saves a full-page screenshot of every open page to .vitest-results/ (on failure). */
async function screenshotAll(contexts: BrowserContext[], name: string) {
  const dir = join(resultsDir, 'e2e-screenshots');
  mkdirSync(dir, { recursive: true });
  const base = name.replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 80);
  let n = 0;
  for (const context of contexts) {
    for (const page of context.pages()) {
      const file = join(dir, `${base}-${++n}.png`);
      try {
        await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
        console.error(`screenshot: ${file} (${page.url()})`);
      } catch {
        /* the page may be gone */
      }
    }
  }
}
