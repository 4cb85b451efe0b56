import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../../db/embedded-postgres.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { seededRandom } from '../../../test/random-operations.js';
import { ServerProcess, faultSeed, reconcile, startLoad } from './fault-kit.js';

/**
 * Fault (c): the server is stopped with SIGTERM K times under load, each time the instant a
 * message commits (its request still in flight), and started again. Every request the server
 * had begun is answered — never cut off — the process exits 0, and subscribers reconnect and
 * resume with no gap and no duplicate.
 */

const STOPS = 3;
const WRITES_PER_WRITER = 40;
const started = Date.now();
let db: TestDatabase | null = null;
let server: ServerProcess | null = null;

afterAll(async () => {
  await server?.kill('SIGKILL');
  await db?.dispose();
});

it(`SIGTERM under load ${STOPS} times: requests in flight are answered, subscribers resume with no gap`, { timeout: 180_000 }, async () => {
  const seed = faultSeed('server-sigterm');
  const random = seededRandom(seed);
  const runId = randomBytes(3).toString('hex');
  db = await createTestDatabase();
  const port = await freePort();
  server = await ServerProcess.start(db.url, port);
  const load = await startLoad(db.orm, server, random, runId, WRITES_PER_WRITER, 30);
  const total = load.total;

  // From the seed: each stop comes a seeded number of stored messages after the previous restart.
  const gaps = Array.from({ length: STOPS }, () => 6 + Math.floor(random() * (total / (STOPS + 1) - 6)));
  console.log(`[faults] server-sigterm: stops after ${gaps.join(', ')} more stored messages`);

  const watcher = new pg.Client({ connectionString: db.url });
  watcher.on('error', () => undefined); // the database is dropped under it when the test fails early
  await watcher.connect();
  const storedBodies = async () => (await watcher.query<{ body: string }>(`select body from message where body like $1`, [`障害試験 ${runId} %`])).rows.map((r) => r.body);
  const exits: Array<{ code: number | null; signal: string | null; ms: number }> = [];
  /** Writes committed but not yet answered when SIGTERM was sent: requests the server had begun. */
  const inFlight: string[] = [];
  const stopper = (async () => {
    for (const gap of gaps) {
      const target = (await storedBodies()).length + gap;
      while ((await storedBodies()).length < target) {
        /* spin: the statement after the one that sees the commit is the SIGTERM */
      }
      server!.child.kill('SIGTERM');
      const sentAt = Date.now();
      const answered = new Set(load.acknowledged.map((a) => a.body));
      const exit = await server!.exited;
      exits.push({ ...exit, ms: Date.now() - sentAt });
      // What the server committed by the time it exited and had not answered when told to stop.
      for (const body of await storedBodies()) if (!answered.has(body)) inFlight.push(body);
      server = await ServerProcess.start(db!.url, port);
    }
  })();

  await load.write();
  await stopper;
  await watcher.end();
  await load.settle(() => `server: ${server!.output()}`);
  const result = await reconcile(db.orm, load, runId);

  const byBody = new Map(load.acknowledged.map((a) => [a.body, a]));
  const cutOff = inFlight.filter((body) => (byBody.get(body)?.failedAttempts ?? 1) > 0);
  const stats = load.stats();
  console.log(
    `[faults] server-sigterm: seed ${seed}, ${STOPS} SIGTERMs, exits ${exits.map((e) => `${e.code ?? e.signal} after ${e.ms} ms`).join(', ')}; ${inFlight.length} writes in flight at SIGTERM, ${cutOff.length} cut off; ` +
      `${result.acknowledged} writes acknowledged of ${stats.attempts} attempts (${stats.failed} refused while stopped and retried), ${result.messagesStored} messages stored, ${result.eventsStored} events in the outbox, ` +
      `${result.eventsDelivered} delivered to ${load.watchers.length} subscribers over ${stats.connections} connections (close codes ${JSON.stringify(stats.closeCodes)}), ${result.problems.length} problems, ${Math.round((Date.now() - started) / 1000)} s`,
  );

  // Each stop was graceful, and no request it had begun was cut off.
  expect(exits.map((e) => e.code)).toEqual(Array(STOPS).fill(0));
  expect(inFlight.length).toBeGreaterThan(0);
  expect(cutOff.map((body) => ({ body, ...byBody.get(body) }))).toEqual([]);
  // Subscribers were told the server was going away (1001) and came back on their own.
  expect(stats.closeCodes[1001] ?? 0).toBeGreaterThanOrEqual(load.watchers.length);
  expect(result.problems).toEqual([]);
  expect(result.acknowledged).toBe(total);
  expect(result.eventsDelivered).toBe(total * 2);
  for (const subscriber of load.watchers) expect(subscriber.errors, subscriber.name).toEqual([]);
});
