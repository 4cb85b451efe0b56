import 'reflect-metadata';
import path from 'node:path';
import { MikroORM, defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { repoRoot } from '../config/env.js';
import { MIGRATIONS } from '../../../migrations/migrations-list.js';
import { ENTITIES } from './entities.js';

export const MIGRATIONS_DIR = path.join(repoRoot, 'migrations');

/**
 * A statement timeout the pool's connections take on from when it is switched on (after the
 * migrations, which may rightly run longer): set once per connection, on its first use after that.
 */
class StatementTimeout {
  ms = 0;
  private readonly applied = new WeakMap<object, number>();

  async onReserve(connection: unknown): Promise<void> {
    if (this.ms === 0 && !this.applied.has(connection as object)) return;
    if (this.applied.get(connection as object) === this.ms) return;
    // kysely's DatabaseConnection: the compiled query's sql and parameters are all it reads.
    await (connection as { executeQuery(query: { sql: string; parameters: unknown[] }): Promise<unknown> }).executeQuery({ sql: `set statement_timeout = ${this.ms}`, parameters: [] });
    this.applied.set(connection as object, this.ms);
  }
}

const timeouts = new WeakMap<MikroORM, StatementTimeout>();

export function ormConfig(clientUrl: string, poolMax = 10, timeout?: StatementTimeout) {
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
    ...(timeout ? { onReserveConnection: (connection: unknown) => timeout.onReserve(connection) } : {}),
  });
}

/** Opens the ORM and applies pending migrations: the schema always matches the code at start. */
export async function openDatabase(clientUrl: string, poolMax?: number): Promise<MikroORM> {
  const timeout = new StatementTimeout();
  const orm = await MikroORM.init(ormConfig(clientUrl, poolMax, timeout));
  await orm.migrator.up();
  timeouts.set(orm, timeout);
  return orm;
}

/**
 * Cancels any statement of this ORM's connections that runs longer than `ms` (0: none), from
 * their next use: for the platform, so that no request holds a connection for minutes. The
 * event feed's own connection and data generation are not affected.
 */
export function setStatementTimeout(orm: MikroORM, ms: number): void {
  const timeout = timeouts.get(orm);
  if (!timeout) throw new Error('setStatementTimeout: the ORM was not opened with openDatabase');
  if (!Number.isInteger(ms) || ms < 0) throw new Error('setStatementTimeout: a whole number of milliseconds');
  timeout.ms = ms;
}
