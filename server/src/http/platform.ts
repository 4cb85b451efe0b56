import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import type { Logger } from '../logging/logger.js';
import { EventFeed } from '../events/event-feed.js';
import { buildRenkeiSchema } from '../graphql/schema.js';
import { createGraphqlHandler } from './apollo.js';
import { createApp } from './app.js';
import { attachWebsocket } from './websocket.js';

export interface RunningPlatform {
  port: number;
  feed: EventFeed;
  /** Stop accepting, drain HTTP, close websockets, finish in-flight work. The database is the caller's. */
  stop(): Promise<void>;
}

/** The server on one port: HTTP (GraphQL, healthz, client) and graphql-ws, fed by the event feed. */
export async function startPlatform(config: Config, orm: MikroORM, databaseUrl: string, logger: Logger): Promise<RunningPlatform> {
  const schema = await buildRenkeiSchema();
  const feed = new EventFeed(databaseUrl, logger.child({ component: 'event-feed' }));
  await feed.start();

  let shuttingDown = false;
  const httpServer = http.createServer();
  const websocket = attachWebsocket(httpServer, { schema, orm, config, feed, logger });
  const graphql = await createGraphqlHandler({ schema, orm, config, feed, logger, httpServer, onStop: () => websocket.close() });
  const app = createApp({ config, orm, logger, graphql: graphql.handler, isShuttingDown: () => shuttingDown });
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
    async stop() {
      shuttingDown = true;
      // Apollo's drain plugin stops accepting and waits for in-flight requests, then closes the websockets.
      await graphql.stop();
      await feed.stop();
    },
  };
}
