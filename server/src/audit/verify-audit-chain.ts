import path from 'node:path';
import { loadConfig } from '../config/env.js';
import { databaseUrlFor, ensureDatabase } from '../db/create-database.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../db/embedded-postgres.js';
import { openDatabase } from '../db/orm.js';
import { createLogger } from '../logging/logger.js';
import { verifyAuditChain } from './audit-chain.js';

/**
 * `pnpm --filter @renkei/server audit:verify`: checks the audit trail's hash chain and exits 1
 * when a row was changed or removed behind the triggers' back. Uses DATABASE_URL, or else the
 * embedded database under DATA_DIR (stop the platform first: one PostgreSQL per data directory).
 */
const config = loadConfig(process.env);
const logger = createLogger(config.logLevel);
let embedded: RunningPostgres | null = null;
let databaseUrl = config.databaseUrl;
if (!databaseUrl) {
  embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'postgres'), logger, config.embeddedPgPort);
  await ensureDatabase(embedded.adminUrl, 'renkei');
  databaseUrl = databaseUrlFor(embedded.adminUrl, 'renkei');
}
const orm = await openDatabase(databaseUrl);
try {
  const check = await verifyAuditChain(orm.em.fork());
  if (check.brokenAt) {
    console.error(`audit chain BROKEN at chain_seq ${check.brokenAt.chainSeq} (row ${check.brokenAt.id}): ${check.brokenAt.why}; ${check.rows} rows read`);
    process.exitCode = 1;
  } else {
    console.log(`audit chain intact: ${check.rows} rows`);
  }
} finally {
  await orm.close();
  await embedded?.stop();
}
