import { defineConfig } from 'vitest/config'

// Unit tests for the client's pure logic (no DOM, no network).
export default defineConfig({
  test: {
    name: 'client',
    root: import.meta.dirname,
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
})
