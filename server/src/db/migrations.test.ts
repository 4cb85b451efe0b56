import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

describe('migrations', () => {
  it('produce exactly the schema the entities describe (no drift: write a migration for every entity change)', async () => {
    const diff = await db.orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('create the database with a UTF-8 ctype, so Japanese search works', async () => {
    const [row] = await db.orm.em.getConnection().execute<Array<{ encoding: string; ctype: string }>>(
      'select pg_encoding_to_char(encoding) as encoding, datctype as ctype from pg_database where datname = current_database()',
    );
    expect(row).toEqual({ encoding: 'UTF8', ctype: 'C.UTF-8' });
  });
});
