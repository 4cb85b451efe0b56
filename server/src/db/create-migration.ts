/**
 * Writes a new migration into migrations/ from the difference between the entities and the
 * schema the existing migrations produce. Review it, give it a meaningful name, and add it to
 * migrations/migrations-list.ts.   Usage: pnpm --filter @renkei/server migration:create <name>
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { createScratchDatabase } from './scratch-database.js';
import { MIGRATIONS_DIR, ormConfig } from './orm.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9-]+$/.test(name)) {
  console.error('Give the migration a name in kebab-case, e.g. add-proposals');
  process.exit(1);
}
const scratch = await createScratchDatabase('migration');
try {
  const orm = await MikroORM.init(ormConfig(scratch.url));
  await orm.migrator.up();
  const initial = (await orm.migrator.getExecuted()).length === 0;
  const result = await orm.migrator.create(MIGRATIONS_DIR, false, initial, name);
  console.log(result.diff.up.length ? `wrote ${result.fileName}` : 'no changes: entities match the migrations');
  await orm.close();
} finally {
  await scratch.dispose();
}
