import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { WebSocket } from 'ws';
import { createClient, type Client } from 'graphql-ws';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Role } from '../../identity/account.entity.js';
import { HttpSession, type GraphqlResult } from '../../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount } from '../../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../../test/proposal-factories.js';
import { seededRandom, type Random } from '../../../test/random-operations.js';

/**
 * The fault suites' parts, all real: the platform as a child process (`pnpm start`'s command),
 * people posting messages over HTTP with idempotency keys and retrying like a browser, people
 * subscribed over graphql-ws resuming from their last cursor like the client app, and the
 * reconciliation of what they saw against the database.
 */

const serverDir = path.resolve(import.meta.dirname, '../../..');
export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Seeded randomness (test/random-operations.ts): every choice of a run comes from one printed seed; FAULTS_SEED replays it.

export function faultSeed(suite: string): number {
  const given = process.env.FAULTS_SEED;
  const seed = given ? Number(given) >>> 0 : Math.floor(Math.random() * 2 ** 32);
  console.log(`[faults] ${suite}: seed ${seed} (replay with FAULTS_SEED=${seed})`);
  return seed;
}

/** Polls `condition` until it holds (for conditions nothing can be awaited on). */
export async function eventually<T>(condition: () => T | undefined | null | false | Promise<T | undefined | null | false>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(25);
  }
}

// ---------------------------------------------------------------------------------------------
// The platform as a process.

export class ServerProcess {
  private text = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly child: ChildProcess, readonly port: number) {
    child.stdout!.on('data', (chunk) => (this.text += chunk));
    child.stderr!.on('data', (chunk) => (this.text += chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** `pnpm --filter @renkei/server start` with DATABASE_URL, waited on until /healthz answers 200. */
  static async start(databaseUrl: string, port: number, env: Record<string, string> = {}): Promise<ServerProcess> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-faults-'));
    const child = spawn(process.execPath, ['--max-semi-space-size=4', '--import', 'tsx', 'src/main.ts'], {
      cwd: serverDir,
      env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn', NODE_ENV: 'test', CLIENT_DIST: '/nonexistent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(child, port);
    void server.exited.then(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited at start: ${server.output()}`);
      try {
        if ((await fetch(`${server.origin}/healthz`)).status === 200) return server;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`server did not become healthy: ${server.output()}`);
      await delay(100);
    }
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.text.slice(-4000);
  }

  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }
}

// ---------------------------------------------------------------------------------------------
// The people and the dialogue they write in.

export interface Dialogue {
  proposalId: string;
  threadId: string;
  /** The desk person and the proposer of this proposal, signed in. */
  desk: HttpSession;
  proposer: HttpSession;
}

const CREATE_DRAFT = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const START_THREAD = `mutation($p: ID!, $input: StartThreadInput!) { startThread(proposalId: $p, input: $input) { id } }`;

/** `count` submitted proposals of one organisation, each with a SHARED thread the desk started. */
export async function prepareDialogues(orm: MikroORM, graphqlUrl: string, count: number): Promise<Dialogue[]> {
  const em = orm.em.fork();
  const organisation = await createOrganisation(em, '障害試験株式会社');
  const deskAccount = await createAccount(em, Role.DESK);
  const proposerAccount = await createMember(em, organisation);
  const desk = await new HttpSession(graphqlUrl).login(deskAccount.email, TEST_PASSWORD);
  const proposer = await new HttpSession(graphqlUrl).login(proposerAccount.email, TEST_PASSWORD);
  const dialogues: Dialogue[] = [];
  for (let i = 0; i < count; i += 1) {
    const draft = (await proposer.ok(CREATE_DRAFT, { input: { ...COMPLETE_DRAFT, title: `障害試験の提案 ${i + 1}` } })).createProposalDraft;
    const submitted = (await proposer.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
    const thread = (await desk.ok(START_THREAD, { p: submitted.id, input: { audience: 'SHARED', title: '障害試験の対話', body: '始めます。' } })).startThread;
    dialogues.push({ proposalId: submitted.id, threadId: thread.id, desk, proposer });
  }
  return dialogues;
}

// ---------------------------------------------------------------------------------------------
// Writers: a browser posting messages, retrying each with its key until it is answered.

const POST = `mutation($t: ID!, $b: String!, $k: String) { postMessage(threadId: $t, body: $b, idempotencyKey: $k) { id body } }`;

export interface Acknowledged {
  writer: string;
  proposalId: string;
  index: number;
  key: string;
  id: string;
  body: string;
  attempts: number;
  /** Attempts of this write that got no answer before it was acknowledged. */
  failedAttempts: number;
  /** Whether its first attempt was sent twice at once. */
  doubled: boolean;
  /** What each failed attempt got (the error's message or code), for the report of a failing run. */
  failures: string[];
}

export interface WriterStats {
  attempts: number;
  /** Attempts that got no answer (refused, reset, not JSON) or a masked internal error: retried with the same key. */
  failedAttempts: number;
  /** Writes whose first attempt was sent twice at once (a client timing out and retrying while the first still runs). */
  doubleSent: number;
}

/** One person posting `count` messages in order; each write is retried with the same key until answered. */
export class Writer {
  readonly acknowledged: Acknowledged[] = [];
  readonly stats: WriterStats = { attempts: 0, failedAttempts: 0, doubleSent: 0 };

  constructor(
    readonly name: string,
    private readonly session: HttpSession,
    private readonly dialogue: Dialogue,
    private readonly random: Random,
    private readonly runId: string,
    private readonly options: { doubleSendRate: number; pauseMs: number; writeDeadlineMs: number },
  ) {}

  /** Writes `count` messages, one after another. */
  async run(count: number, onAcknowledged?: (ack: Acknowledged) => void): Promise<void> {
    for (let index = 0; index < count; index += 1) {
      const ack = await this.write(index);
      this.acknowledged.push(ack);
      onAcknowledged?.(ack);
      if (this.options.pauseMs > 0) await delay(Math.floor(this.random() * this.options.pauseMs));
    }
  }

  private async write(index: number): Promise<Acknowledged> {
    const key = `fault-${this.runId}-${this.name}-${index}`;
    const body = `障害試験 ${this.runId} ${this.name} ${String(index).padStart(3, '0')}`;
    const variables = { t: this.dialogue.threadId, b: body, k: key };
    const deadline = Date.now() + this.options.writeDeadlineMs;
    let attempts = 0;
    const failedBefore = this.stats.failedAttempts;
    const failures: string[] = [];
    let doubled = false;
    let first = true;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`${this.name} write ${index} got no answer in ${this.options.writeDeadlineMs} ms`);
      const double = first && this.random() < this.options.doubleSendRate;
      first = false;
      if (double) this.stats.doubleSent += 1;
      doubled ||= double;
      const sends = double ? [this.attempt(variables, failures), this.attempt(variables, failures)] : [this.attempt(variables, failures)];
      attempts += sends.length;
      const answers = (await Promise.all(sends)).filter((id): id is string => id !== null);
      if (answers.length > 0) {
        if (new Set(answers).size > 1) throw new Error(`${this.name} write ${index}: one key answered with two messages ${answers.join(', ')}`);
        return { writer: this.name, proposalId: this.dialogue.proposalId, index, key, id: answers[0]!, body, attempts, failedAttempts: this.stats.failedAttempts - failedBefore, doubled, failures };
      }
      await delay(50 + Math.floor(this.random() * 150));
    }
  }

  /** The message id, or null when the attempt should be retried; throws on a refusal nobody should retry. */
  private async attempt(variables: Record<string, unknown>, failures: string[]): Promise<string | null> {
    this.stats.attempts += 1;
    let result: GraphqlResult<{ postMessage: { id: string; body: string } }>;
    try {
      result = await this.session.request(POST, variables);
    } catch (error) {
      this.stats.failedAttempts += 1; // refused or reset: the server is away
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      failures.push(cause ?? (error instanceof Error ? error.message : String(error)));
      return null;
    }
    if (result.data?.postMessage) return result.data.postMessage.id;
    const code = result.errors?.[0]?.extensions?.code;
    if (code === 'INTERNAL_SERVER_ERROR') {
      this.stats.failedAttempts += 1;
      failures.push(code);
      return null;
    }
    throw new Error(`${this.name}: postMessage refused: ${JSON.stringify(result.errors)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Subscribers: graphql-ws clients resuming from the last cursor they saw.

const THREAD_EVENTS = `subscription($p: ID!, $after: String) { threadEvents(proposalId: $p, after: $after) { cursor kind threadId messageId message { id body } } }`;

export interface SeenEvent {
  cursor: string;
  kind: string;
  messageId: string | null;
  body: string | null;
}

/**
 * One person watching a proposal's dialogue, connected the way the client app is
 * (client/src/apollo/wsClient.ts, composables/useEventStream.ts): one graphql-ws client that
 * retries every close graphql-ws deems retryable, forever, and after each reconnect subscribes
 * again `after` the last cursor seen (from the liveCursor read before the writes began). A close
 * graphql-ws deems fatal (4500 Internal server error, say) ends the app's subscription with an
 * error: it is counted in `errors` and then, more patiently than the app, subscribed again.
 * Everything delivered is kept as delivered: no deduplication.
 */
export class Subscriber {
  readonly events: SeenEvent[] = [];
  /** Sockets opened (1 + reconnections). */
  connections = 0;
  /** Close codes of the sockets that closed under it, in order. */
  readonly closeCodes: number[] = [];
  /** How the subscription ended in error (a fatal close, or GraphQL errors): the app would have shown it stale. */
  readonly errors: string[] = [];
  private cursor: string;
  private stopping = false;
  private client: Client | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    readonly name: string,
    private readonly session: HttpSession,
    private readonly wsUrl: () => string,
    private readonly proposalId: string,
    startCursor: string,
  ) {
    this.cursor = startCursor;
  }

  start(): void {
    const cookie = this.session.cookie;
    const subscriber = this;
    class CookieWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: cookie ? { cookie } : {} });
        subscriber.connections += 1;
        this.once('close', (code) => subscriber.closeCodes.push(code));
      }
    }
    this.client = createClient({
      url: this.wsUrl(),
      webSocketImpl: CookieWebSocket,
      lazy: false,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: async (retries) => void (await delay(Math.min(100 * 2 ** retries, 1000) + Math.random() * 100)),
      on: {
        // As useEventStream does on reconnectCount: subscribe again after the last cursor seen.
        connected: (_socket, _payload, wasRetry) => {
          if (wasRetry) this.subscribe();
        },
      },
      onNonLazyError: () => undefined,
    });
    this.subscribe();
  }

  private subscribe(): void {
    this.unsubscribe?.();
    if (this.stopping) return;
    const client = this.client!;
    const stop = client.subscribe<{ threadEvents: SeenEvent & { message: { body: string } | null } }>(
      { query: THREAD_EVENTS, variables: { p: this.proposalId, after: this.cursor } },
      {
        next: (value) => {
          const event = value.data?.threadEvents;
          if (!event) return void this.errors.push(JSON.stringify(value.errors));
          this.events.push({ cursor: event.cursor, kind: event.kind, messageId: event.messageId, body: event.message?.body ?? null });
          this.cursor = event.cursor;
        },
        error: (error) => {
          if (this.stopping) return;
          this.errors.push(Array.isArray(error) ? JSON.stringify(error) : `closed ${(error as { code?: number }).code ?? String(error)}`);
          // The app would stay stale here; the suite resumes so that what follows is still measured.
          if (this.unsubscribe === stop) this.unsubscribe = null;
          setTimeout(() => {
            if (!this.unsubscribe) this.subscribe();
          }, 200);
        },
        complete: () => undefined,
      },
    );
    this.unsubscribe = stop;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    await this.client?.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// The load every suite runs: two dialogues, each with its desk person and its proposer writing
// and the same two watching.

export interface Load {
  dialogues: Dialogue[];
  writers: Writer[];
  subscribers: Map<string, Subscriber[]>;
  watchers: Subscriber[];
  /** Every acknowledged write, in the order the answers came. */
  acknowledged: Acknowledged[];
  total: number;
  /** Writes everything, each write retried until answered. */
  write(): Promise<void>;
  /** Waits until every watcher has every event of its proposal's writes, then stops them. */
  settle(context: () => string): Promise<void>;
  stats(): { attempts: number; failed: number; doubled: number; connections: number; closeCodes: Record<number, number> };
}

export async function startLoad(orm: MikroORM, server: ServerProcess, random: Random, runId: string, writesPerWriter: number, pauseMs: number): Promise<Load> {
  const dialogues = await prepareDialogues(orm, `${server.origin}/graphql`, 2);
  const wsUrl = () => `ws://127.0.0.1:${server.port}/graphql`;
  const subscribers = new Map<string, Subscriber[]>();
  for (const [i, dialogue] of dialogues.entries()) {
    const cursor = await liveCursorOf(dialogue.desk);
    const watching = [new Subscriber(`desk watching ${i + 1}`, dialogue.desk, wsUrl, dialogue.proposalId, cursor), new Subscriber(`proposer watching ${i + 1}`, dialogue.proposer, wsUrl, dialogue.proposalId, cursor)];
    subscribers.set(dialogue.proposalId, watching);
    for (const subscriber of watching) subscriber.start();
  }
  const options = { doubleSendRate: 0.1, pauseMs, writeDeadlineMs: 120_000 };
  const writers = dialogues.flatMap((d, i) => [
    new Writer(`desk${i + 1}`, d.desk, d, seededRandom(Math.floor(random() * 2 ** 32)), runId, options),
    new Writer(`proposer${i + 1}`, d.proposer, d, seededRandom(Math.floor(random() * 2 ** 32)), runId, options),
  ]);
  const watchers = [...subscribers.values()].flat();
  const acknowledged: Acknowledged[] = [];
  const total = writers.length * writesPerWriter;
  return {
    dialogues,
    writers,
    subscribers,
    watchers,
    acknowledged,
    total,
    async write() {
      await Promise.all(writers.map((w) => w.run(writesPerWriter, (ack) => acknowledged.push(ack))));
    },
    async settle(context) {
      const perProposal = total / dialogues.length;
      const ours = (s: Subscriber) => s.events.filter((e) => e.kind === 'MESSAGE_POSTED' && e.body?.startsWith(`障害試験 ${runId}`)).length;
      await eventually(() => watchers.every((s) => ours(s) >= perProposal), 60_000, 'every event at every watcher').catch((error: Error) => {
        throw new Error(`${error.message}: ${watchers.map((s) => `${s.name} ${ours(s)} of ${perProposal}, errors ${s.errors.join(' ')}`).join('; ')}; ${context()}`);
      });
      for (const watcher of watchers) await watcher.stop();
    },
    stats() {
      const closeCodes: Record<number, number> = {};
      for (const code of watchers.flatMap((s) => s.closeCodes)) closeCodes[code] = (closeCodes[code] ?? 0) + 1;
      return {
        attempts: writers.reduce((n, w) => n + w.stats.attempts, 0),
        failed: writers.reduce((n, w) => n + w.stats.failedAttempts, 0),
        doubled: writers.reduce((n, w) => n + w.stats.doubleSent, 0),
        connections: watchers.reduce((n, s) => n + s.connections, 0),
        closeCodes,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reconciliation against the database.

export interface Reconciliation {
  acknowledged: number;
  messagesStored: number;
  eventsStored: number;
  eventsDelivered: number;
  /** Everything found wrong; empty when the run is clean. */
  problems: string[];
}

/**
 * Every acknowledged write is stored exactly once with the id it was answered with, and nothing
 * else was stored; every stored event of the dialogues reached every subscriber of its proposal
 * exactly once and in the outbox's (txid, id) order — so nothing of a rolled-back write (never in
 * the outbox) was delivered; and each writer's messages arrived in the order they were answered.
 */
export async function reconcile(orm: MikroORM, load: Pick<Load, 'dialogues' | 'writers' | 'subscribers'>, runId: string): Promise<Reconciliation> {
  const { dialogues, writers, subscribers } = load;
  const problems: string[] = [];
  const sql = orm.em.fork().getConnection();
  const acknowledged = writers.flatMap((w) => w.acknowledged);
  const stored = await sql.execute<Array<{ id: string; body: string; proposal_id: string }>>(
    `select m.id, m.body, t.proposal_id from message m join thread t on t.id = m.thread_id where m.body like ?`,
    [`障害試験 ${runId} %`],
  );
  const storedByBody = new Map<string, string[]>();
  for (const row of stored) storedByBody.set(row.body, [...(storedByBody.get(row.body) ?? []), row.id]);
  for (const ack of acknowledged) {
    const ids = storedByBody.get(ack.body) ?? [];
    if (ids.length === 0) problems.push(`lost: ${ack.writer} #${ack.index} (${ack.id}) was acknowledged but is not stored`);
    else if (ids.length > 1) problems.push(`duplicate: ${ack.writer} #${ack.index} stored ${ids.length} times`);
    else if (ids[0] !== ack.id) problems.push(`${ack.writer} #${ack.index} answered ${ack.id} but stored ${ids[0]}`);
  }
  const acknowledgedBodies = new Set(acknowledged.map((a) => a.body));
  for (const row of stored) if (!acknowledgedBodies.has(row.body)) problems.push(`stored but never acknowledged: ${row.body}`);

  let eventsStored = 0;
  let eventsDelivered = 0;
  for (const dialogue of dialogues) {
    const ours = new Set(stored.map((r) => r.id));
    const rows = (
      await sql.execute<Array<{ cursor: string; kind: string; message_id: string | null }>>(
        `select txid::text || '.' || id::text as cursor, kind, payload->>'messageId' as message_id from domain_event where topic = ? and kind = 'MESSAGE_POSTED' order by txid, id`,
        [`thread:${dialogue.proposalId}`],
      )
    ).filter((row) => row.message_id && ours.has(row.message_id));
    eventsStored += rows.length;
    const perMessage = new Map<string, number>();
    for (const row of rows) perMessage.set(row.message_id!, (perMessage.get(row.message_id!) ?? 0) + 1);
    for (const row of stored.filter((r) => r.proposal_id === dialogue.proposalId)) {
      if (perMessage.get(row.id) !== 1) problems.push(`message ${row.id} has ${perMessage.get(row.id) ?? 0} MESSAGE_POSTED events in the outbox`);
    }
    const expected = rows.map((r) => r.cursor);
    const allCursors = new Set((await sql.execute<Array<{ cursor: string }>>(`select txid::text || '.' || id::text as cursor from domain_event where topic = ?`, [`thread:${dialogue.proposalId}`])).map((r) => r.cursor));
    for (const subscriber of subscribers.get(dialogue.proposalId) ?? []) {
      const mine = subscriber.events.filter((e) => e.messageId && ours.has(e.messageId));
      eventsDelivered += mine.length;
      for (const event of subscriber.events) if (!allCursors.has(event.cursor)) problems.push(`${subscriber.name} received ${event.cursor} (${event.kind}), which is not in the outbox`);
      const got = mine.map((e) => e.cursor);
      const cursors = new Set(got);
      if (cursors.size !== got.length) problems.push(`${subscriber.name} received ${got.length - cursors.size} events twice`);
      const missing = expected.filter((c) => !cursors.has(c));
      if (missing.length > 0) problems.push(`${subscriber.name} missed ${missing.length} of ${expected.length} events (first ${missing[0]})`);
      if (missing.length === 0 && cursors.size === got.length && got.join() !== expected.join()) problems.push(`${subscriber.name} received the events out of order`);
      for (const writer of writers.filter((w) => w.acknowledged[0]?.proposalId === dialogue.proposalId)) {
        const order = writer.acknowledged.map((a) => a.id);
        const seen = mine.map((e) => e.messageId!).filter((id) => order.includes(id));
        if (seen.join() !== order.join() && missing.length === 0) problems.push(`${subscriber.name} saw ${writer.name}'s messages out of the order they were answered`);
      }
      const bodyOf = new Map(stored.map((r) => [r.id, r.body]));
      for (const event of mine) if (event.body !== bodyOf.get(event.messageId!)) problems.push(`${subscriber.name}: event ${event.cursor} carried another body`);
    }
  }
  return { acknowledged: acknowledged.length, messagesStored: stored.length, eventsStored, eventsDelivered, problems };
}

/** liveCursor read by a session: subscribing after it misses nothing written later. */
export async function liveCursorOf(session: HttpSession): Promise<string> {
  return (await session.ok<{ liveCursor: string }>('{ liveCursor }')).liveCursor;
}
