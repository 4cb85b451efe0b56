import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../../db/embedded-postgres.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { Subscriber, ServerProcess, Writer, delay, eventually, faultSeed, liveCursorOf, prepareDialogues, reconcile, seededRandom, type Acknowledged } from './fault-kit.js';

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
  const graphqlUrl = `${server.origin}/graphql`;
  const dialogues = await prepareDialogues(db.orm, graphqlUrl, 2);

  const subscribers = new Map<string, Subscriber[]>();
  for (const [i, dialogue] of dialogues.entries()) {
    const cursor = await liveCursorOf(dialogue.desk);
    const watching = [new Subscriber(`desk watching ${i + 1}`, dialogue.desk, () => `ws://127.0.0.1:${port}/graphql`, dialogue.proposalId, cursor), new Subscriber(`proposer watching ${i + 1}`, dialogue.proposer, () => `ws://127.0.0.1:${port}/graphql`, dialogue.proposalId, cursor)];
    subscribers.set(dialogue.proposalId, watching);
    for (const subscriber of watching) subscriber.start();
  }
  const options = { doubleSendRate: 0.1, pauseMs: 30, writeDeadlineMs: 120_000 };
  const writers = dialogues.flatMap((d, i) => [
    new Writer(`desk${i + 1}`, d.desk, d, seededRandom(Math.floor(random() * 2 ** 32)), runId, options),
    new Writer(`proposer${i + 1}`, d.proposer, d, seededRandom(Math.floor(random() * 2 ** 32)), runId, options),
  ]);
  const total = writers.length * WRITES_PER_WRITER;

  // The kill plan, all from the seed: after how many stored messages each kill comes, and how:
  // 'commit' kills the instant the database holds that message (its answer most likely unsent),
  // 'later' a few milliseconds after it was acknowledged.
  const points = Array.from({ length: KILLS }, () => Math.floor(total * (0.1 + 0.8 * random()))).sort((a, b) => a - b);
  const plan = points.map((at, i) => ({ at: Math.max(at, (i + 1) * 4), mode: random() < 0.5 ? 'commit' : 'later', lagMs: Math.floor(random() * 40) }));
  console.log(`[faults] server-kill: plan ${JSON.stringify(plan)}`);

  const acknowledged: Acknowledged[] = [];
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
        await eventually(() => acknowledged.length >= step.at, 150_000, `${step.at} acknowledged writes`);
        await delay(step.lagMs);
      }
      await server!.kill('SIGKILL');
      const down = Date.now();
      server = await ServerProcess.start(db!.url, port);
      restarts.push(Date.now() - down);
    }
  })();

  await Promise.all(writers.map((w) => w.run(WRITES_PER_WRITER, (ack) => acknowledged.push(ack))));
  await killer;
  const stored = await storedCount();
  await watcher.end();

  // Every stored message's event reaches every subscriber.
  const all = [...subscribers.values()].flat();
  await eventually(() => all.every((s) => s.events.filter((e) => e.kind === 'MESSAGE_POSTED' && e.body?.startsWith(`障害試験 ${runId}`)).length >= stored / dialogues.length), 60_000, 'every event at every subscriber').catch((error: Error) => {
    throw new Error(`${error.message}: ${all.map((s) => `${s.name} ${s.events.length} errors ${s.errors.join(' ')}`).join('; ')}`);
  });
  const result = await reconcile(db.orm, dialogues, writers, subscribers, runId);
  for (const subscriber of all) await subscriber.stop();

  const stats = writers.reduce((sum, w) => ({ attempts: sum.attempts + w.stats.attempts, failed: sum.failed + w.stats.failedAttempts, doubled: sum.doubled + w.stats.doubleSent }), { attempts: 0, failed: 0, doubled: 0 });
  const rolledBack = Number((await db.orm.em.fork().getConnection().execute<Array<{ n: number }>>(`select xact_rollback::int as n from pg_stat_database where datname = current_database()`))[0]!.n);
  console.log(
    `[faults] server-kill: seed ${seed}, ${KILLS} SIGKILLs, ${result.acknowledged} writes acknowledged of ${stats.attempts} attempts (${stats.failed} failed and retried, ${stats.doubled} sent twice at once), ` +
      `${result.messagesStored} messages stored, ${result.eventsStored} events in the outbox, ${result.eventsDelivered} delivered to ${all.length} subscribers over ${all.reduce((n, s) => n + s.connections, 0)} connections, ` +
      `${rolledBack} transactions rolled back, restarts ${restarts.join('/')} ms, ${result.problems.length} problems, ${Math.round((Date.now() - started) / 1000)} s`,
  );

  expect(result.problems).toEqual([]);
  expect(result.acknowledged).toBe(total);
  expect(result.messagesStored).toBe(total);
  expect(result.eventsDelivered).toBe(total * 2);
  // The faults really happened: writes were cut off and every subscriber had to resume.
  expect(stats.failed).toBeGreaterThan(0);
  for (const subscriber of all) expect(subscriber.connections, subscriber.name).toBeGreaterThan(KILLS);
  for (const subscriber of all) expect(subscriber.errors, subscriber.name).toEqual([]);
});
