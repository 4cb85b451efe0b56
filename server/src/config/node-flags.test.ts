import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLATFORM_NODE_FLAGS } from './node-flags.js';

describe('the platform’s V8 settings', () => {
  it('npm start passes every one of them to node (the bench measures the platform with them)', () => {
    const manifest = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    const start = manifest.scripts.start!.split(/\s+/);
    expect(start[0]).toBe('node');
    for (const flag of PLATFORM_NODE_FLAGS) expect(start).toContain(flag);
    expect(start.slice(-3)).toEqual(['--import', 'tsx', 'src/main.ts']);
  });
});
