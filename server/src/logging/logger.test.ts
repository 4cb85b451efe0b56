import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { Department } from '../sections/department.entity.js';
import { serializeError } from './logger.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

function capture(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ serializers: { err: serializeError } }, stream), lines };
}

describe('error logs', () => {
  it('never carry the row values PostgreSQL puts into a constraint error', async () => {
    const secret = '秘匿されるべき提案内容ABC';
    const em = db.orm.em.fork();
    em.persist(new Department(secret, 1));
    await em.flush();
    const again = db.orm.em.fork();
    again.persist(new Department(secret, 2));
    const error = await again.flush().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    // The raw error does carry it: that is what the serializer is for.
    expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).toContain(secret);

    const { logger, lines } = capture();
    logger.error({ err: error }, 'unexpected error');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]).toContain('department_name_unique'); // still useful: which constraint failed
  });
});
