import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One run over every package. Each entry is a folder; vitest 5 uses the folder's own
// vitest.config.* (or vite.config.*) when there is one, and otherwise treats the folder as a
// project with vitest's defaults. A folder that does not exist would make vitest throw
// ("Projects definition references a non-existing file or a directory"), so only existing
// folders are listed.
const root = fileURLToPath(new URL('.', import.meta.url));
const projects = ['server', 'client', 'e2e'].filter((dir) => existsSync(`${root}${dir}`));

export default defineConfig({
  test: {
    projects,
  },
});
