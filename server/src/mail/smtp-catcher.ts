import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logging/logger.js';
import { CaughtMail } from './caught-mail.entity.js';
import { parseMail } from './mime.js';

const MAX_SIZE = 10 * 1024 * 1024;

export interface SmtpCatcher {
  port: number;
  /** smtp://127.0.0.1:<port>, for the dispatcher. */
  url: string;
  close(): Promise<void>;
}

/**
 * DEVELOPMENT ONLY: a real SMTP server on loopback that accepts every mail and stores it in
 * caught_mail instead of delivering it. The platform starts it when SMTP_URL is not set.
 */
export async function startSmtpCatcher(orm: MikroORM, logger: Logger, port = 0): Promise<SmtpCatcher> {
  const server = new SMTPServer({
    name: 'renkei-smtp-catcher',
    banner: 'Renkei development mail catcher: nothing is delivered',
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_SIZE,
    logger: false,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('Message too large'), { responseCode: 552 }));
          return;
        }
        const parsed = parseMail(Buffer.concat(chunks));
        const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
        const em = orm.em.fork();
        em.persist(new CaughtMail(to, parsed.subject, parsed.text, parsed.messageId, parsed.calendar));
        em.flush().then(
          () => callback(),
          (error: unknown) => {
            logger.error({ err: error }, 'mail catcher could not store a mail');
            callback(Object.assign(new Error('Could not store the message'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  server.on('error', (error) => logger.warn({ err: error }, 'mail catcher error'));
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  const bound = (server.server.address() as AddressInfo).port;
  logger.info({ port: bound }, 'no SMTP_URL: mail goes to the local catcher (development only; nothing is delivered)');
  return {
    port: bound,
    url: `smtp://127.0.0.1:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
