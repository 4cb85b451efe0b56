import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { freePort } from '../../db/embedded-postgres.js';
import { openDatabase } from '../../db/orm.js';
import { seededRandom } from '../../../test/random-operations.js';
import { ServerProcess, delay, eventually, faultSeed, reconcile, startLoad } from './fault-kit.js';
import { OwnPostgres } from '../../../test/own-postgres.js';

/**
 * Fault (b): PostgreSQL goes away under load — stopped fast, stopped immediately (as in a crash),
 * and frozen (SIGSTOP: it accepts connections and never answers) — and comes back. The server
 * process stays up, answers 503 on /healthz while the database is away (promptly, even when it
 * hangs), recovers by itself, and subscribers resume with no gap.
 */

const WRITES_PER_WRITER = 50;
type Outage = 'fast' | 'immediate' | 'freeze';
const started = Date.now();
let cluster: OwnPostgres | null = null;
let server: ServerProcess | null = null;
let orm: MikroORM | null = null;

afterAll(async () => {
  await server?.kill('SIGKILL');
  await orm?.close();
  await cluster?.dispose();
});

/** /healthz's status, or 0 when it did not answer within 10 s (a hang is the failure this guards). */
async function health(origin: string): Promise<number> {
  try {
    return (await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(10_000) })).status;
  } catch {
    return 0;
  }
}

it('PostgreSQL stopped fast, stopped immediately and frozen under load: healthz 503, no restart, no lost or doubled write or event', { timeout: 180_000 }, async () => {
  const seed = faultSeed('postgres-restart');
  const random = seededRandom(seed);
  const runId = randomBytes(3).toString('hex');
  cluster = await OwnPostgres.start();
  const databaseUrl = await cluster.createDatabase('renkei_faults');
  orm = await openDatabase(databaseUrl, 3);
  const port = await freePort();
  server = await ServerProcess.start(databaseUrl, port);
  const pid = server.child.pid;
  const load = await startLoad(orm, server, random, runId, WRITES_PER_WRITER, 40);
  await orm.close();
  orm = null;
  const total = load.total;

  // The plan, from the seed: the three kinds of outage in a seeded order, each after a seeded
  // number of acknowledged writes, lasting a seeded 2–5 s.
  const kinds: Outage[] = ['fast', 'immediate', 'freeze'];
  for (let i = kinds.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  const plan = kinds.map((kind, i) => ({ kind, at: Math.floor(total * (0.15 + 0.25 * i + 0.1 * random())), downMs: 2000 + Math.floor(random() * 3000) }));
  console.log(`[faults] postgres-restart: plan ${JSON.stringify(plan)}`);

  const probes: Array<{ kind: Outage; status: number }> = [];
  const recoveries: number[] = [];
  const outages = (async () => {
    for (const step of plan) {
      await eventually(() => load.acknowledged.length >= step.at, 150_000, `${step.at} acknowledged writes`);
      if (step.kind === 'freeze') cluster!.freeze();
      else await cluster!.stop(step.kind);
      const until = Date.now() + step.downMs;
      let asked = 0;
      while (Date.now() < until || asked < 3) {
        probes.push({ kind: step.kind, status: await health(server!.origin) });
        asked += 1;
        await delay(200);
      }
      const back = Date.now();
      if (step.kind === 'freeze') cluster!.thaw();
      else await cluster!.restart();
      await eventually(async () => (await health(server!.origin)) === 200, 60_000, `healthz 200 after the ${step.kind} outage`).catch(async (error: Error) => {
        const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
        const direct = await client.connect().then(() => 'accepts connections', (e: Error) => `refuses: ${e.message}`);
        await client.end().catch(() => undefined);
        throw new Error(`${error.message}; the database ${direct}; the server ${server!.running ? 'runs' : 'has exited'}: ${server!.output()}`);
      });
      recoveries.push(Date.now() - back);
    }
  })();

  await load.write();
  await outages;
  await load.settle(() => `server: ${server!.output()}`);
  orm = await openDatabase(databaseUrl, 3);
  const result = await reconcile(orm, load, runId);

  const stats = load.stats();
  console.log(
    `[faults] postgres-restart: seed ${seed}, outages ${plan.map((p) => `${p.kind} ${p.downMs} ms`).join(', ')}; healthz while away ${probes.map((p) => p.status).join(',')}; back to 200 after ${recoveries.join('/')} ms; ` +
      `${result.acknowledged} writes acknowledged of ${stats.attempts} attempts (${stats.failed} failed and retried, ${stats.doubled} sent twice at once), ${result.messagesStored} messages stored, ` +
      `${result.eventsStored} events in the outbox, ${result.eventsDelivered} delivered to ${load.watchers.length} subscribers over ${stats.connections} connections (close codes ${JSON.stringify(stats.closeCodes)}), ` +
      `${result.problems.length} problems, ${Math.round((Date.now() - started) / 1000)} s`,
  );

  // The process stayed up throughout: the same pid, never restarted.
  expect(server.running).toBe(true);
  expect(server.child.pid).toBe(pid);
  // Every probe while the database was away was answered, with 503.
  expect(probes.filter((p) => p.status !== 503)).toEqual([]);
  expect(result.problems).toEqual([]);
  expect(result.acknowledged).toBe(total);
  expect(result.messagesStored).toBe(total);
  expect(result.eventsDelivered).toBe(total * 2);
  expect(stats.failed).toBeGreaterThan(0);
  for (const subscriber of load.watchers) expect(subscriber.errors, subscriber.name).toEqual([]);
});
