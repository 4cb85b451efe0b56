import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { WebSocket } from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import { Challenge } from '../challenges/challenge.entity.js';
import { visibilityFactsOf } from '../challenges/challenge.policy.js';
import { CHALLENGE_TOPIC } from '../challenges/challenge.service.js';
import { Department } from '../sections/department.entity.js';
import type { Section } from '../sections/section.entity.js';
import { openDatabase } from '../db/orm.js';
import { freePort } from '../db/embedded-postgres.js';
import { createLogger } from '../logging/logger.js';
import { DomainEvent } from './domain-event.entity.js';
import { EventFeed } from './event-feed.js';
import { comparePositions } from './event-position.js';
import type { DeliveredEvent } from './delivered-event.js';
import { transact } from './transaction.js';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, subscribe, type Collected, type GraphqlResult } from '../../test/graphql-client.js';
import { CHALLENGE_INPUT, TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';

/**
 * The event backbone end to end on a real PostgreSQL: several instances, rolled-back writes,
 * transactions committing out of id order, and a server killed mid-stream.
 */

const EVENTS = `subscription($after: String) { challengeEvents(after: $after) { cursor kind challengeId challenge { id title version } } }`;
const CREATE = `mutation($input: ChallengeInput!, $key: String) { createChallenge(input: $input, idempotencyKey: $key) { id version title } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: ChallengeInput!) { updateChallenge(id: $id, expectedVersion: $v, input: $input) { id version } }`;
const OPEN = `mutation($id: ID!, $v: Int!) { openChallenge(id: $id, expectedVersion: $v) { id version } }`;
const PUBLISH = `mutation($id: ID!, $v: Int!) { publishChallenge(id: $id, expectedVersion: $v) { id version } }`;

type LiveEvent = { cursor: string; kind: string; challengeId: string; challenge: { id: string; title: string; version: number } | null };
type EventResult = { challengeEvents: LiveEvent };

const silent = createLogger('silent');
const serverDir = path.resolve(import.meta.dirname, '../..');

let db: TestDatabase;
/** A second ORM (own pool) on the same database, so instance B shares nothing with A but PostgreSQL. */
let secondOrm: Awaited<ReturnType<typeof openDatabase>>;
let serverA: TestServer;
let serverB: TestServer;
let section: Section;
let deskEmail: string;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds or the deadline passes (for conditions nothing can be awaited on). */
async function eventually<T>(condition: () => T | undefined | false | Promise<T | undefined | false>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

function input(title: string) {
  return { ...CHALLENGE_INPUT, title, owningSectionId: section.id };
}

async function signInOn(server: TestServer): Promise<HttpSession> {
  return new HttpSession(server.httpUrl).login(deskEmail, TEST_PASSWORD);
}

/** Subscribes from the current position on `server` (liveCursor first: nothing after this call can be missed). */
async function watch(session: HttpSession, server: Pick<TestServer, 'wsUrl'>) {
  const { liveCursor } = await session.ok<{ liveCursor: string }>('{ liveCursor }');
  const client = session.websocket(server.wsUrl);
  return { client, ...subscribe<EventResult>(client, EVENTS, { after: liveCursor }) };
}

function eventsOf(items: Array<{ data?: EventResult | null; errors?: unknown[] }>): LiveEvent[] {
  for (const item of items) if (item.errors?.length) throw new Error(`subscription error: ${JSON.stringify(item.errors)}`);
  return items.map((item) => item.data!.challengeEvents);
}

/**
 * The delivered events about `ids`, waiting until there are at least `count`. A live cursor is
 * conservative: it lies before every transaction still running anywhere in the cluster, so a new
 * watcher may also be replayed events committed just before it subscribed (an earlier test's).
 */
async function eventsAbout(collected: Collected<GraphqlResult<EventResult>>, ids: readonly string[], count: number): Promise<LiveEvent[]> {
  const about = (items: Array<GraphqlResult<EventResult>>) => eventsOf(items).filter((e) => ids.includes(e.challengeId));
  return about(await collected.until((items) => about(items).length >= count));
}

beforeAll(async () => {
  db = await createTestDatabase();
  secondOrm = await openDatabase(db.url, 5);
  serverA = await startTestServer({}, db);
  serverB = await startTestServer({}, { ...db, orm: secondOrm, dispose: async () => undefined });
  [section] = (await createDepartmentWithSections(db.orm.em.fork(), ['防災危機管理課'])) as [Section];
  deskEmail = (await createAccount(db.orm.em.fork(), Role.DESK)).email;
});

afterAll(async () => {
  await serverB?.stop();
  await serverA?.stop();
  await secondOrm?.close();
  await db?.dispose();
});

describe('two server instances on one database', () => {
  it('each delivers the other’s events, in the same order, with the same cursors', async () => {
    // One session (sessions live in the database), used against both instances.
    const onA = await signInOn(serverA);
    const onB = new HttpSession(serverB.httpUrl);
    onB.cookie = onA.cookie;
    const watchB = await watch(onB, serverB);
    const watchA = await watch(onA, serverA);
    try {
      // Writes alternate between the instances; each change depends on the previous one's version.
      const created = (await onA.ok(CREATE, { input: input('インスタンスAで作成') })).createChallenge;
      const updated = (await onB.ok(UPDATE, { id: created.id, v: created.version, input: input('インスタンスBで編集') })).updateChallenge;
      const opened = (await onA.ok(OPEN, { id: updated.id, v: updated.version })).openChallenge;
      const published = (await onB.ok(PUBLISH, { id: opened.id, v: opened.version })).publishChallenge;
      const second = (await onB.ok(CREATE, { input: input('インスタンスBで作成') })).createChallenge;

      const expected = [
        ['CREATED', created.id],
        ['UPDATED', created.id],
        ['OPENED', created.id],
        ['PUBLISHED', created.id],
        ['CREATED', second.id],
      ];
      const onInstanceB = await eventsAbout(watchB.collected, [created.id, second.id], expected.length);
      const onInstanceA = await eventsAbout(watchA.collected, [created.id, second.id], expected.length);
      expect(onInstanceB.map((e) => [e.kind, e.challengeId])).toEqual(expected);
      expect(onInstanceA.map((e) => [e.kind, e.challengeId])).toEqual(expected);
      // The same events, not merely the same shape: identical cursors on both instances.
      expect(onInstanceA.map((e) => e.cursor)).toEqual(onInstanceB.map((e) => e.cursor));
      expect(onInstanceB.at(-2)!.challenge).toMatchObject({ id: created.id, title: 'インスタンスBで編集', version: published.version });
    } finally {
      watchA.stop();
      watchB.stop();
      await watchA.client.dispose();
      await watchB.client.dispose();
    }
  });

  it('wakes the other instance after a commit (NOTIFY), not by its sweep', { timeout: 90_000 }, async () => {
    // Instances in one process also wake each other directly, so the other instance here is its own
    // process; the sweep that catches lost wake-ups runs there once an hour, so events reach it in
    // time only by NOTIFY, and serverA's sweep would make a round take up to a second.
    const port = await freePort();
    const child = await startServerProcess(db.url, port, { EVENT_SWEEP_SECONDS: '3600' });
    const other = { httpUrl: `http://127.0.0.1:${port}/graphql`, wsUrl: `ws://127.0.0.1:${port}/graphql` };
    const onA = await signInOn(serverA);
    const onOther = await new HttpSession(other.httpUrl).login(deskEmail, TEST_PASSWORD);
    const watchOther = await watch(onOther, other);
    const watchA = await watch(onA, serverA);
    try {
      // Write-then-see round trips: six written on A and seen by the other process, then six the
      // other way. Without the NOTIFY the other process would see nothing for an hour.
      const rounds = 13;
      let current = (await onA.ok(CREATE, { input: input('往復 0') })).createChallenge;
      await eventsAbout(watchOther.collected, [current.id], 1);
      for (let round = 1; round < rounds; round += 1) {
        const [writer, watcher] = round <= 6 ? [onA, watchOther] : [onOther, watchA];
        current = (await writer.ok(UPDATE, { id: current.id, v: current.version, input: input(`往復 ${round}`) })).updateChallenge;
        await eventsAbout(watcher.collected, [current.id], round + 1);
      }
      for (const watcher of [watchA, watchOther]) {
        const all = await eventsAbout(watcher.collected, [current.id], rounds);
        expect(all.map((e) => e.kind)).toEqual(['CREATED', ...Array<string>(rounds - 1).fill('UPDATED')]);
      }
    } finally {
      watchA.stop();
      watchOther.stop();
      await watchA.client.dispose();
      await watchOther.client.dispose();
      child.process.kill('SIGKILL');
    }
  });
});

describe('a rolled-back write', () => {
  it('leaves no event row and is never delivered, while the next committed change is', async () => {
    const desk = await signInOn(serverA);
    const watcher = await watch(desk, serverB);
    const created = (await desk.ok(CREATE, { input: input('ロールバック前') })).createChallenge;
    const eventsBefore = await db.orm.em.fork().count(DomainEvent, {});
    try {
      // 1. The work itself fails after the change and its event reached the database (flushed).
      await expect(
        transact(db.orm.em.fork(), async (tx, events) => {
          const challenge = await tx.findOneOrFail(Challenge, created.id);
          const before = visibilityFactsOf(challenge);
          challenge.title = 'ロールバックされた編集';
          events.record({ topic: CHALLENGE_TOPIC, kind: 'UPDATED', aggregateId: challenge.id, actorId: null, payload: { before, after: visibilityFactsOf(challenge) } });
          await tx.flush();
          throw new Error('rollback');
        }),
      ).rejects.toThrow('rollback');

      // 2. The commit itself fails (a unique violation in the final flush).
      const existing = await db.orm.em.fork().findOneOrFail(Department, { name: { $ne: null } });
      await expect(
        transact(db.orm.em.fork(), async (tx, events) => {
          const challenge = await tx.findOneOrFail(Challenge, created.id);
          const before = visibilityFactsOf(challenge);
          challenge.title = 'コミットに失敗した編集';
          tx.persist(new Department(existing.name, 99));
          events.record({ topic: CHALLENGE_TOPIC, kind: 'UPDATED', aggregateId: challenge.id, actorId: null, payload: { before, after: visibilityFactsOf(challenge) } });
        }),
      ).rejects.toThrow();

      const em = db.orm.em.fork();
      expect(await em.count(DomainEvent, {})).toBe(eventsBefore);
      expect(await em.count(DomainEvent, { aggregateId: created.id, kind: 'UPDATED' })).toBe(0);
      expect((await em.findOneOrFail(Challenge, created.id)).title).toBe('ロールバック前');

      // A committed change after them is delivered — and is the only thing delivered.
      const committed = (await desk.ok(UPDATE, { id: created.id, v: created.version, input: input('コミットされた編集') })).updateChallenge;
      await eventsAbout(watcher.collected, [created.id], 2);
      // Anything for the failed writes would come before the committed one: delivery is in commit order.
      await sawNothingMoreOn(serverB);
      const items = await eventsAbout(watcher.collected, [created.id], 2);
      expect(items.map((e) => e.kind)).toEqual(['CREATED', 'UPDATED']);
      expect(items[1]).toMatchObject({ kind: 'UPDATED', challengeId: created.id, challenge: { title: 'コミットされた編集', version: committed.version } });
      expect(JSON.stringify(watcher.collected.items)).not.toMatch(/ロールバックされた|コミットに失敗した/);
    } finally {
      watcher.stop();
      await watcher.client.dispose();
    }
  });
});

/** Waits until `server`'s feed has completed a read that started after this call (so anything committed before is handed out). */
async function sawNothingMoreOn(server: TestServer): Promise<void> {
  await feedHasLooked(server.platform.feed);
}

/**
 * Counts the feed's completed database reads. The feed's pool is private; wrapping its `query`
 * lets a test wait for "the feed has looked" instead of sleeping.
 */
function countQueries(feed: EventFeed): { readonly completed: number; restore(): void } {
  const pool = (feed as unknown as { pool: pg.Pool }).pool as unknown as { query: (...args: unknown[]) => Promise<unknown> };
  const original = pool.query;
  let completed = 0;
  pool.query = function (this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    void result.then(
      () => (completed += 1),
      () => (completed += 1),
    );
    return result;
  };
  return {
    get completed() {
      return completed;
    },
    restore() {
      pool.query = original;
    },
  };
}

describe('events committed out of id order', () => {
  let feed: EventFeed;
  let received: DeliveredEvent[];
  const clients: pg.Client[] = [];

  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    clients.push(client);
    return client;
  }

  const INSERT = `insert into domain_event (topic, kind, aggregate_id, payload, occurred_at) values ('challenge', $1, $2, '{}'::jsonb, now()) returning id::text as id, txid::text as txid`;

  beforeAll(async () => {
    feed = new EventFeed(db.url, silent);
    await feed.start();
    received = [];
    feed.subscribe((event) => received.push(event));
  });

  afterAll(async () => {
    await feed?.stop();
    for (const client of clients) await client.end().catch(() => undefined);
  });

  it('holds back a later-committed event until the earlier transaction ends, then delivers both in (txid, id) order', async () => {
    const mark = `order-${randomBytes(4).toString('hex')}`;
    received.length = 0;
    const t1 = await connect();
    const t2 = await connect();

    await t1.query('begin');
    const e1 = (await t1.query<{ id: string; txid: string }>(INSERT, ['E1', mark])).rows[0]!;
    const e2 = (await t2.query<{ id: string; txid: string }>(INSERT, ['E2', mark])).rows[0]!; // autocommit
    await t2.query(`select pg_notify('renkei_events', '')`);
    expect(BigInt(e2.id)).toBeGreaterThan(BigInt(e1.id));
    expect(BigInt(e1.txid)).toBeLessThan(BigInt(e2.txid));

    // E2 is committed, but T1 is still running: a position past E2 would skip E1 forever.
    await feedHasLooked(feed, 3);
    expect(received.filter((e) => e.aggregateId === mark)).toEqual([]);
    // The replay path holds it back too, and a live cursor handed out now lies before E1.
    const head = await feed.head();
    expect(head.txid).toBeLessThanOrEqual(BigInt(e1.txid));
    expect((await feed.readAfter({ txid: 0n, id: 0n }, ['challenge'])).filter((e) => e.aggregateId === mark)).toEqual([]);

    // T1 commits without a NOTIFY of its own: the feed's retry while something was pending must find it.
    await t1.query('commit');
    const mine = await eventually(() => {
      const got = received.filter((e) => e.aggregateId === mark);
      return got.length >= 2 && got;
    }, 5000, 'E1 and E2');
    expect(mine.map((e) => e.kind)).toEqual(['E1', 'E2']);
    expect(mine.map((e) => e.position)).toEqual([
      { txid: BigInt(e1.txid), id: BigInt(e1.id) },
      { txid: BigInt(e2.txid), id: BigInt(e2.id) },
    ]);
    await feedHasLooked(feed);
    expect(received.filter((e) => e.aggregateId === mark)).toHaveLength(2);
  });

  it('delivers every event of many interleaved concurrent transactions exactly once, in (txid, id) order', async () => {
    const mark = `burst-${randomBytes(4).toString('hex')}`;
    received.length = 0;
    const writers = await Promise.all(Array.from({ length: 12 }, () => connect()));
    // Each transaction writes two events with a pause between: ids interleave across transactions,
    // and commits happen in an order unrelated to either ids or txids.
    await Promise.all(
      writers.map(async (client, index) => {
        for (let round = 0; round < 3; round += 1) {
          await client.query('begin');
          await client.query(INSERT, [`W${index}-${round}-a`, mark]);
          await client.query('select pg_sleep($1)', [((index * 7 + round * 13) % 11) / 1000]);
          await client.query(INSERT, [`W${index}-${round}-b`, mark]);
          await client.query('select pg_sleep($1)', [((index * 5 + round * 3) % 7) / 1000]);
          await client.query('commit');
          await client.query(`select pg_notify('renkei_events', '')`);
        }
      }),
    );
    const total = writers.length * 3 * 2;
    const { rows } = await writers[0]!.query<{ id: string; txid: string }>(`select id::text as id, txid::text as txid from domain_event where aggregate_id = $1 order by txid, id`, [mark]);
    expect(rows).toHaveLength(total);

    const mine = await eventually(() => {
      const got = received.filter((e) => e.aggregateId === mark);
      return got.length >= total && got;
    }, 30_000, `${total} events`);
    await feedHasLooked(feed);
    const delivered = received.filter((e) => e.aggregateId === mark);
    expect(delivered).toHaveLength(total);
    expect(delivered.map((e) => `${e.position.txid}.${e.position.id}`)).toEqual(rows.map((row) => `${row.txid}.${row.id}`));
    for (let i = 1; i < mine.length; i += 1) expect(comparePositions(mine[i - 1]!.position, mine[i]!.position)).toBe(-1);
    // Both events of one transaction arrive together (nothing else between them).
    for (let i = 0; i < delivered.length; i += 2) {
      expect(delivered[i]!.kind.replace(/-a$/, '')).toBe(delivered[i + 1]!.kind.replace(/-b$/, ''));
    }
  });
});

/**
 * Waits until the feed has completed a read that began after this call. A read already running
 * when it is called may finish first, so: wake, wait for one completion, twice.
 */
async function feedHasLooked(feed: EventFeed, times = 2): Promise<void> {
  const polls = countQueries(feed);
  try {
    for (let i = 0; i < times; i += 1) {
      const start = polls.completed;
      feed.wake();
      await eventually(() => polls.completed > start, 5000, 'a feed read');
    }
  } finally {
    polls.restore();
  }
}

// ---------------------------------------------------------------------------------------------
// A real server process killed with SIGKILL mid-stream and restarted.

interface Child {
  process: ChildProcess;
  output: () => string;
}

const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function startServerProcess(databaseUrl: string, port: number, extraEnv: Record<string, string> = {}): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: 'warn', NODE_ENV: 'test', CLIENT_DIST: '/nonexistent', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy: ${output}`);
    await delay(100);
  }
  return { process: child, output: () => output };
}

/** A graphql-ws client with the session cookie that reports connection failures to the subscription (lazy). */
function socketClient(wsUrl: string, cookie: string | undefined): Client {
  class CookieWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: cookie ? { cookie } : {} });
    }
  }
  return createClient({ url: wsUrl, webSocketImpl: CookieWebSocket, retryAttempts: 0, lazy: true });
}

describe('a server killed with SIGKILL and restarted', () => {
  it('loses no committed write and no event; retries are idempotent and the stream resumes from the last cursor', { timeout: 90_000 }, async () => {
    const crashDb = await createTestDatabase();
    try {
      const [owning] = (await createDepartmentWithSections(crashDb.orm.em.fork(), ['危機管理課'])) as [Section];
      const account = await createAccount(crashDb.orm.em.fork(), Role.DESK);
      const port = await freePort();
      const httpUrl = `http://127.0.0.1:${port}/graphql`;
      const wsUrl = `ws://127.0.0.1:${port}/graphql`;
      let child = await startServerProcess(crashDb.url, port);

      const session = await new HttpSession(httpUrl).login(account.email, TEST_PASSWORD);
      const { liveCursor } = await session.ok<{ liveCursor: string }>('{ liveCursor }');

      // The subscriber: reconnects after any failure with the last cursor it saw.
      const received: LiveEvent[] = [];
      const subscriptionErrors: unknown[] = [];
      let connections = 0;
      let cursor = liveCursor;
      let stopping = false;
      let current: Client | null = null;
      const subscriber = (async () => {
        while (!stopping) {
          const client = socketClient(wsUrl, session.cookie);
          current = client;
          connections += 1;
          await new Promise<void>((resolve) => {
            client.subscribe<EventResult>(
              { query: EVENTS, variables: { after: cursor } },
              {
                next: (value) => {
                  const event = value.data?.challengeEvents;
                  if (!event) return void subscriptionErrors.push(value.errors);
                  received.push(event);
                  cursor = event.cursor;
                },
                error: () => resolve(),
                complete: () => resolve(),
              },
            );
          });
          await client.dispose();
          if (!stopping) await delay(100);
        }
      })();

      // The writer: a stream of creations, each retried with its own key until it gets an answer.
      const total = 40;
      const killAfter = 5 + Math.floor(Math.random() * (total - 10));
      let context = `(killed while creation ${killAfter} was in flight)`;
      const answered: Array<{ index: number; id: string; title: string }> = [];
      const attempts = new Map<number, number>();
      let failedAttempts = 0;
      const runId = randomBytes(3).toString('hex');
      const titleOf = (index: number) => `クラッシュ試験 ${runId} ${String(index).padStart(2, '0')}`;

      // The hardest moment to die: creation `killAfter` is committed but its answer not yet sent.
      // Watch the database and kill the server the instant the row appears.
      const watcher = new pg.Client({ connectionString: crashDb.url });
      await watcher.connect();
      let killed: Promise<void> | null = null;
      const killAndRestart = async () => {
        const title = titleOf(killAfter);
        const until = Date.now() + 10_000;
        while ((await watcher.query('select 1 from challenge where title = $1', [title])).rowCount === 0 && Date.now() < until) {
          /* spin: the next statement after the commit is the kill */
        }
        const old = child.process;
        const exited = new Promise((resolve) => old.once('exit', resolve));
        old.kill('SIGKILL');
        await exited;
        await watcher.end().catch(() => undefined);
        child = await startServerProcess(crashDb.url, port);
      };

      const deadline = Date.now() + 60_000;
      for (let index = 0; index <= total; index += 1) {
        const key = `crash-${runId}-${index}`;
        if (index === killAfter) killed = killAndRestart();
        for (;;) {
          attempts.set(index, (attempts.get(index) ?? 0) + 1);
          if (Date.now() > deadline) throw new Error(`creation ${index} got no answer ${context}: ${child.output()}`);
          try {
            const result = await session.request<{ createChallenge: { id: string; title: string } }>(CREATE, { input: { ...CHALLENGE_INPUT, title: titleOf(index), owningSectionId: owning.id }, key });
            if (result.data?.createChallenge) {
              answered.push({ index, ...result.data.createChallenge });
              break;
            }
            // An answer with an error: only a masked internal error (the server losing its footing) is worth a retry.
            const code = result.errors?.[0]?.extensions?.code;
            if (code !== 'INTERNAL_SERVER_ERROR') throw new Error(`creation ${index} refused ${context}: ${JSON.stringify(result.errors)}`);
            failedAttempts += 1;
          } catch (error) {
            if (error instanceof Error && error.message.startsWith('creation')) throw error;
            failedAttempts += 1; // connection refused or reset: the server is down or going down
          }
          await delay(25);
        }
      }
      await killed;
      // Usually the kill lands between the commit and the answer, so the retry must be answered idempotently.
      context += (attempts.get(killAfter) ?? 0) > 1 ? ', its answer lost and retried' : ', answered before the kill';
      expect(failedAttempts, `the kill must have interrupted the writer ${context}`).toBeGreaterThan(0);

      // Reconcile the database: every answered creation exists exactly once, with the answered id.
      const rows = await crashDb.orm.em.fork().getConnection().execute<Array<{ id: string; title: string }>>(`select id, title from challenge where title like ? order by title`, [`クラッシュ試験 ${runId} %`]);
      expect(rows.map((row) => row.title), context).toEqual(answered.map((a) => a.title));
      expect(rows.map((row) => row.id)).toEqual(answered.map((a) => a.id));
      const eventRows = await crashDb.orm.em.fork().getConnection().execute<Array<{ aggregate_id: string; kind: string }>>(`select aggregate_id, kind from domain_event where topic = 'challenge' order by txid, id`);
      expect(eventRows.map((row) => [row.kind, row.aggregate_id]), context).toEqual(answered.map((a) => ['CREATED', a.id]));

      // Reconcile the stream: the last creation is a sentinel; once it is seen, everything before it must have been.
      const sentinel = answered.at(-1)!.id;
      await eventually(() => received.some((e) => e.challengeId === sentinel), 15_000, `the sentinel event ${context}`).catch((error: Error) => {
        throw new Error(`${error.message}; received ${received.length}, errors ${JSON.stringify(subscriptionErrors)}`);
      });
      stopping = true;
      await (current as Client | null)?.dispose();
      await subscriber;

      expect(subscriptionErrors, context).toEqual([]);
      expect(connections, `the subscriber must have reconnected ${context}`).toBeGreaterThan(1);
      expect(received.map((e) => [e.kind, e.challengeId]), context).toEqual(answered.map((a) => ['CREATED', a.id]));
      expect(received.map((e) => e.challenge?.title)).toEqual(answered.map((a) => a.title));
      expect(new Set(received.map((e) => e.cursor)).size).toBe(received.length);

      child.process.kill('SIGTERM');
      await new Promise((resolve) => (child.process.exitCode !== null ? resolve(null) : child.process.once('exit', resolve)));
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await crashDb.dispose();
    }
  });
});
