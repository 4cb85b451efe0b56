import { defineConfig } from 'vitest/config';

// End-to-end suite: the real server (child process) and Debian's Chromium driven by playwright-core.
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['tests/**/*.e2e.test.ts'],
    environment: 'node',
    // Each file starts its own server and browser: run files one after another, tests in order.
    fileParallelism: false,
    maxWorkers: 1,
    sequence: {
      concurrent: false,
      // Run after the server and client projects (group 0), so the machine is not shared with them.
      groupOrder: 1,
    },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
