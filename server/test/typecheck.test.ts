import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const serverDir = path.resolve(import.meta.dirname, '..');
const tsc = path.join(serverDir, 'node_modules', '.bin', 'tsc');

/** What tsc reports for a project: '' when it type-checks (vitest itself only strips the types). */
async function diagnostics(project: string): Promise<string> {
  try {
    await run(tsc, ['-p', project, '--noEmit', '--pretty', 'false'], { cwd: serverDir, maxBuffer: 16 * 1024 * 1024 });
    return '';
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    return `${failed.stdout ?? ''}${failed.stderr ?? ''}` || failed.message;
  }
}

describe('the server type-checks', () => {
  it('its code, migrations and tests (tsconfig.json)', async () => {
    expect(await diagnostics('tsconfig.json')).toBe('');
  }, 240_000);

  it('the benchmarks (bench/tsconfig.json), which no test runs', async () => {
    expect(await diagnostics('bench/tsconfig.json')).toBe('');
  }, 240_000);
});
