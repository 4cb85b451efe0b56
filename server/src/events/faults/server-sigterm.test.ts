import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../../db/embedded-postgres.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { Subscriber, ServerProcess, Writer, faultSeed, eventually, liveCursorOf, prepareDialogues, reconcile, seededRandom, type Acknowledged } from './fault-kit.js';

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
  const dialogues = await prepareDialogues(db.orm, `${server.origin}/graphql`, 2);

  const wsUrl = () => `ws://127.0.0.1:${port}/graphql`;
  const subscribers = new Map<string, Subscriber[]>();
  for (const [i, dialogue] of dialogues.entries()) {
    const cursor = await liveCursorOf(dialogue.desk);
    const watching = [new Subscriber(`desk watching ${i + 1}`, dialogue.desk, wsUrl, dialogue.proposalId, cursor), new Subscriber(`proposer watching ${i + 1}`, dialogue.proposer, wsUrl, dialogue.proposalId, cursor)];
    subscribers.set(dialogue.proposalId, watching);
    for (const subscriber of watching) subscriber.start();
  }
  const options = { doubleSendRate: 0.1, pauseMs: 30, writeDeadlineMs: 120_000 };
  const writers = dialogues.flatMap((d, i) => [
    new Writer(`desk${i + 1}`, d.desk, d, seededRandom(Math.floor(random() * 2 ** 32)), runId, options),
    new Writer(`proposer${i + 1}`, d.proposer, d, seededRandom(Math.floor(random() * 2 ** 32)), runId, options),
  ]);
  const total = writers.length * WRITES_PER_WRITER;

  // From the seed: each stop comes a seeded number of stored messages after the previous restart.
  const gaps = Array.from({ length: STOPS }, () => 6 + Math.floor(random() * (total / (STOPS + 1) - 6)));
  console.log(`[faults] server-sigterm: stops after ${gaps.join(', ')} more stored messages`);

  const acknowledged: Acknowledged[] = [];
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
      const answered = new Set(acknowledged.map((a) => a.body));
      const exit = await server!.exited;
      exits.push({ ...exit, ms: Date.now() - sentAt });
      // What the server committed by the time it exited and had not answered when told to stop.
      for (const body of await storedBodies()) if (!answered.has(body)) inFlight.push(body);
      server = await ServerProcess.start(db!.url, port);
    }
  })();

  await Promise.all(writers.map((w) => w.run(WRITES_PER_WRITER, (ack) => acknowledged.push(ack))));
  await stopper;
  await watcher.end();

  const all = [...subscribers.values()].flat();
  const perProposal = total / dialogues.length;
  await eventually(() => all.every((s) => s.events.filter((e) => e.kind === 'MESSAGE_POSTED' && e.body?.startsWith(`障害試験 ${runId}`)).length >= perProposal), 60_000, 'every event at every subscriber').catch((error: Error) => {
    throw new Error(`${error.message}: ${all.map((s) => `${s.name} ${s.events.length} errors ${s.errors.join(' ')}`).join('; ')}`);
  });
  const result = await reconcile(db.orm, dialogues, writers, subscribers, runId);
  for (const subscriber of all) await subscriber.stop();

  const byBody = new Map(acknowledged.map((a) => [a.body, a]));
  const cutOff = inFlight.filter((body) => (byBody.get(body)?.failedAttempts ?? 1) > 0);
  const stats = writers.reduce((sum, w) => ({ attempts: sum.attempts + w.stats.attempts, failed: sum.failed + w.stats.failedAttempts }), { attempts: 0, failed: 0 });
  const codes = all.flatMap((s) => s.closeCodes).reduce<Record<number, number>>((count, code) => ({ ...count, [code]: (count[code] ?? 0) + 1 }), {});
  console.log(
    `[faults] server-sigterm: seed ${seed}, ${STOPS} SIGTERMs, exits ${exits.map((e) => `${e.code ?? e.signal} after ${e.ms} ms`).join(', ')}; ${inFlight.length} writes in flight at SIGTERM, ${cutOff.length} cut off; ` +
      `${result.acknowledged} writes acknowledged of ${stats.attempts} attempts (${stats.failed} refused while stopped and retried), ${result.messagesStored} messages stored, ${result.eventsStored} events in the outbox, ` +
      `${result.eventsDelivered} delivered to ${all.length} subscribers over ${all.reduce((n, s) => n + s.connections, 0)} connections (close codes ${JSON.stringify(codes)}), ${result.problems.length} problems, ${Math.round((Date.now() - started) / 1000)} s`,
  );

  // Each stop was graceful, and no request it had begun was cut off.
  expect(exits.map((e) => e.code)).toEqual(Array(STOPS).fill(0));
  expect(inFlight.length).toBeGreaterThan(0);
  expect(cutOff).toEqual([]);
  // Subscribers were told the server was going away (1001) and came back on their own.
  expect(codes[1001] ?? 0).toBeGreaterThanOrEqual(all.length);
  expect(result.problems).toEqual([]);
  expect(result.acknowledged).toBe(total);
  expect(result.eventsDelivered).toBe(total * 2);
  for (const subscriber of all) expect(subscriber.errors, subscriber.name).toEqual([]);
});
