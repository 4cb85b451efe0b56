import type { Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import type { GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { RequestHandler } from 'express';
import type { Config } from '../config/env.js';
import type { EventFeed } from '../events/event-feed.js';
import type { Logger } from '../logging/logger.js';
import { formatError } from '../errors/format-error.js';
import { httpDrain } from './http-drain.js';
import { OPERATION_LIMITS, costError, limitRules } from '../graphql/operation-limits.js';
import { SESSION_COOKIE } from '../identity/session.service.js';
import { buildRequestContext } from '../graphql/request-context.js';
import type { RequestContext } from '../graphql/context.js';

export interface ApolloDeps {
  schema: GraphQLSchema;
  orm: MikroORM;
  config: Config;
  feed: EventFeed;
  logger: Logger;
  httpServer: HttpServer;
  /** Called when Apollo stops, to close the websocket server with it. */
  onStop: () => Promise<void>;
}

export async function createGraphqlHandler(deps: ApolloDeps): Promise<{ handler: RequestHandler; stop(): Promise<void> }> {
  const { schema, config, logger } = deps;
  const http = httpDrain(deps.httpServer);
  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: config.nodeEnv !== 'production',
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: config.nodeEnv === 'production',
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // The same limits as the websocket's (graphql/operation-limits.ts).
    parseOptions: { maxTokens: OPERATION_LIMITS.maxTokens },
    validationRules: limitRules(config.nodeEnv === 'production'),
    // main.ts owns the shutdown order; Apollo's own signal handlers would race it (and they are
    // off under NODE_ENV=test, which once hid a 30-second hang from the tests).
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => {
      // The request id travels on the error path via the original error's context when known.
      const requestId = (error as { requestId?: string } | undefined)?.requestId ?? 'unknown';
      return formatError(formatted, error, requestId, logger);
    },
    plugins: [
      {
        // Our drain, not Apollo's (http/http-drain.ts says why), with the websockets closed beside it.
        async serverWillStart() {
          return { drainServer: async () => void (await Promise.all([http.drain(), deps.onStop()])) };
        },
      },
      {
        // The cost limit, once the variables (a page size may be one) are known.
        async requestDidStart() {
          return {
            async didResolveOperation({ document, request }) {
              const error = costError(schema, document, request.operationName, request.variables);
              if (error) throw error;
            },
          };
        },
      },
      {
        // Attach the request id to every error so the masked answer and the log line match.
        async requestDidStart({ contextValue }) {
          return {
            async didEncounterErrors({ errors }) {
              for (const error of errors) Object.assign(error, { requestId: contextValue.requestId });
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  const handler = expressMiddleware(apollo, {
    context: async ({ req, res }): Promise<RequestContext> => {
      const secure = req.secure;
      return buildRequestContext(deps, {
        cookieHeader: req.headers.cookie,
        requestId: (res.locals.requestId as string | undefined) ?? randomUUID(),
        clientAddress: req.ip ?? null,
        http: {
          setSessionCookie(token, expiresAt) {
            res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: expiresAt });
          },
          clearSessionCookie() {
            res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
          },
        },
      });
    },
  });
  return { handler, stop: () => apollo.stop() };
}
