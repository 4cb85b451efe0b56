import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../src/logging/logger.js';
import { freePort, startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { databaseUrlFor, ensureDatabase } from '../src/db/create-database.js';
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A throwaway PostgreSQL cluster of the suite's own (embedded, on its own port and data
 * directory) that can be stopped, started again on the same port and frozen — never the shared
 * server other tests use.
 */
export class OwnPostgres {
  private constructor(
    private readonly dir: string,
    readonly port: number,
    readonly adminUrl: string,
  ) {}

  static async start(): Promise<OwnPostgres> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-faults-pg-'));
    fs.chmodSync(dir, 0o755);
    const port = await freePort();
    const running = await startEmbeddedPostgres(path.join(dir, 'data'), createLogger('warn'), port);
    return new OwnPostgres(dir, port, running.adminUrl);
  }

  async createDatabase(name: string): Promise<string> {
    await ensureDatabase(this.adminUrl, name);
    return databaseUrlFor(this.adminUrl, name);
  }

  private get pidFile(): string {
    return path.join(this.dir, 'data', 'postmaster.pid');
  }

  private postmasterPid(): number | null {
    if (!fs.existsSync(this.pidFile)) return null;
    const pid = Number(fs.readFileSync(this.pidFile, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }

  /** 'fast' (SIGINT: sessions ended, checkpoint) or 'immediate' (SIGQUIT: as after a crash; recovery at the next start). */
  async stop(mode: 'fast' | 'immediate'): Promise<void> {
    const pid = this.postmasterPid();
    if (!pid) return;
    process.kill(pid, mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    for (;;) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await delay(50);
    }
  }

  /** Starts the cluster again on the same port and data. */
  async restart(): Promise<void> {
    await startEmbeddedPostgres(path.join(this.dir, 'data'), createLogger('warn'), this.port);
  }

  /** The postmaster and every process it started: frozen, the cluster accepts connections and never answers. */
  private processes(): number[] {
    const pid = this.postmasterPid();
    if (!pid) return [];
    const children = fs
      .readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((entry) => {
        try {
          return fs.readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1] === String(pid);
        } catch {
          return false;
        }
      })
      .map(Number);
    return [pid, ...children];
  }

  freeze(): void {
    this.signalAll('SIGSTOP');
  }

  thaw(): void {
    this.signalAll('SIGCONT');
  }

  private signalAll(signal: NodeJS.Signals): void {
    for (const pid of this.processes()) {
      try {
        process.kill(pid, signal);
      } catch {
        // A backend that ended meanwhile.
      }
    }
  }

  async dispose(): Promise<void> {
    this.thaw();
    await this.stop('fast');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
