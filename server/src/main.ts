import 'reflect-metadata';
import path from 'node:path';
import { ConfigError, loadConfig } from './config/env.js';
import { createLogger } from './logging/logger.js';
import { startEmbeddedPostgres, type RunningPostgres } from './db/embedded-postgres.js';
import { databaseUrlFor, ensureDatabase } from './db/create-database.js';
import { openDatabase, setStatementTimeout } from './db/orm.js';
import { seedDemoData } from './seed/demo-data.js';
import { startPlatform } from './http/platform.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
const logger = createLogger(config.logLevel);

// embedded-postgres registers its own exit hook on these signals, which would stop the database
// before in-flight requests finish. We own the shutdown order instead.
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');

let embedded: RunningPostgres | null = null;
let started;
try {
  let databaseUrl: string;
  if (config.databaseUrl) {
    databaseUrl = config.databaseUrl;
  } else {
    embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'postgres'), logger, config.embeddedPgPort);
    await ensureDatabase(embedded.adminUrl, 'renkei');
    databaseUrl = databaseUrlFor(embedded.adminUrl, 'renkei');
  }
  const orm = await openDatabase(databaseUrl);
  if (config.seedDemo) await seedDemoData(orm.em.fork(), logger);
  // After migrations and seeding: from here on no statement may hold a connection for long.
  setStatementTimeout(orm, config.databaseStatementTimeoutMs);
  const platform = await startPlatform(config, orm, databaseUrl, logger);
  started = { orm, platform };
} catch (error) {
  const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  logger.fatal({ err: error }, inUse ? `port ${config.port} is already in use: stop the other process or set PORT` : 'could not start');
  await embedded?.stop().catch(() => undefined);
  process.exit(1);
}
const { orm, platform } = started;

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    logger.error('shutdown took too long; exiting');
    process.exit(1);
  }, 30_000);
  force.unref();
  try {
    await platform.stop(); // stop accepting, drain HTTP, close websockets
    await orm.close(); // in-flight work is done: release connections
    await embedded?.stop(); // the database goes last
    logger.info('stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
