import 'reflect-metadata';
import path from 'node:path';
import { MikroORM, defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { repoRoot } from '../config/env.js';
import { MIGRATIONS } from '../../../migrations/migrations-list.js';
import { ENTITIES } from './entities.js';

export const MIGRATIONS_DIR = path.join(repoRoot, 'migrations');

export function ormConfig(clientUrl: string, poolMax = 10) {
  return defineConfig({
    clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: {
      path: MIGRATIONS_DIR,
      pathTs: MIGRATIONS_DIR,
      migrationsList: MIGRATIONS,
      tableName: 'schema_migration',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      silent: true,
    },
    // renkei_bigrams (Japanese search) is a hand-written SQL function created by its migration; the
    // ORM's experimental routine management would otherwise drop it from every schema diff.
    schemaGenerator: { ignoreRoutines: true },
    pool: { min: 0, max: poolMax },
    // Queries are logged by the request logger with their request id, not by the ORM.
    debug: false,
    allowGlobalContext: false,
  });
}

/** Opens the ORM and applies pending migrations: the schema always matches the code at start. */
export async function openDatabase(clientUrl: string, poolMax?: number): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(clientUrl, poolMax));
  await orm.migrator.up();
  return orm;
}
