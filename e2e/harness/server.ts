import { spawn } from 'node:child_process';
import { chmodSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { repoRoot, resultsDir, toolchainPath } from './paths.ts';

const HEALTH_TIMEOUT_MS = 90_000;
const KILL_GRACE_MS = 10_000;
const TAIL_LINES = 200;

export interface RunningServer {
  /** e.g. http://localhost:41234 */
  baseURL: string;
  port: number;
  /** Full stdout+stderr of the server, also written to `logFile`. */
  logFile: string;
  /** The last lines of the server's output (for failure messages). */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

/** A free TCP port on this machine (there is a small race until the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
}

/** This machine's processes, from /proc (Linux). */
function processTable(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(name), state: rest[0]!, ppid: Number(rest[1]), pgid: Number(rest[2]) });
    } catch {
      /* it just ended */
    }
  }
  return out;
}

/**
 * The process groups of `rootPid` and all its descendants. pnpm 12 runs a package script in
 * process groups of its own, so the server and its PostgreSQL are NOT in pnpm's group: signalling
 * pnpm's group alone would leave them running.
 */
function treeGroups(rootPid: number): Set<number> {
  const table = processTable();
  const children = new Map<number, ProcInfo[]>();
  for (const p of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const ownGroup = table.find((p) => p.pid === process.pid)?.pgid;
  const groups = new Set<number>();
  const root = table.find((p) => p.pid === rootPid);
  const queue = root ? [root] : [];
  while (queue.length) {
    const p = queue.shift()!;
    if (p.pgid !== ownGroup && p.pgid > 1) groups.add(p.pgid);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return groups;
}

/** True while any live (non-zombie) process is in one of `groups`. */
function groupsAlive(groups: Set<number>): boolean {
  return processTable().some((p) => groups.has(p.pgid) && p.state !== 'Z');
}

function signalGroups(groups: Iterable<number>, signal: NodeJS.Signals) {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Starts the real server (`pnpm --filter @renkei/server start`) on a free port with demo data.
 * With DATABASE_URL in the environment it gets a fresh database on that PostgreSQL; without it,
 * a fresh DATA_DIR so that the server starts its own embedded PostgreSQL there.
 * Resolves once GET /healthz answers 200.
 */
export async function startServer(label: string): Promise<RunningServer> {
  if (!existsSync(join(repoRoot, 'client', 'dist', 'index.html'))) {
    throw new Error(
      'client/dist/index.html is missing: build the client first (`pnpm --filter @renkei/client build`; `npm test` does it)',
    );
  }
  const port = await freePort();
  const baseURL = `http://localhost:${port}`;

  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The server must behave as it does for a user, not as a vitest worker.
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'NODE_ENV' || key === 'TEST') delete env[key];
  env.PATH = toolchainPath(env.PATH);
  env.PORT = String(port);
  env.SEED_DEMO = 'true';
  if (process.env.DATABASE_URL) {
    database = await createTestDatabase(process.env.DATABASE_URL);
    env.DATABASE_URL = database.url;
    delete env.DATA_DIR;
  } else {
    delete env.DATABASE_URL;
    dataDir = mkdtempSync(join(tmpdir(), `renkei-e2e-${label}-`));
    // initdb may run as a separate `postgres` user: it must be able to enter the directory.
    chmodSync(dataDir, 0o755);
    env.DATA_DIR = dataDir;
  }

  // Uploaded files go to a directory of this run's own, never into the checkout's .data/.
  const attachmentsDir = mkdtempSync(join(tmpdir(), `renkei-e2e-files-${label}-`));
  env.ATTACHMENTS_DIR = attachmentsDir;

  mkdirSync(resultsDir, { recursive: true });
  const logFile = join(resultsDir, `e2e-server-${label}.log`);
  const logStream = createWriteStream(logFile);
  const lines: string[] = [];
  const record = (chunk: Buffer) => {
    logStream.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.length) lines.push(line);
    }
    if (lines.length > TAIL_LINES * 2) lines.splice(0, lines.length - TAIL_LINES);
  };
  const tail = (n = 60) => lines.slice(-n).join('\n');

  const child = spawn('pnpm', ['--filter', '@renkei/server', 'start'], {
    cwd: repoRoot,
    env,
    detached: true, // a process group of its own (pnpm starts the script in further groups: see treeGroups)
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', record);
  child.stderr!.on('data', record);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
  });
  // Every process group the server's tree has used, collected while it runs (a process that has
  // been reparented after its parent exited can no longer be found through the tree).
  const groups = new Set<number>();
  const collectGroups = () => {
    if (child.pid !== undefined) for (const g of treeGroups(child.pid)) groups.add(g);
  };
  const collector = setInterval(collectGroups, 1_000);
  collector.unref();
  // If the test worker dies, do not leave a server (and its PostgreSQL) behind.
  const onExit = () => {
    collectGroups();
    signalGroups(groups, 'SIGKILL');
  };
  process.on('exit', onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clearInterval(collector);
    collectGroups();
    // SIGTERM to pnpm's process group (pnpm passes it on to the server, which shuts down in order);
    // wait until every process of every group of the tree is gone; SIGKILL them all after 10 s.
    if (child.pid !== undefined && groupsAlive(groups)) {
      signalGroups(exited ? groups : [child.pid], 'SIGTERM');
      const deadline = Date.now() + KILL_GRACE_MS;
      while (groupsAlive(groups) && Date.now() < deadline) await sleep(100);
      if (groupsAlive(groups)) {
        console.warn(`[e2e] server ${label} still running ${KILL_GRACE_MS / 1000} s after SIGTERM: SIGKILL`);
        signalGroups(groups, 'SIGKILL');
        while (groupsAlive(groups) && Date.now() < deadline + 5_000) await sleep(100);
      }
    }
    await Promise.race([exitPromise, sleep(1_000)]);
    process.off('exit', onExit);
    logStream.end();
    if (database) await database.drop().catch((err) => console.warn(`[e2e] could not drop ${database!.name}: ${err}`));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    rmSync(attachmentsDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  for (;;) {
    if (spawnError || exited) {
      await stop();
      const why = spawnError ? `could not start: ${spawnError.message}` : `exited early (code ${exited!.code}, signal ${exited!.signal})`;
      throw new Error(`[e2e] server ${why}\n--- server output (${logFile}) ---\n${tail()}`);
    }
    try {
      const res = await fetch(`${baseURL}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `[e2e] server did not answer 200 on ${baseURL}/healthz within ${HEALTH_TIMEOUT_MS / 1000} s\n--- server output (${logFile}) ---\n${tail()}`,
      );
    }
    await sleep(300);
  }

  return { baseURL, port, logFile, tail, stop };
}
