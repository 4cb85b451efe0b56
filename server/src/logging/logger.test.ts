import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { Department } from '../sections/department.entity.js';
import { createLogger, serializeError } from './logger.js';

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

describe('secrets in logs', () => {
  it('censors cookies and every password field a log line may carry (sign-in, registration, password change)', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger('info', stream);
    const secrets = ['cookie-token-1', 'login-pass-2', 'input-pass-3', 'current-pass-4', 'new-pass-5', 'nested-new-6'];
    logger.info({ headers: { cookie: secrets[0] }, variables: { password: secrets[1], input: { password: secrets[2] }, currentPassword: secrets[3], newPassword: secrets[4] } }, 'request');
    logger.info({ change: { newPassword: secrets[5] } }, 'nested');
    const written = lines.join('');
    expect(lines).toHaveLength(2);
    for (const secret of secrets) expect(written).not.toContain(secret);
    expect(written.match(/\[redacted\]/g)).toHaveLength(secrets.length);
  });
});
