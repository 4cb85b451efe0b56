import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { ExecutionArgs, GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import type { EventFeed } from '../events/event-feed.js';
import type { Logger } from '../logging/logger.js';
import { formatError, formatOperationError } from '../errors/format-error.js';
import { buildRequestContext } from '../graphql/request-context.js';
import { sharedSubscribe } from '../graphql/shared-subscribe.js';
import type { RequestContext } from '../graphql/context.js';

export interface WebsocketDeps {
  schema: GraphQLSchema;
  orm: MikroORM;
  config: Config;
  feed: EventFeed;
  logger: Logger;
}

/**
 * graphql-ws on the HTTP server's /graphql path. HTTP middleware does not run here, so the
 * session, a fresh EntityManager per operation and error masking are applied by this code.
 * Subscriptions whose streams mark events as shared by an audience (threadEvents, proposalEvents)
 * are executed once per group and fanned out (graphql/shared-subscribe.ts).
 */
export function attachWebsocket(httpServer: HttpServer, deps: WebsocketDeps): { close(): Promise<void> } {
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 64 * 1024 });
  const { schema, logger } = deps;

  const handle = useServer<Record<string, unknown>, { request: IncomingMessage }>(
    {
      schema,
      // Executes a stream's shared events once per audience and document, not once per subscriber.
      subscribe: sharedSubscribe(),
      context: (ctx, id): Promise<RequestContext> =>
        buildRequestContext(deps, {
          cookieHeader: ctx.extra.request.headers.cookie,
          requestId: randomUUID(),
          clientAddress: ctx.extra.request.socket.remoteAddress ?? null,
          logFields: { operationId: id, transport: 'ws' },
        }),
      onError: (ctx, id, payload, errors) => {
        const requestId = randomUUID();
        return errors.map((error) => formatOperationError(error, requestId, logger.child({ requestId, operationId: id, transport: 'ws' })));
      },
      onNext: (ctx, id, payload, args: ExecutionArgs, result) => {
        if (!result.errors?.length) return;
        const context = args.contextValue as RequestContext;
        return {
          ...result,
          errors: result.errors.map((error) => formatError(error.toJSON(), error, context.requestId, context.logger)),
        };
      },
    },
    wss,
  );

  return {
    async close() {
      await handle.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
