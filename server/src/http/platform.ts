import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import type { Logger } from '../logging/logger.js';
import { EventFeed } from '../events/event-feed.js';
import { buildRenkeiSchema } from '../graphql/schema.js';
import { MailDispatcher } from '../mail/mail-dispatcher.js';
import { recheckNotificationMail } from '../notifications/mail-recheck.js';
import { startSmtpCatcher, type SmtpCatcher } from '../mail/smtp-catcher.js';
import type { BackgroundJob } from '../shared/background-job.js';
import { mailDigestJob } from '../notifications/mail-digest.js';
import { notificationMailerJob } from '../notifications/notification-mailer.js';
import { remindersJob } from '../notifications/reminders.js';
import { createGraphqlHandler } from './apollo.js';
import { createApp } from './app.js';
import { attachWebsocket } from './websocket.js';
import { databaseProbe } from './database-probe.js';

export interface RunningPlatform {
  port: number;
  feed: EventFeed;
  mail: { dispatcher: MailDispatcher; /** The local catcher, when SMTP_URL is not set. */ catcher: SmtpCatcher | null };
  /** Notification mail (decided per person and kind), daily digests, reminders. */
  notificationJobs: { mailer: BackgroundJob; digest: BackgroundJob; reminders: BackgroundJob };
  /** Stop accepting, drain HTTP, close websockets, finish in-flight work. The database is the caller's. */
  stop(): Promise<void>;
}

/** The server on one port: HTTP (GraphQL, healthz, client) and graphql-ws, fed by the event feed. */
export async function startPlatform(config: Config, orm: MikroORM, databaseUrl: string, logger: Logger): Promise<RunningPlatform> {
  const schema = await buildRenkeiSchema();
  const feed = new EventFeed(databaseUrl, logger.child({ component: 'event-feed' }), config.eventSweepSeconds * 1000);
  await feed.start();

  // Without SMTP_URL, mail goes to a local catcher: readable by the desk in development, delivered nowhere.
  const catcher = config.smtpUrl ? null : await startSmtpCatcher(orm, logger.child({ component: 'smtp-catcher' }));
  if (catcher && config.nodeEnv === 'production') logger.warn('SMTP_URL is not set: mail is caught locally and never delivered');
  const dispatcher = new MailDispatcher({
    orm,
    smtpUrl: config.smtpUrl ?? catcher!.url,
    from: config.mailFrom,
    retryBaseMs: config.mailRetryBaseSeconds * 1000,
    logger: logger.child({ component: 'mail' }),
    // Recipients are computed when the mail is sent: one held back by an outage is checked again.
    recheck: recheckNotificationMail,
  });
  dispatcher.start();
  const jobLogger = logger.child({ component: 'notification-mail' });
  const notificationJobs = {
    mailer: notificationMailerJob({ orm, publicBaseUrl: config.publicBaseUrl, logger: jobLogger }),
    digest: mailDigestJob({ orm, publicBaseUrl: config.publicBaseUrl, digestHour: config.mailDigestHour, logger: jobLogger }),
    reminders: remindersJob({ orm, reportDueBusinessDays: config.reportDueBusinessDays, logger: jobLogger }),
  };
  for (const job of Object.values(notificationJobs)) job.start();

  let shuttingDown = false;
  const httpServer = http.createServer();
  const websocket = attachWebsocket(httpServer, { schema, orm, config, feed, logger });
  const graphql = await createGraphqlHandler({ schema, orm, config, feed, logger, httpServer, onStop: () => websocket.close() });
  const probe = databaseProbe(databaseUrl);
  const app = createApp({ config, orm, logger, graphql: graphql.handler, isShuttingDown: () => shuttingDown, databaseReachable: () => probe.reachable() });
  httpServer.on('request', app);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  logger.info({ port }, `Renkei is listening on http://localhost:${port}`);

  return {
    port,
    feed,
    mail: { dispatcher, catcher },
    notificationJobs,
    async stop() {
      shuttingDown = true;
      // Apollo's drain plugin stops accepting and waits for in-flight requests, then closes the websockets.
      await graphql.stop();
      // The notification jobs enqueue mail: stop them (each finishes its pass) before the dispatcher.
      await Promise.all(Object.values(notificationJobs).map((job) => job.stop()));
      // No new mail can be enqueued now: let the one being sent finish, then close the catcher.
      await dispatcher.stop();
      await catcher?.close();
      await feed.stop();
      await probe.close();
    },
  };
}
