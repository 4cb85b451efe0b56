/**
 * What the figures share: the generated database's well-known rows, sessions for its people
 * (inserted as login would leave them: the hash of a random token), real graphql-ws clients and
 * raw ws clients by the thousand, and delivery timing from a post to every subscriber.
 */
import http from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { HOT_ORG_SQL, HOT_PROPOSAL_SQL } from './generate.js';

export interface BenchContext {
  url: string;
  scale: number;
  reps: number;
  log(line: string): void;
}

export interface Figure {
  id: string;
  label: string;
  subject: number;
  baseline: number;
  ratio: number;
  unit: string;
  goal: string;
  pass: boolean;
  note?: string;
}

export interface Person {
  accountId: string;
  token: string;
  cookie: string;
}

/** The hot proposal (in dialogue, eight matched sections, a ten-member organisation) and its threads. */
export interface HotRows {
  proposalId: string;
  sharedThreadId: string;
  internalThreadId: string;
  deskIds: string[];
  /** One staff account of each of the eight matched sections. */
  sectionStaffIds: string[];
  /** Members of the proposing organisation. */
  proposerIds: string[];
  /** SHARED threads of other proposals in dialogue (P1's writers post there, one each). */
  otherThreadIds: string[];
}

export async function withDb<T>(url: string, work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

export async function hotRows(url: string): Promise<HotRows> {
  return withDb(url, async (db) => {
    const one = async (sql: string) => (await db.query<{ v: string }>(sql)).rows.map((row) => row.v);
    const [proposalId] = await one(`select ${HOT_PROPOSAL_SQL}::text as v`);
    const [sharedThreadId] = await one(`select id::text as v from thread where proposal_id = ${HOT_PROPOSAL_SQL} and audience = 'SHARED'`);
    const [internalThreadId] = await one(`select id::text as v from thread where proposal_id = ${HOT_PROPOSAL_SQL} and audience = 'INTERNAL'`);
    const deskIds = await one(`select id::text as v from account where role = 'DESK' order by email`);
    const sectionStaffIds = await one(
      `select distinct on (m.section_id) a.id::text as v from match m join account a on a.section_id = m.section_id and a.role = 'SECTION'
        where m.proposal_id = ${HOT_PROPOSAL_SQL} and m.state = 'ACCEPTED' order by m.section_id, a.email`,
    );
    const proposerIds = await one(`select account_id::text as v from membership where organisation_id = ${HOT_ORG_SQL} and left_at is null order by account_id`);
    const otherThreadIds = await one(
      `select t.id::text as v from thread t join proposal p on p.id = t.proposal_id where p.state = 'IN_DIALOGUE' and t.audience = 'SHARED' and p.id <> ${HOT_PROPOSAL_SQL} order by t.id limit 16`,
    );
    return { proposalId: proposalId!, sharedThreadId: sharedThreadId!, internalThreadId: internalThreadId!, deskIds, sectionStaffIds, proposerIds, otherThreadIds };
  });
}

/** Sessions for these accounts (one each, repeated ids give several sessions), as a login would create them. */
export async function sessionsFor(url: string, accountIds: readonly string[]): Promise<Person[]> {
  const people = accountIds.map((accountId) => {
    const token = randomBytes(32).toString('base64url');
    return { accountId, token, cookie: `renkei_session=${token}` };
  });
  await withDb(url, async (db) => {
    for (let i = 0; i < people.length; i += 1000) {
      const batch = people.slice(i, i + 1000);
      await db.query(
        `insert into session (token_hash, account_id, created_at, last_seen_at, expires_at)
         select h, a::uuid, now(), now(), now() + interval '1 day' from unnest($1::text[], $2::text[]) as t(h, a)`,
        [batch.map((p) => createHash('sha256').update(p.token).digest('hex')), batch.map((p) => p.accountId)],
      );
    }
  });
  return people;
}

// ---------------------------------------------------------------------------------------------
// HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export function httpRequest(port: number, method: string, path: string, body: string | null, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: { 'content-type': 'application/json', ...(body ? { 'content-length': Buffer.byteLength(body) } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

export async function graphql<T = Record<string, unknown>>(port: number, person: Person | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { status, text } = await httpRequest(port, 'POST', '/graphql', JSON.stringify({ query, variables }), person ? { cookie: person.cookie } : {});
  const parsed = JSON.parse(text) as { data?: T; errors?: unknown[] };
  if (status !== 200 || parsed.errors?.length) throw new Error(`GraphQL ${status}: ${text.slice(0, 500)}`);
  return parsed.data!;
}

const POST = `mutation($threadId: ID!, $body: String!) { postMessage(threadId: $threadId, body: $body) { id } }`;
let posted = 0;
/** A realistic message body (different every time). */
export function messageBody(): string {
  posted += 1;
  const subjects = ['防災訓練の会場', '子育て世帯向けの講座', '高齢者の見守りの体制', '絵本の読み聞かせ会の日程'];
  return `${subjects[posted % subjects.length]}について、所管課と調整しました。次回の打合せで確認をお願いします（${posted}）。`;
}

export async function postMessage(port: number, author: Person, threadId: string): Promise<string> {
  const data = await graphql<{ postMessage: { id: string } }>(port, author, POST, { threadId, body: messageBody() });
  return data.postMessage.id;
}

// ---------------------------------------------------------------------------------------------
// Subscribers

/** The client's own subscription document (client/src/graphql/thread.*.graphql), its fragments inlined. */
export const THREAD_EVENTS = `subscription ThreadEvents($proposalId: ID!, $after: String) {
  threadEvents(proposalId: $proposalId, after: $after) {
    cursor kind proposalId threadId messageId
    thread { id audience title lastMessageAt unreadCount following viewerCan { post } }
    message {
      id threadId parentId depth body bodyHtml createdAt editedAt deleted version
      author { accountId displayName role sectionName organisationName }
      mentions { accountId displayName }
      quote { messageId authorName excerpt deleted }
      protection
      attachments { id }
      viewerCan { edit delete reply }
    }
  }
}`;

export type OnDelivery = (messageId: string, at: number) => void;

export interface SubscriberPool {
  size: number;
  /** One delivered `next` message as the wire carried it (the raw baseline broadcasts the same). */
  sample: string | null;
  close(): Promise<void>;
}

function cookieSocket(cookie: string): typeof WebSocket {
  return class extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie } });
    }
  } as unknown as typeof WebSocket;
}

/** Real graphql-ws clients (one socket each), subscribed to a proposal's thread events; opened in batches. */
export async function graphqlSubscribers(port: number, people: readonly Person[], proposalId: string, onDelivery: OnDelivery): Promise<SubscriberPool> {
  const clients: Client[] = [];
  const pool: SubscriberPool = {
    size: 0,
    sample: null,
    async close() {
      // Closing twice closes nothing the second time.
      await Promise.all(clients.splice(0).map((client) => client.dispose()));
    },
  };
  const BATCH = 200;
  for (let i = 0; i < people.length; i += BATCH) {
    await Promise.all(
      people.slice(i, i + BATCH).map(
        (person) =>
          new Promise<void>((resolve, reject) => {
            const client = createClient({
              url: `ws://127.0.0.1:${port}/graphql`,
              webSocketImpl: cookieSocket(person.cookie),
              lazy: true,
              retryAttempts: 3,
              on: { connected: () => resolve(), closed: () => undefined },
            });
            clients.push(client);
            client.subscribe<{ threadEvents: { messageId: string | null } }>(
              { query: THREAD_EVENTS, variables: { proposalId } },
              {
                next(value) {
                  const at = performance.now();
                  const id = value.data?.threadEvents.messageId;
                  if (id) onDelivery(id, at);
                  if (!pool.sample && value.data) pool.sample = JSON.stringify({ id: randomUUID(), type: 'next', payload: value });
                },
                error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
                complete: () => undefined,
              },
            );
          }),
      ),
    );
    pool.size = clients.length;
  }
  return pool;
}

/** Bare ws clients of the raw baseline server. */
export async function rawSubscribers(port: number, count: number, onDelivery: OnDelivery): Promise<SubscriberPool> {
  const sockets: WebSocket[] = [];
  const BATCH = 200;
  for (let i = 0; i < count; i += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, count - i) }, () => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
        sockets.push(socket);
        socket.on('message', (data: WebSocket.RawData) => {
          const at = performance.now();
          const parsed = JSON.parse(data.toString()) as { payload?: { data?: { threadEvents?: { messageId?: string } } } };
          const id = parsed.payload?.data?.threadEvents?.messageId;
          if (id) onDelivery(id, at);
        });
        return new Promise<void>((resolve, reject) => {
          socket.once('open', () => resolve());
          socket.once('error', reject);
        });
      }),
    );
  }
  return {
    size: sockets.length,
    sample: null,
    async close() {
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve) => {
              if (socket.readyState === WebSocket.CLOSED) return resolve();
              socket.once('close', () => resolve());
              socket.close();
            }),
        ),
      );
    },
  };
}

/** Deliveries by message id, and a way to wait until a message reached `expected` subscribers. */
export class DeliveryLog {
  private readonly arrivals = new Map<string, number[]>();
  private waiters: Array<() => void> = [];

  readonly record: OnDelivery = (messageId, at) => {
    let list = this.arrivals.get(messageId);
    if (!list) this.arrivals.set(messageId, (list = []));
    list.push(at);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  };

  /** Latencies (ms) of `messageId` from `sentAt`, once `expected` arrived or after `timeoutMs` (missing ones are Infinity). */
  async latencies(messageId: string, sentAt: number, expected: number, timeoutMs: number): Promise<number[]> {
    const deadline = performance.now() + timeoutMs;
    while ((this.arrivals.get(messageId)?.length ?? 0) < expected && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const got = (this.arrivals.get(messageId) ?? []).map((at) => at - sentAt);
    this.arrivals.delete(messageId);
    return [...got, ...Array.from({ length: Math.max(0, expected - got.length) }, () => Infinity)];
  }
}

/** The graphql-ws `next` message of a delivered event, with another message id: what the raw server broadcasts. */
export function rawPayload(sample: string, messageId: string): string {
  const parsed = JSON.parse(sample) as { payload: { data: { threadEvents: { messageId: string; message: { id: string } | null } } } };
  parsed.payload.data.threadEvents.messageId = messageId;
  if (parsed.payload.data.threadEvents.message) parsed.payload.data.threadEvents.message.id = messageId;
  return JSON.stringify(parsed);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
