import nodemailer, { type Transporter } from 'nodemailer';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logging/logger.js';
import { MailMessage } from './mail-message.entity.js';
import { onMailEnqueued } from './mail-outbox.js';
import { mailParts } from './mime.js';
import { BackgroundJob } from '../shared/background-job.js';

/** After this many failures a message is marked failed and no longer retried (about two days at the default base). */
export const MAX_MAIL_ATTEMPTS = 50;
/** Messages sent per pass before yielding to the timer. */
const PASS_LIMIT = 50;

export interface MailDispatcherOptions {
  orm: MikroORM;
  /** smtp:// or smtps:// URL (credentials allowed; never logged). */
  smtpUrl: string;
  from: string;
  logger: Logger;
  /** The first retry waits this long; then twice as long each time, at most 60 times this. */
  retryBaseMs: number;
  /** How often to look for mail enqueued by other server instances. Default 5 s. */
  pollMs?: number;
  /**
   * Asked in the sending transaction for a mail that tells of notifications: SEND, or DROP when the
   * recipient may no longer see what they point at (wired by the platform from the notifications
   * domain, so the mail domain does not reach into it).
   */
  recheck?: (tx: EntityManager, message: MailMessage) => Promise<'SEND' | 'DROP'>;
}

/** An SMTP 5xx answer is permanent (RFC 5321 §4.2.1): retrying cannot help, so the mail fails at once. */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** The wait before the next attempt after `attempts` failures: base × 2^(attempts−1), at most base × 60. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return baseMs * Math.min(2 ** Math.max(0, attempts - 1), 60);
}

/** An SMTP failure as its code and status only: nodemailer's messages can quote addresses. */
export function describeMailError(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown };
  const code = typeof e?.code === 'string' && /^[A-Z0-9_]{1,30}$/.test(e.code) ? e.code : 'ERROR';
  const status = typeof e?.responseCode === 'number' ? ` ${e.responseCode}` : '';
  return `${code}${status}`;
}

type Outcome = 'none' | 'sent' | 'failed';

/**
 * Sends the mail outbox over SMTP. Each message is claimed with `select … for update skip locked`
 * inside its own transaction, sent, then marked sent in that transaction: two server instances
 * never send one message twice (a crash between the SMTP acceptance and the commit can resend it:
 * at least once, never lost). Woken in-process after a commit that enqueued mail, and by a timer
 * for retries and for other instances' mail.
 */
export class MailDispatcher {
  /** What this dispatcher did since it was created. */
  readonly stats = { sent: 0, failed: 0 };
  private readonly transport: Transporter;
  private readonly pollMs: number;
  private readonly job: BackgroundJob;

  constructor(private readonly options: MailDispatcherOptions) {
    this.pollMs = options.pollMs ?? 5_000;
    this.transport = nodemailer.createTransport({
      url: options.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      // smtps:// connects with TLS; a server offering STARTTLS gets it; the local catcher speaks plain SMTP.
      logger: false,
      debug: false,
    });
    this.job = new BackgroundJob({
      name: 'mail-dispatcher',
      everyMs: this.pollMs,
      pass: async () => (await this.sendOne()) !== 'none',
      passesPerRun: PASS_LIMIT,
      logger: options.logger,
      wakeOn: onMailEnqueued,
      idleDelayMs: () => this.nextDelay(),
    });
  }

  start(): void {
    this.job.start();
  }

  /** Look for due mail now (or right after the current pass). */
  wake(): void {
    this.job.wake();
  }

  /** Stop waking; let the message being sent finish; close the SMTP transport. */
  async stop(): Promise<void> {
    await this.job.stop();
    this.transport.close();
  }

  /** Until the earliest pending message is due, at most the poll interval. */
  private async nextDelay(): Promise<number> {
    try {
      const [next] = await this.options.orm.em.fork().find(MailMessage, { sentAt: null, failedAt: null }, { orderBy: { nextAttemptAt: 'asc' }, limit: 1, fields: ['nextAttemptAt'] });
      if (next) return Math.max(10, Math.min(this.pollMs, next.nextAttemptAt.getTime() - Date.now()));
    } catch {
      // The database is unreachable: try again at the poll interval.
    }
    return this.pollMs;
  }

  private sendOne(): Promise<Outcome> {
    const { orm, logger, from, retryBaseMs } = this.options;
    return orm.em.fork().transactional(async (tx): Promise<Outcome> => {
      const [message] = await tx.find(
        MailMessage,
        { sentAt: null, failedAt: null, nextAttemptAt: { $lte: new Date() } },
        { orderBy: { nextAttemptAt: 'asc' }, limit: 1, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
      );
      if (!message) return 'none';
      if (message.notificationIds.length > 0 && this.options.recheck && (await this.options.recheck(tx, message)) === 'DROP') {
        message.failedAt = new Date();
        message.lastError = 'NO_ACCESS';
        logger.info({ mailId: message.id, kind: message.kind }, 'mail dropped: the recipient may no longer see what it tells of');
        return 'failed';
      }
      message.attempts += 1;
      try {
        await this.transport.sendMail({ from, to: message.to, subject: message.subject, ...mailParts(message), messageId: `<${message.id}@renkei>` });
        message.sentAt = new Date();
        message.lastError = null;
        this.stats.sent += 1;
        logger.info({ mailId: message.id, kind: message.kind, attempts: message.attempts }, 'mail sent');
        return 'sent';
      } catch (error) {
        message.lastError = describeMailError(error);
        this.stats.failed += 1;
        if (message.attempts >= MAX_MAIL_ATTEMPTS || isPermanentFailure(error)) {
          message.failedAt = new Date();
          logger.error({ mailId: message.id, kind: message.kind, attempts: message.attempts, error: message.lastError }, 'mail could not be sent: giving up');
        } else {
          message.nextAttemptAt = new Date(Date.now() + retryDelayMs(message.attempts, retryBaseMs));
          logger.warn({ mailId: message.id, kind: message.kind, attempts: message.attempts, error: message.lastError, nextAttemptAt: message.nextAttemptAt }, 'mail not sent: will retry');
        }
        return 'failed';
      }
    });
  }
}
