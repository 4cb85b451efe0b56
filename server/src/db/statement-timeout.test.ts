import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { createLogger } from '../logging/logger.js';
import { formatError } from '../errors/format-error.js';
import { setStatementTimeout } from './orm.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

const setting = async () => (await db.orm.em.fork().execute<Array<{ statement_timeout: string }>>('show statement_timeout'))[0]!.statement_timeout;

describe('the statement timeout', () => {
  it('is off after the migrations until the platform switches it on, then cancels a long statement on every connection', async () => {
    expect(await setting()).toBe('0');
    setStatementTimeout(db.orm, 300);
    expect(await setting()).toBe('300ms');
    // Several at once: each of the pool's connections takes the setting on.
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => db.orm.em.fork().execute('select pg_sleep(3)')));
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    const reason = (results[0] as PromiseRejectedResult).reason as Error;
    expect(reason.message).toMatch(/statement timeout/);

    // What a client would be told: masked and coded, no SQL.
    const formatted = formatError({ message: reason.message }, new GraphQLError(reason.message, { originalError: reason }), 'request-1', createLogger('silent'));
    expect(formatted).toEqual({ message: 'Internal server error', path: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'request-1' } });

    setStatementTimeout(db.orm, 0);
    expect(await setting()).toBe('0');
  });
});
