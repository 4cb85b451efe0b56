import type { Logger } from '../logging/logger.js';

export interface BackgroundJobOptions {
  name: string;
  /** How often it runs when nobody wakes it. */
  everyMs: number;
  /** Wait this long before the first run (default: run at once). */
  firstAfterMs?: number;
  /** One pass; returns true when there is more to do at once (another batch). */
  pass: () => Promise<boolean>;
  logger: Logger;
  /** Registers an in-process wake-up (e.g. after a commit); returns its removal. */
  wakeOn?: (wake: () => void) => () => void;
  /** When idle, how long until the next run (e.g. until the earliest retry is due); default everyMs. */
  idleDelayMs?: () => Promise<number>;
  /** Passes per run before yielding to the timer (default 100), so a stop is honoured soon. */
  passesPerRun?: number;
}

/**
 * A job of this process on its own clock (the mail dispatcher, the notification mailer, the
 * digest, the reminders):
 * one pass at a time, woken early on demand, stopped cleanly — stop() waits for the pass under
 * way, so the platform closes the database after the job has let go of it.
 */
export class BackgroundJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: BackgroundJobOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.options.wakeOn?.(() => this.wake()) ?? null;
    if (this.options.firstAfterMs) this.schedule(this.options.firstAfterMs);
    else this.wake();
  }

  /** Run now, or right after the pass under way. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async idleDelay(): Promise<number> {
    try {
      return this.options.idleDelayMs ? await this.options.idleDelayMs() : this.options.everyMs;
    } catch {
      return this.options.everyMs;
    }
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    try {
      do {
        this.again = false;
        // Batches until there is nothing more to do now (bounded, so a stop is honoured soon).
        const passes = this.options.passesPerRun ?? 100;
        for (let i = 0; i < passes && !this.stopped; i++) if (!(await this.options.pass())) break;
      } while (this.again && !this.stopped);
    } catch (error) {
      // The database may be unreachable: the next run tries again; nothing was decided.
      this.options.logger.error({ err: error, job: this.options.name }, 'background job failed');
    }
    const delay = this.again || this.stopped ? 0 : await this.idleDelay();
    this.running = null;
    if (this.stopped) return;
    if (this.again) this.wake();
    else this.schedule(delay);
  }
}
