import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PLATFORM_NODE_FLAGS } from '../src/config/node-flags.js';

export type ChildRequest =
  | { type: 'rss' }
  | { type: 'count-start' }
  | { type: 'count-stop' }
  | { type: 'publishing'; on: boolean }
  | { type: 'commits'; messageIds: string[] }
  | { type: 'init'; payload: unknown }
  | { type: 'stop' };

export type ChildReply =
  | { type: 'ready'; port: number }
  | { type: 'rss'; rss: number; heapUsed: number }
  | { type: 'ok' }
  | { type: 'statements'; statements: Array<{ text: string; values: unknown[] }> }
  | { type: 'commits'; at: Record<string, number> };

/**
 * Now on the machine's monotonic clock (CLOCK_MONOTONIC, one clock for every process), in ms: the
 * platform child stamps a commit with it and the bench process an arrival, so the two compare.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** A benchmark child process (a platform instance or a baseline server), spoken to over IPC one request at a time. */
export class Child {
  private queue: Promise<unknown> = Promise.resolve();
  private constructor(
    readonly process: ChildProcess,
    readonly port: number,
  ) {}

  static async start(script: string, env: Record<string, string> = {}): Promise<Child> {
    const child = fork(path.join(import.meta.dirname, script), [], {
      // Every child (platform and baseline alike) runs with the platform's production V8 settings.
      // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each platform instance, written when it stops.
      execArgv: ['--expose-gc', ...PLATFORM_NODE_FLAGS, '--import', 'tsx', ...(process.env.BENCH_CPU_PROF && script.startsWith('platform') ? ['--cpu-prof', '--cpu-prof-interval', process.env.BENCH_CPU_INTERVAL ?? '1000', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
      env: { ...process.env, ...env },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message: ChildReply) => (message.type === 'ready' ? resolve(message.port) : reject(new Error(`unexpected ${message.type}`))));
      child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    });
    child.removeAllListeners('exit');
    return new Child(child, port);
  }

  request<T extends ChildReply>(message: ChildRequest): Promise<T> {
    const run = () =>
      new Promise<T>((resolve) => {
        this.process.once('message', (reply: T) => resolve(reply));
        this.process.send(message);
      });
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resident set size and V8 heap in use, after full collections. */
  async memory(): Promise<{ rss: number; heapUsed: number }> {
    const { rss, heapUsed } = await this.request<{ type: 'rss'; rss: number; heapUsed: number }>({ type: 'rss' });
    return { rss, heapUsed };
  }

  async rss(): Promise<number> {
    return (await this.memory()).rss;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.send({ type: 'stop' } satisfies ChildRequest);
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
