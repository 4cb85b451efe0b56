import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { databaseUrlFor, dropDatabase, ensureDatabase } from '../src/db/create-database.js';
import { openDatabase } from '../src/db/orm.js';

export interface TestDatabase {
  url: string;
  name: string;
  orm: MikroORM;
  dispose(): Promise<void>;
}

/** A fresh database with every migration applied, for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(adminUrl, name);
  const url = databaseUrlFor(adminUrl, name);
  const orm = await openDatabase(url, 5);
  return {
    url,
    name,
    orm,
    async dispose() {
      await orm.close();
      await dropDatabase(adminUrl, name);
    },
  };
}
