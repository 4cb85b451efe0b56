import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../../db/embedded-postgres.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { seededRandom } from '../../../test/random-operations.js';
import { ServerProcess, delay, eventually, faultSeed, reconcile, startLoad } from './fault-kit.js';

/**
 * Fault (a): the server is SIGKILLed K times at seeded random points while several people post
 * messages with idempotency keys (retrying until answered, sometimes sending a write twice at
 * once) and others watch the dialogues live; each time it is started again on the same database.
 * Afterwards nothing acknowledged is lost or stored twice, and every subscriber received every
 * committed message's event exactly once, in order, and nothing else.
 */

const KILLS = 4;
const WRITES_PER_WRITER = 50;
const started = Date.now();
let db: TestDatabase | null = null;
let server: ServerProcess | null = null;

afterAll(async () => {
  await server?.kill('SIGKILL');
  await db?.dispose();
});

it(`loses no acknowledged write and no event, duplicates nothing, over ${KILLS} SIGKILLs`, { timeout: 180_000 }, async () => {
  const seed = faultSeed('server-kill');
  const random = seededRandom(seed);
  const runId = randomBytes(3).toString('hex');
  db = await createTestDatabase();
  const port = await freePort();
  server = await ServerProcess.start(db.url, port);
  const load = await startLoad(db.orm, server, random, runId, WRITES_PER_WRITER, 30);

  // The kill plan, all from the seed: after how many stored messages each kill comes, and how:
  // 'commit' kills the instant the database holds that message (its answer most likely unsent),
  // 'later' a few milliseconds after it was acknowledged.
  const points = Array.from({ length: KILLS }, () => Math.floor(load.total * (0.1 + 0.8 * random()))).sort((a, b) => a - b);
  const plan = points.map((at, i) => ({ at: Math.max(at, (i + 1) * 4), mode: random() < 0.5 ? 'commit' : 'later', lagMs: Math.floor(random() * 40) }));
  console.log(`[faults] server-kill: plan ${JSON.stringify(plan)}`);

  const watcher = new pg.Client({ connectionString: db.url });
  watcher.on('error', () => undefined); // the database is dropped under it when the test fails early
  await watcher.connect();
  const storedCount = async () => Number((await watcher.query(`select count(*)::int as n from message where body like $1`, [`障害試験 ${runId} %`])).rows[0].n);
  const restarts: number[] = [];
  const killer = (async () => {
    for (const step of plan) {
      if (step.mode === 'commit') {
        while ((await storedCount()) < step.at) {
          /* spin: the statement after the one that sees the commit is the kill */
        }
      } else {
        await eventually(() => load.acknowledged.length >= step.at, 150_000, `${step.at} acknowledged writes`);
        await delay(step.lagMs);
      }
      await server!.kill('SIGKILL');
      const down = Date.now();
      server = await ServerProcess.start(db!.url, port);
      restarts.push(Date.now() - down);
    }
  })();

  await load.write();
  await killer;
  await watcher.end();
  await load.settle(() => `server: ${server!.output()}`);
  const result = await reconcile(db.orm, load, runId);

  const stats = load.stats();
  const rolledBack = Number((await db.orm.em.fork().getConnection().execute<Array<{ n: number }>>(`select xact_rollback::int as n from pg_stat_database where datname = current_database()`))[0]!.n);
  console.log(
    `[faults] server-kill: seed ${seed}, ${KILLS} SIGKILLs, ${result.acknowledged} writes acknowledged of ${stats.attempts} attempts (${stats.failed} failed and retried, ${stats.doubled} sent twice at once), ` +
      `${result.messagesStored} messages stored, ${result.eventsStored} events in the outbox, ${result.eventsDelivered} delivered to ${load.watchers.length} subscribers over ${stats.connections} connections, ` +
      `${rolledBack} transactions rolled back, restarts ${restarts.join('/')} ms, ${result.problems.length} problems, ${Math.round((Date.now() - started) / 1000)} s`,
  );

  expect(result.problems).toEqual([]);
  expect(result.acknowledged).toBe(load.total);
  expect(result.messagesStored).toBe(load.total);
  expect(result.eventsDelivered).toBe(load.total * 2);
  // The faults really happened: writes were cut off and every subscriber had to resume.
  expect(stats.failed).toBeGreaterThan(0);
  for (const subscriber of load.watchers) expect(subscriber.connections, subscriber.name).toBeGreaterThan(KILLS);
  for (const subscriber of load.watchers) expect(subscriber.errors, subscriber.name).toEqual([]);
});
