/**
 * One Renkei instance for the benchmark, as a child process (fork): the real platform
 * (startPlatform: HTTP, graphql-ws, event feed) over DATABASE_URL. Over IPC it reports its port,
 * its memory after a full collection, and the statements it ran (counted as
 * server/test/statement-count.ts counts them); and it can switch event publication off (P1's
 * baseline: no outbox rows, no NOTIFY) without any change to the production code.
 */
import 'reflect-metadata';
import pg from 'pg';
import { EntityManager } from '@mikro-orm/core';
import { loadConfig } from '../src/config/env.js';
import { createLogger } from '../src/logging/logger.js';
import { openDatabase, setStatementTimeout } from '../src/db/orm.js';
import { startPlatform } from '../src/http/platform.js';
import { DomainEvent } from '../src/events/domain-event.entity.js';
import { monotonicMs, type ChildReply, type ChildRequest } from './ipc.js';

const BACKGROUND = /renkei background job|domain_event|pg_snapshot|pg_notify|mail_message|caught_mail|_presence|update "session"|^(begin|commit|rollback|savepoint|release)\b/i;

let counting = false;
/** When each posted message's transaction committed (monotonicMs), for F1–F3's clock. */
const committedAt = new Map<string, number>();
const messageOfClient = new WeakMap<object, string>();
const MESSAGE_INSERT = /^insert into "message" .*? values \('([0-9a-f-]{36})'/;
let publishing = true;
const statements: Array<{ text: string; values: unknown[] }> = [];

type QueryFn = (...args: unknown[]) => unknown;
const query = pg.Client.prototype.query as unknown as QueryFn;
(pg.Client.prototype as unknown as { query: QueryFn }).query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0];
  const text = (typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '')).trim();
  if (!publishing && text.startsWith('select pg_notify(')) {
    const done = { rows: [], rowCount: 0, command: 'SELECT', fields: [] };
    const callback = args.find((arg) => typeof arg === 'function') as ((error: null, result: unknown) => void) | undefined;
    if (callback) return void queueMicrotask(() => callback(null, done));
    return Promise.resolve(done);
  }
  if (counting && !BACKGROUND.test(text)) {
    const values = (Array.isArray(args[1]) ? args[1] : ((first as { values?: unknown[] } | undefined)?.values ?? [])) as unknown[];
    statements.push({ text, values });
  }
  const inserted = MESSAGE_INSERT.exec(text);
  if (inserted) messageOfClient.set(this, inserted[1]!);
  const result = query.apply(this, args);
  const messageId = messageOfClient.get(this);
  if (messageId && /^commit\b/i.test(text) && result instanceof Promise) {
    messageOfClient.delete(this);
    void result.then(() => committedAt.set(messageId, monotonicMs()), () => undefined);
  }
  return result;
};

// P1's baseline: the same use case without its outbox rows.
const persist = EntityManager.prototype.persist;
EntityManager.prototype.persist = function (this: EntityManager, entity: unknown, ...rest: unknown[]) {
  if (!publishing) {
    if (entity instanceof DomainEvent) return this;
    if (Array.isArray(entity)) entity = entity.filter((item) => !(item instanceof DomainEvent));
  }
  return (persist as unknown as (...args: unknown[]) => EntityManager).call(this, entity, ...rest);
} as typeof persist;

process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');

const databaseUrl = process.env.DATABASE_URL!;
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'production',
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
  CLIENT_DIST: '/nonexistent',
  SEED_DEMO: 'false',
  // The bench's writers post hundreds a minute from one address as a few people: no budgets.
  RATE_LIMIT_MUTATIONS_PER_PERSON: '0',
  RATE_LIMIT_MUTATIONS_PER_ADDRESS: '0',
  RATE_LIMIT_SIGN_IN_PER_ADDRESS: '0',
});
const logger = createLogger(config.logLevel);
const orm = await openDatabase(databaseUrl);
setStatementTimeout(orm, config.databaseStatementTimeoutMs);
const platform = await startPlatform(config, orm, databaseUrl, logger);

function reply(message: ChildReply): void {
  process.send!(message);
}

process.on('message', async (message: ChildRequest) => {
  switch (message.type) {
    case 'rss': {
      for (let i = 0; i < 3; i++) {
        globalThis.gc?.();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      reply({ type: 'rss', rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed });
      break;
    }
    case 'count-start':
      statements.length = 0;
      counting = true;
      reply({ type: 'ok' });
      break;
    case 'count-stop':
      counting = false;
      reply({ type: 'statements', statements: [...statements] });
      break;
    case 'commits':
      reply({ type: 'commits', at: Object.fromEntries(message.messageIds.map((id) => [id, committedAt.get(id) ?? Number.NaN])) });
      for (const id of message.messageIds) committedAt.delete(id);
      break;
    case 'publishing':
      publishing = message.on;
      reply({ type: 'ok' });
      break;
    case 'stop':
      await platform.stop();
      await orm.close();
      process.exit(0);
  }
});
reply({ type: 'ready', port: platform.port });
