import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createLogger } from '../logging/logger.js';
import { databaseUrlFor, dropDatabase, ensureDatabase } from './create-database.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface ScratchDatabase {
  url: string;
  dispose(): Promise<void>;
}

/**
 * A fresh, empty database for tools and tests: on DATABASE_URL's server when set, else on a
 * throw-away embedded PostgreSQL.
 */
export async function createScratchDatabase(prefix = 'scratch', adminUrl = process.env.DATABASE_URL): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  if (adminUrl) {
    await ensureDatabase(adminUrl, name);
    return { url: databaseUrlFor(adminUrl, name), dispose: () => dropDatabase(adminUrl, name) };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-pg-'));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres(path.join(dir, 'data'), createLogger('warn'));
  await ensureDatabase(pg.adminUrl, name);
  return {
    url: databaseUrlFor(pg.adminUrl, name),
    dispose: async () => {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
