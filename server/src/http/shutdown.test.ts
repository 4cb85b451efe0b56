import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { freePort } from '../db/embedded-postgres.js';

const serverDir = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-shutdown-'));
fs.chmodSync(dataDir, 0o755);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function waitForHealth(url: string, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('server did not become healthy');
}

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
}

async function startServer(port: number): Promise<Started> {
  // No DATABASE_URL: the server starts its own PostgreSQL under DATA_DIR, as on a fresh machine.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, SEED_DEMO: 'true', LOG_LEVEL: 'info', NODE_ENV: 'development', CLIENT_DIST: '/nonexistent' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: serverDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await waitForHealth(`http://127.0.0.1:${port}/healthz`, child, 90_000);
  return { child, port, output: () => output };
}

async function graphql(port: number, query: string, variables: Record<string, unknown> = {}, cookie?: string): Promise<{ body: any; cookie?: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { body: await response.json(), cookie: response.headers.get('set-cookie')?.split(';')[0] ?? cookie };
}

function postmasterPid(): number {
  return Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

describe('the server process', () => {
  it('on SIGTERM closes websockets, stops its embedded PostgreSQL last, and exits cleanly', async () => {
    const port = await freePort();
    const { child, output } = await startServer(port);

    // Demo data is there: the public board shows published challenges.
    const board = (await graphql(port, '{ challenges { totalCount } }')).body;
    expect(board.data.challenges.totalCount).toBeGreaterThan(0);
    const pid = postmasterPid();
    const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await closed).toBeGreaterThanOrEqual(1000);
    expect(await exited).toBe(0);
    // The database went down with it, cleanly: no postmaster left, no stale pid file.
    expect(() => process.kill(pid, 0)).toThrow();
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    const order = ['shutting down', 'stopped'].map((line) => output().indexOf(line));
    expect(order.every((index) => index >= 0) && order[0]! < order[1]!).toBe(true);
  }, 120_000);

  it('after a SIGKILL, starts again on the same data with every committed write', async () => {
    const port = await freePort();
    const first = await startServer(port);
    const login = await graphql(port, 'mutation { login(email: "desk1@demo.renkei.jp", password: "renkei-demo-2026") { id } }');
    const created = await graphql(
      port,
      'mutation($input: ChallengeInput!) { createChallenge(input: $input) { id } }',
      { input: { title: '強制終了の直前に保存した課題', description: '消えてはならない', background: '', fieldCodes: [], contact: '03-0000-0000' } },
      login.cookie,
    );
    const id = created.body.data.createChallenge.id as string;
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;

    // Its PostgreSQL outlives it; the next start adopts it rather than failing on the data directory.
    const second = await startServer(port);
    const again = await graphql(port, 'mutation { login(email: "desk1@demo.renkei.jp", password: "renkei-demo-2026") { id } }');
    const found = await graphql(port, 'query($id: ID!) { challenge(id: $id) { title } }', { id }, again.cookie);
    expect(found.body.data.challenge.title).toBe('強制終了の直前に保存した課題');

    const pid = postmasterPid();
    const stopped = new Promise<number | null>((resolve) => second.child.once('exit', (code) => resolve(code)));
    second.child.kill('SIGTERM');
    expect(await stopped).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();
  }, 180_000);
});
