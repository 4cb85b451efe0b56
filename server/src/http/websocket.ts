import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import { GraphQLError, getOperationAST, getVariableValues, type ExecutionArgs, type ExecutionResult, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import type { EventFeed } from '../events/event-feed.js';
import type { Logger } from '../logging/logger.js';
import { formatError, formatOperationError } from '../errors/format-error.js';
import { documentCache } from '../graphql/document-cache.js';
import { OPERATION_LIMITS, allValidationRules, costError, withoutSuggestions } from '../graphql/operation-limits.js';
import { originAllowed } from './origin-check.js';
import { buildRequestContext } from '../graphql/request-context.js';
import { sharedSubscribe } from '../graphql/shared-subscribe.js';
import type { RequestContext } from '../graphql/context.js';
import { SubscriptionSink } from './subscription-sink.js';
import { SessionEndedError, SocketSessions } from '../identity/socket-sessions.js';
import { isDatabaseUnavailable } from '../db/database-unavailable.js';

/** WebSocket close code 1013 "Try Again Later" (RFC 6455 registry). */
const TRY_AGAIN_LATER = 1013;

export interface WebsocketDeps {
  schema: GraphQLSchema;
  orm: MikroORM;
  config: Config;
  feed: EventFeed;
  logger: Logger;
}

/** What an operation's context needs of the upgrade request, kept instead of the request itself. */
export interface SocketFacts {
  cookieHeader: string | undefined;
  clientAddress: string | null;
  /** The hash of the session the socket came with: its operations must stop when the session ends. */
  sessionHash: string | undefined;
  /** To close it with 1013 when an operation fails because the database is away. */
  socket: WebSocket;
}

/** The largest frame a client may send; a larger one closes the socket (1009). */
export const MAX_FRAME_BYTES = 64 * 1024;

/** How often every socket is pinged; one that has not answered the previous ping by then is dropped. */
const KEEP_ALIVE_MS = 12_000;

/**
 * A request id kept for an operation's lifetime: node's randomUUID() returns its string as a tree
 * of some sixteen pieces (~0.5 KB); a flat copy is 45 bytes.
 */
function operationId(): string {
  return Buffer.from(randomUUID(), 'latin1').toString('latin1');
}

const ALIVE = Symbol('alive');
const CLOSED = Symbol('closed');
const HANDLE = Symbol('handle');
type TrackedSocket = WebSocket & {
  [ALIVE]: boolean;
  [CLOSED]: (code: number, reason: string) => Promise<void>;
  [HANDLE]: (data: string) => Promise<void>;
};

/** graphql-ws's view of a socket: methods on a prototype, not closures per socket. */
class SocketAdapter {
  constructor(
    private readonly socket: TrackedSocket,
    private readonly listener: (this: WebSocket, data: Buffer) => void,
  ) {}

  get protocol(): string {
    return this.socket.protocol;
  }

  send(data: string): Promise<void> {
    const { socket } = this;
    return new Promise<void>((resolve, reject) => {
      if (socket.readyState !== socket.OPEN) return resolve();
      socket.send(data, (error) => (error ? reject(error) : resolve()));
    });
  }

  close(code?: number, reason?: string): void {
    this.socket.close(code, reason);
  }

  onMessage(handle: (data: string) => Promise<void>): void {
    this.socket[HANDLE] = handle;
    this.socket.on('message', this.listener);
  }
}

/**
 * graphql-ws on the HTTP server's /graphql path. HTTP middleware does not run here, so the
 * session, a fresh EntityManager per operation and error masking are applied by this code.
 * Subscriptions whose streams mark events as shared by an audience (threadEvents, proposalEvents)
 * are executed once per group and fanned out (graphql/shared-subscribe.ts).
 *
 * The protocol is graphql-ws's own (makeServer); the glue to `ws` is ours rather than
 * graphql-ws/use/ws because a socket may stay open and idle for hours by the thousand: it keeps
 * the cookie and the address instead of the whole upgrade request, one timer pings every socket
 * instead of a timer (and a ping closure) per socket, and its listeners are shared functions.
 */
export function attachWebsocket(httpServer: HttpServer, deps: WebsocketDeps): { close(): Promise<void> } {
  const { schema, logger, config } = deps;
  const wss = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    // Far above the largest subscribe message the client sends (a few KB); mutations go over HTTP.
    maxPayload: MAX_FRAME_BYTES,
    handleProtocols,
    // Another site's page may not open a socket with our visitor's cookie: 403 on the upgrade.
    verifyClient: ({ origin, req }: { origin: string | undefined; req: IncomingMessage }, done: (ok: boolean, status?: number, message?: string) => void) =>
      originAllowed(origin || undefined, req.headers.host, config) ? done(true) : done(false, 403, 'Forbidden origin'),
  });
  const isProd = config.nodeEnv === 'production';
  // Sockets follow their sessions: closed when a session ends (identity/socket-sessions.ts).
  const sessions = new SocketSessions(deps);
  sessions.start();
  // One parsed, validated document per text for all subscribers (a parse is ~35 KB kept per
  // subscription), parsed with the token cap and validated with the operation limits, as over HTTP.
  const documents = documentCache({ maxTokens: OPERATION_LIMITS.maxTokens, rules: allValidationRules(isProd) });
  /** A request error as HTTP would word it: coded, and in production without "Did you mean …". */
  const requestError = (error: GraphQLError, code: string): GraphQLError =>
    new GraphQLError(isProd ? withoutSuggestions(error.message) : error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code } });

  const server = makeServer<Record<string, unknown>, SocketFacts>({
    schema,
    // onSubscribe parses and validates (and returns the execution arguments), so graphql-ws's own
    // parse and validate never run.
    onSubscribe: (ctx, id, payload) => {
      let document;
      try {
        document = documents.parse(payload.query);
      } catch (error) {
        return [requestError(error instanceof GraphQLError ? error : new GraphQLError('Syntax Error'), 'GRAPHQL_PARSE_FAILED')];
      }
      const errors = documents.validate(schema, document);
      if (errors.length > 0) return errors.map((error) => requestError(error, 'GRAPHQL_VALIDATION_FAILED'));
      const tooCostly = costError(schema, document, payload.operationName, payload.variables);
      if (tooCostly) return [requestError(tooCostly, 'GRAPHQL_VALIDATION_FAILED')];
      // Variables of the wrong type are the caller's mistake (BAD_USER_INPUT, as over HTTP), not an internal error.
      const operation = getOperationAST(document, payload.operationName);
      if (operation) {
        const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {}, { maxErrors: 10 });
        if (coerced.errors) return coerced.errors.map((error) => requestError(error, 'BAD_USER_INPUT'));
      }
      // The subscription keeps its subscribe message: let it keep the cached text, not a copy of its own.
      (payload as { query: string }).query = documents.intern(payload.query);
      return { schema, document, variableValues: payload.variables, operationName: payload.operationName };
    },
    // Executes a stream's shared events once per audience and document, not once per subscriber.
    subscribe: sharedSubscribe(),
    context: async (ctx, id): Promise<RequestContext> => {
      const context = await buildRequestContext(deps, {
        cookieHeader: ctx.extra.cookieHeader,
        requestId: operationId(),
        clientAddress: ctx.extra.clientAddress,
        logFields: { operationId: id, transport: 'ws' },
        liveSink: new SubscriptionSink(ctx.extra.socket, id, resultToSend),
      });
      sessions.admit(ctx.extra.sessionHash, context.viewer);
      return context;
    },
    onError: (ctx, id, payload, errors) => {
      if (errors.some(isDatabaseUnavailable)) closeTryAgainLater(ctx.extra.socket, errors, 'operation failed');
      const requestId = randomUUID();
      return errors.map((error) => formatOperationError(error, requestId, logger.child({ requestId, operationId: id, transport: 'ws' })));
    },
    onNext: (ctx, id, payload, args: ExecutionArgs, result) => (result.errors?.length ? resultToSend(ctx.extra.socket, result, args.contextValue as RequestContext) : undefined),
  });

  /** A result with errors as it is sent: each error coded and masked; the socket closed with 1013 when the database is away. */
  function resultToSend(socket: WebSocket, result: ExecutionResult, context: RequestContext): FormattedExecutionResult {
    // An event read while the database went away: not sent (the socket is closing), resumed after reconnect.
    if (result.errors?.some(isDatabaseUnavailable)) closeTryAgainLater(socket, result.errors, 'event execution failed');
    return {
      ...result,
      errors: result.errors?.map((error) => formatError(error.toJSON(), error, context.requestId, context.logger)),
    };
  }

  /**
   * The database is away: graphql-ws clients give up after 4500 but retry 1013, then subscribe
   * again from their last cursor — nothing is lost, and nothing half-read is sent.
   */
  const closeTryAgainLater = (socket: WebSocket, error: unknown, what: string): void => {
    logger.warn({ err: Array.isArray(error) ? error[0] : error }, `${what}: the database is unavailable; closing with 1013`);
    socket.close(TRY_AGAIN_LATER, 'Try again later');
  };

  /** Closes the socket on an error the way graphql-ws/use/ws does (the reason only outside production). */
  const closeOnError = (socket: WebSocket, error: unknown, what: string): void => {
    if (error instanceof SessionEndedError) return; // the socket is already closing, with its own code
    if (isDatabaseUnavailable(error)) return closeTryAgainLater(socket, error, what);
    logger.error({ err: error }, what);
    const reason = error instanceof Error ? error.message : String(error);
    socket.close(CloseCode.InternalServerError, isProd || reason.length >= 124 ? 'Internal server error' : reason);
  };

  // Listeners shared by every socket (ws calls them with the socket as `this`).
  function onSocketError(this: WebSocket, error: Error): void {
    closeOnError(this, error, 'websocket error');
  }
  function onPong(this: WebSocket): void {
    (this as TrackedSocket)[ALIVE] = true;
  }
  function onClose(this: WebSocket, code: number, reason: Buffer): void {
    sessions.closed(this);
    void (this as TrackedSocket)[CLOSED](code, String(reason));
  }
  function onMessage(this: WebSocket, data: Buffer): void {
    (this as TrackedSocket)[HANDLE](String(data)).catch((error: unknown) => closeOnError(this, error, 'websocket message handling failed'));
  }

  wss.on('error', (error) => {
    logger.error({ err: error }, 'websocket server error');
    for (const client of wss.clients) closeOnError(client, error, 'closing a websocket after a server error');
  });

  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    const socket = ws as TrackedSocket;
    socket[ALIVE] = true;
    socket.on('error', onSocketError);
    socket.on('pong', onPong);
    socket[CLOSED] = server.opened(new SocketAdapter(socket, onMessage), {
      cookieHeader: request.headers.cookie,
      clientAddress: request.socket.remoteAddress ?? null,
      sessionHash: sessions.opened(socket, request.headers.cookie),
      socket,
    });
    socket.on('close', onClose);
  });

  // Every socket that answered the last ping is pinged again; one that did not is dropped.
  const keepAlive = setInterval(() => {
    for (const client of wss.clients as Set<TrackedSocket>) {
      if (client.readyState !== client.OPEN) continue;
      if (!client[ALIVE]) {
        client.terminate();
        continue;
      }
      client[ALIVE] = false;
      client.ping();
    }
  }, KEEP_ALIVE_MS);
  keepAlive.unref();

  return {
    async close() {
      clearInterval(keepAlive);
      sessions.stop();
      for (const client of wss.clients) client.close(1001, 'Going away');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
