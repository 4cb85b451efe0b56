import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { GraphQLSchema } from 'graphql';
import { Role } from '../identity/account.entity.js';
import { buildRenkeiSchema } from '../graphql/schema.js';
import { MAX_PAGE_SIZE } from '../graphql/connection.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount } from '../../test/factories.js';
import { createMember, createOrganisation } from '../../test/proposal-factories.js';
import { randomOperation, seededRandom, type RandomOperation } from '../../test/random-operations.js';
import { MAX_FRAME_BYTES } from './websocket.js';

/**
 * Hostile input over HTTP and websockets: a corpus of known attacks, each answered with a code
 * and nothing internal, and schema-aware random operations (seeded; a failure names its seed and
 * case) checked for crashes, uncoded or unmasked errors, stack traces, SQL and paths, with the
 * server's memory bounded across the run. Bounded at about 2 minutes on a loaded 2-core machine.
 */
const SEED = Number(process.env.HOSTILE_SEED ?? 20261124);
const HTTP_CASES = Number(process.env.HOSTILE_HTTP_CASES ?? 600);
const WS_CASES = Number(process.env.HOSTILE_WS_CASES ?? 300);

const CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'INTERNAL_SERVER_ERROR',
  'BATCH_NOT_ALLOWED',
  'FORBIDDEN_ORIGIN',
]);
const STACK = /\bat [\w.<>$]+ \(|\.(ts|js|mjs|cjs):\d+|node_modules|\/work\/|\/home\/|\/tmp\//;
const SQL = /\b(select|insert into|delete from|update)\b[^"]{0,80}\b(from|values|where|set)\b|syntax error at or near|violates [a-z ]*constraint|\brelation "|\bcolumn "|duplicate key|pg_|\bSQLSTATE\b/i;

let server: TestServer;
let productionServer: TestServer;
let schema: GraphQLSchema;
let desk: HttpSession;
let proposer: HttpSession;
const anonymous = () => new HttpSession(server.httpUrl);

beforeAll(async () => {
  schema = await buildRenkeiSchema();
  server = await startTestServer();
  const em = server.db.orm.em.fork();
  const deskAccount = await createAccount(em, Role.DESK);
  const member = await createMember(em, await createOrganisation(em));
  desk = await new HttpSession(server.httpUrl).login(deskAccount.email, TEST_PASSWORD);
  proposer = await new HttpSession(server.httpUrl).login(member.email, TEST_PASSWORD);
  productionServer = await startTestServer({ NODE_ENV: 'production', SEED_DEMO: 'false' });
});
afterAll(async () => {
  await productionServer?.stop();
  await server?.stop();
});

/** What is wrong with one answer's body: [] when it is JSON, every error coded, nothing internal. */
function problemsOf(text: string): string[] {
  const problems: string[] = [];
  if (STACK.test(text)) problems.push(`internals: ${STACK.exec(text)![0]}`);
  if (SQL.test(text)) problems.push(`SQL: ${SQL.exec(text)![0]}`);
  let body: { errors?: Array<{ message?: string; extensions?: { code?: string } }> };
  try {
    body = JSON.parse(text);
  } catch {
    return [...problems, `not JSON: ${text.slice(0, 200)}`];
  }
  for (const error of body.errors ?? []) {
    const code = error.extensions?.code;
    if (!code || !CODES.has(code)) problems.push(`uncoded: ${JSON.stringify(error).slice(0, 300)}`);
    else if (code === 'INTERNAL_SERVER_ERROR' && error.message !== 'Internal server error') problems.push(`unmasked: ${error.message}`);
  }
  return problems;
}

function codesOf(text: string): string[] {
  return (JSON.parse(text).errors ?? []).map((error: { extensions?: { code?: string } }) => error.extensions?.code);
}

async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

async function healthy(target = server): Promise<void> {
  const response = await fetch(target.httpUrl.replace('/graphql', '/healthz'));
  expect(response.status).toBe(200);
}

/** A websocket of our own, so every frame and the way it closed can be inspected. */
class RawSocket {
  readonly frames: Array<{ id?: string; type: string; payload?: unknown }> = [];
  closed: { code: number; reason: string } | null = null;
  refused: number | null = null;
  readonly socket: WebSocket;
  private waiters: Array<() => void> = [];

  constructor(url: string, options: { cookie?: string; origin?: string } = {}) {
    this.socket = new WebSocket(url, 'graphql-transport-ws', { headers: options.cookie ? { cookie: options.cookie } : {}, ...(options.origin ? { origin: options.origin } : {}) });
    this.socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)));
      this.wake();
    });
    this.socket.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
    this.socket.on('unexpected-response', (_request, response) => {
      this.refused = response.statusCode ?? 0;
      this.closed = { code: 0, reason: 'refused' };
      this.wake();
    });
    this.socket.on('error', () => undefined);
  }

  private wake(): void {
    this.waiters.splice(0).forEach((wake) => wake());
  }

  async until(predicate: () => boolean, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out; frames ${JSON.stringify(this.frames).slice(0, 500)} closed ${JSON.stringify(this.closed)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 500);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async open(): Promise<this> {
    await this.until(() => this.socket.readyState === WebSocket.OPEN || this.closed !== null);
    return this;
  }

  async init(): Promise<this> {
    await this.open();
    this.send({ type: 'connection_init', payload: {} });
    await this.until(() => this.frames.some((frame) => frame.type === 'connection_ack') || this.closed !== null);
    return this;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message));
  }

  /** Subscribes and waits for the operation's end (error or complete). */
  async operation(id: string, query: string, variables: Record<string, unknown> = {}): Promise<Array<{ type: string; payload?: unknown }>> {
    this.send({ id, type: 'subscribe', payload: { query, variables } });
    await this.until(() => this.frames.some((frame) => frame.id === id && (frame.type === 'error' || frame.type === 'complete')) || this.closed !== null);
    return this.frames.filter((frame) => frame.id === id);
  }

  close(): void {
    this.socket.close();
  }
}

// The schema has no cycles deep enough, so the nesting uses a field that does not exist: the depth is refused all the same.
const nested = (levels: number) => `{ ${'a { '.repeat(levels - 1)}b${' }'.repeat(levels - 1)} }`;
const ALIASES_5000 = `{ ${Array.from({ length: 5000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
const ALIASES_31 = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
const CYCLE = 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }';
const COSTLY = `{ proposals(first: ${MAX_PAGE_SIZE}) { edges { node { threads { messages(first: ${MAX_PAGE_SIZE}) { edges { node { id revisions { id } } } } } } } } }`;

describe('known attacks over HTTP get a coded answer, nothing internal, and the server carries on', () => {
  it.each([
    ['deep nesting', nested(15), 400, 'GRAPHQL_VALIDATION_FAILED'],
    ['5000 aliases (past the token limit)', ALIASES_5000, 400, 'GRAPHQL_PARSE_FAILED'],
    ['31 aliases', ALIASES_31, 400, 'GRAPHQL_VALIDATION_FAILED'],
    ['a fragment cycle', CYCLE, 400, 'GRAPHQL_VALIDATION_FAILED'],
    ['a page of pages past the cost limit', COSTLY, 400, 'GRAPHQL_VALIDATION_FAILED'],
    ['a syntax error', '{ me { id ', 400, 'GRAPHQL_PARSE_FAILED'],
  ])('%s', async (_label, query, status, code) => {
    const answer = await post(server.httpUrl, JSON.stringify({ query }), { cookie: desk.cookie! });
    expect(answer.status).toBe(status);
    expect(codesOf(answer.text)[0]).toBe(code);
    if (query === nested(15)) expect(answer.text).toContain('is nested 15 levels deep');
    expect(problemsOf(answer.text)).toEqual([]);
    await healthy();
  });

  it('a page larger than the maximum is refused by field, on every root list', async () => {
    const paged = Object.values(schema.getQueryType()!.getFields()).filter((field) => field.args.some((arg) => arg.name === 'first') && field.args.every((arg) => arg.name === 'first' || !String(arg.type).endsWith('!')));
    expect(paged.length).toBeGreaterThan(5);
    const unbounded: string[] = [];
    for (const field of paged) {
      for (const first of [MAX_PAGE_SIZE + 1, 1_000_000, -1]) {
        const answer = await post(server.httpUrl, JSON.stringify({ query: `query($n: Int!) { ${field.name}(first: $n) { __typename } }`, variables: { n: first } }), { cookie: desk.cookie! });
        expect(problemsOf(answer.text)).toEqual([]);
        if (!codesOf(answer.text).includes('BAD_USER_INPUT')) unbounded.push(`${field.name}(first: ${first})`);
      }
    }
    expect(unbounded).toEqual([]);
  });

  it('a 10 MB string is refused before it is read', async () => {
    const answer = await post(server.httpUrl, JSON.stringify({ query: 'query($s: String!) { search(query: $s) { __typename } }', variables: { s: 'あ'.repeat(3_500_000) } }));
    expect(answer.status).toBe(413);
    expect(codesOf(answer.text)).toEqual(['BAD_REQUEST']);
    await healthy();
  });

  it('variables nested 100,000 deep get a coded answer, over HTTP and websockets', async () => {
    const query = 'query($k: [SearchKind!]) { search(query: "防災", kinds: $k) { __typename } }';
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const answer = await post(server.httpUrl, `{"query":${JSON.stringify(query)},"variables":{"k":${deep(100_000)}}}`, { cookie: desk.cookie! });
    expect([answer.status, codesOf(answer.text)]).toEqual([400, ['BAD_USER_INPUT']]);
    expect(problemsOf(answer.text)).toEqual([]);
    const socket = await new RawSocket(server.wsUrl, { cookie: desk.cookie }).init();
    socket.send(`{"id":"1","type":"subscribe","payload":{"query":${JSON.stringify(query)},"variables":{"k":${deep(30_000)}}}}`);
    await socket.until(() => socket.frames.some((frame) => frame.id === '1') || socket.closed !== null);
    expect(socket.frames.find((frame) => frame.id === '1')).toMatchObject({ type: 'error', payload: [expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } })] });
    socket.close();
    await healthy();
  });

  it('invalid UTF-8 bytes get a coded answer', async () => {
    const bytes = Buffer.concat([Buffer.from('{"query":"{ challenges(first: 1) { __typename } }","variables":{"s":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('"}}')]);
    const answer = await post(server.httpUrl, bytes);
    expect(answer.status).toBeLessThan(500);
    expect(problemsOf(answer.text)).toEqual([]);
    await healthy();
  });

  it('malformed JSON, a batch, a form post and a GET mutation are refused with codes', async () => {
    const malformed = await post(server.httpUrl, '{"query": ');
    expect([malformed.status, codesOf(malformed.text)]).toEqual([400, ['BAD_REQUEST']]);
    const batch = await post(server.httpUrl, JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]), { cookie: desk.cookie! });
    expect([batch.status, codesOf(batch.text)]).toEqual([400, ['BATCH_NOT_ALLOWED']]);
    // A form post is what a cross-site page can send without a preflight: Apollo's CSRF prevention.
    const form = await post(server.httpUrl, 'query=mutation{logout}', { 'content-type': 'application/x-www-form-urlencoded', cookie: desk.cookie! });
    expect(form.status).toBe(400);
    expect(form.text).not.toContain('"logout"');
    const get = await fetch(`${server.httpUrl}?query=${encodeURIComponent('mutation { logout }')}`, { headers: { cookie: desk.cookie!, 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(405);
    expect(await desk.ok('{ me { id } }')).toMatchObject({ me: { id: expect.any(String) } }); // still signed in
    for (const text of [malformed.text, batch.text, form.text, await get.text()]) expect(problemsOf(text)).toEqual([]);
  });

  it('a post from a foreign Origin is refused; the server’s own origin and ALLOWED_ORIGINS pass', async () => {
    const query = JSON.stringify({ query: 'mutation { logout }' });
    const foreign = await post(server.httpUrl, query, { origin: 'https://evil.example', cookie: desk.cookie! });
    expect([foreign.status, codesOf(foreign.text)]).toEqual([403, ['FORBIDDEN_ORIGIN']]);
    const own = await post(server.httpUrl, JSON.stringify({ query: '{ me { id } }' }), { origin: new URL(server.httpUrl).origin, cookie: desk.cookie! });
    expect(JSON.parse(own.text).data.me).not.toBeNull();
    const allowed = await startTestServer({ ALLOWED_ORIGINS: 'https://staff.example.jp' }, server.db);
    try {
      expect((await post(allowed.httpUrl, JSON.stringify({ query: '{ me { id } }' }), { origin: 'https://staff.example.jp' })).status).toBe(200);
      expect((await post(allowed.httpUrl, JSON.stringify({ query: '{ me { id } }' }), { origin: 'https://staff.example.jp.evil.example' })).status).toBe(403);
    } finally {
      await allowed.stop();
    }
  });

  it('security headers: a CSP without inline script, nosniff, no framing, and no-store on API answers', async () => {
    const api = await post(server.httpUrl, JSON.stringify({ query: '{ __typename }' }));
    expect(api.headers.get('cache-control')).toBe('no-store');
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    const page = await fetch(server.httpUrl.replace('/graphql', '/healthz'));
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
  });
});

describe('production mode', () => {
  it('refuses introspection and never suggests field names, over HTTP and websockets', async () => {
    const introspection = await post(productionServer.httpUrl, JSON.stringify({ query: '{ __schema { types { name } } }' }));
    expect(introspection.status).toBe(400);
    expect(new Set(codesOf(introspection.text))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
    expect(introspection.text).not.toContain('"types"');
    const typo = await post(productionServer.httpUrl, JSON.stringify({ query: '{ challenge { id } }' }));
    expect(typo.text).not.toMatch(/Did you mean/);
    expect(problemsOf(typo.text)).toEqual([]);

    const socket = await new RawSocket(productionServer.wsUrl).init();
    const [intro] = await socket.operation('1', '{ __schema { types { name } } }');
    expect(intro).toMatchObject({ type: 'error', payload: expect.arrayContaining([expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]) });
    expect(JSON.stringify(intro)).not.toContain('"types"');
    const [suggested] = await socket.operation('2', 'subscription { challengeEvent { __typename } }');
    expect(JSON.stringify(suggested)).not.toMatch(/Did you mean/);
    expect(JSON.stringify(suggested)).toContain('GRAPHQL_VALIDATION_FAILED');
    socket.close();
    await healthy(productionServer);
  });
});

describe('known attacks over websockets', () => {
  it.each([
    ['deep nesting', nested(15), 'GRAPHQL_VALIDATION_FAILED'],
    ['5000 aliases (past the token limit)', ALIASES_5000.slice(0, 60_000), 'GRAPHQL_PARSE_FAILED'],
    ['31 aliases', ALIASES_31, 'GRAPHQL_VALIDATION_FAILED'],
    ['a fragment cycle', CYCLE, 'GRAPHQL_VALIDATION_FAILED'],
    ['a page of pages past the cost limit', COSTLY, 'GRAPHQL_VALIDATION_FAILED'],
    ['a syntax error', '{ me { id ', 'GRAPHQL_PARSE_FAILED'],
  ])('%s gets an error frame with its code, and the socket stays open', async (_label, query, code) => {
    const socket = await new RawSocket(server.wsUrl, { cookie: desk.cookie }).init();
    const frames = await socket.operation('1', query);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ type: 'error', payload: expect.arrayContaining([expect.objectContaining({ extensions: { code } })]) });
    if (query === nested(15)) expect(JSON.stringify(frames)).toContain('is nested 15 levels deep');
    expect(problemsOf(JSON.stringify({ errors: frames[0]!.payload }))).toEqual([]);
    // Still usable.
    expect(await socket.operation('2', '{ me { id } }')).toMatchObject([{ type: 'next', payload: { data: { me: { id: expect.any(String) } } } }, { type: 'complete' }]);
    socket.close();
  });

  it('subscribe before connection_init closes the socket 4401', async () => {
    const socket = await new RawSocket(server.wsUrl).open();
    socket.send({ id: '1', type: 'subscribe', payload: { query: '{ me { id } }' } });
    await socket.until(() => socket.closed !== null);
    expect(socket.closed!.code).toBe(4401);
    await healthy();
  });

  it('an oversize frame closes the socket 1009 without reading it', async () => {
    const socket = await new RawSocket(server.wsUrl).init();
    socket.send({ id: '1', type: 'subscribe', payload: { query: `{ me { id } } # ${'x'.repeat(MAX_FRAME_BYTES)}` } });
    await socket.until(() => socket.closed !== null);
    expect(socket.closed!.code).toBe(1009);
    await healthy();
  });

  it('invalid UTF-8 in a text frame closes the socket 1007', async () => {
    const socket = await new RawSocket(server.wsUrl).init();
    socket.socket.send(Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0x7d]), { binary: false });
    await socket.until(() => socket.closed !== null);
    expect(socket.closed!.code).toBe(1007);
    await healthy();
  });

  it('a message that is not the protocol closes the socket 4400', async () => {
    const socket = await new RawSocket(server.wsUrl).init();
    socket.send('{"type": "subscribe", "id": 1, "payload": "nope"');
    await socket.until(() => socket.closed !== null);
    expect(socket.closed!.code).toBe(4400);
    await healthy();
  });

  it('an upgrade from a foreign Origin gets 403; the server’s own origin is accepted', async () => {
    const foreign = await new RawSocket(server.wsUrl, { cookie: desk.cookie, origin: 'https://evil.example' }).open();
    expect(foreign.refused).toBe(403);
    const own = await new RawSocket(server.wsUrl, { cookie: desk.cookie, origin: new URL(server.httpUrl).origin }).init();
    expect(own.frames.some((frame) => frame.type === 'connection_ack')).toBe(true);
    own.close();
  });
});

describe('rate limits (switched on for this server)', () => {
  it('sign-in per address, and mutations per person over HTTP and websockets alike, answer RATE_LIMITED with a retry time', async () => {
    const limited = await startTestServer({ RATE_LIMIT_SIGN_IN_PER_ADDRESS: '3', RATE_LIMIT_MUTATIONS_PER_PERSON: '5', RATE_LIMIT_MUTATIONS_PER_ADDRESS: '1000' }, server.db);
    try {
      const em = limited.db.orm.em.fork();
      const account = await createAccount(em, Role.DESK);
      const attempts: string[] = [];
      for (let i = 0; i < 4; i++) {
        const result = await new HttpSession(limited.httpUrl).request('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { id } }', { e: account.email, p: i < 2 ? 'wrong password' : TEST_PASSWORD });
        attempts.push(result.errors?.[0]?.extensions?.code ?? 'ok');
      }
      // Two wrong passwords, one right, then the budget is spent even for the right one.
      expect(attempts).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'ok', 'RATE_LIMITED']);

      // The person's budget, 5 mutations a minute, shared by HTTP and websockets (a sign-in has no person yet).
      const session = new HttpSession(limited.httpUrl);
      session.cookie = desk.cookie; // a session of the shared database, signed in before
      const MARK = 'mutation { markAllNotificationsRead }';
      const codes: string[] = [];
      for (let i = 0; i < 4; i++) codes.push((await session.request(MARK)).errors?.[0]?.extensions?.code ?? 'ok');
      const socket = await new RawSocket(limited.wsUrl, { cookie: desk.cookie }).init();
      const overWs = [await socket.operation('1', MARK), await socket.operation('2', MARK)];
      socket.close();
      expect(codes).toEqual(['ok', 'ok', 'ok', 'ok']);
      expect(overWs[0]).toMatchObject([{ type: 'next' }, { type: 'complete' }]);
      expect(overWs[1]![0]).toMatchObject({ type: 'next', payload: { errors: [{ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } }] } });
      // Reading is not budgeted.
      expect((await session.request('{ me { id } }')).errors).toBeUndefined();
    } finally {
      await limited.stop();
    }
  });
});

/** A full collection, as far as this worker allows it, then the heap in use. */
function heapAfterGc(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function checkedCase(label: string, operation: RandomOperation, text: string, failures: string[]): void {
  const problems = problemsOf(text);
  if (problems.length) failures.push(`${label} ${operation.document.slice(0, 300)} ${JSON.stringify(operation.variables).slice(0, 200)} → ${problems.join('; ')}`);
}

describe(`schema-aware random operations (seed ${SEED})`, () => {
  it(`${HTTP_CASES} over HTTP and ${WS_CASES} over websockets: no crash, every error coded and masked, nothing internal, memory bounded`, async () => {
    const random = seededRandom(SEED);
    // Each would end the session under test.
    const skip = new Set(['logout', 'signOutEverywhere']);
    const people = [anonymous(), desk, proposer];
    const failures: string[] = [];
    const internal: string[] = [];
    let heapAfterWarmUp = 0;

    for (let i = 0; i < HTTP_CASES; i++) {
      if (i === 100) heapAfterWarmUp = heapAfterGc();
      const operation = randomOperation(schema, random, { kinds: ['query', 'query', 'mutation'], skip });
      const who = people[i % people.length]!;
      const answer = await post(server.httpUrl, JSON.stringify({ query: operation.document, variables: operation.variables }), who.cookie ? { cookie: who.cookie } : {});
      if (answer.status >= 500) failures.push(`http #${i}: status ${answer.status}`);
      checkedCase(`http #${i}`, operation, answer.text, failures);
      if (answer.text.includes('INTERNAL_SERVER_ERROR')) internal.push(`http #${i} ${operation.document.slice(0, 200)} ${JSON.stringify(operation.variables).slice(0, 200)}`);
    }

    const sockets = await Promise.all(people.map((who) => new RawSocket(server.wsUrl, { cookie: who.cookie }).init()));
    let oversize = 0;
    const sent = new Map<string, RandomOperation>();
    for (let i = 0; i < WS_CASES; i++) {
      const operation = randomOperation(schema, random, { kinds: ['subscription', 'subscription', 'query', 'mutation'], skip });
      const socket = sockets[i % sockets.length]!;
      // A frame past the limit closes the socket (the corpus above shows it): not sent here.
      if (Buffer.byteLength(JSON.stringify({ id: `r${i}`, type: 'subscribe', payload: { query: operation.document, variables: operation.variables } })) > MAX_FRAME_BYTES) {
        oversize += 1;
        continue;
      }
      sent.set(`r${i}`, operation);
      if (operation.kind === 'subscription') socket.send({ id: `r${i}`, type: 'subscribe', payload: { query: operation.document, variables: operation.variables } });
      else await socket.operation(`r${i}`, operation.document, operation.variables);
    }
    // Each socket answers a last query after everything sent before it.
    for (const socket of sockets) expect(await socket.operation('last', '{ __typename }')).toMatchObject([{ type: 'next' }, { type: 'complete' }]);
    for (const [index, socket] of sockets.entries()) {
      expect(socket.closed).toBeNull();
      for (const frame of socket.frames) {
        const text = frame.type === 'error' ? JSON.stringify({ errors: frame.payload }) : JSON.stringify(frame.payload ?? {});
        const problems = problemsOf(text);
        if (problems.length) failures.push(`ws socket ${index} ${frame.id}: ${problems.join('; ')}`);
        if (text.includes('INTERNAL_SERVER_ERROR')) internal.push(`ws ${frame.id} ${sent.get(frame.id!)?.document.slice(0, 200)} ${JSON.stringify(sent.get(frame.id!)?.variables).slice(0, 200)}`);
      }
      socket.close();
    }

    const heapAtEnd = heapAfterGc();
    expect(failures).toEqual([]);
    expect(internal).toEqual([]);
    await healthy();
    // Bounded: the run's thousand operations leave no more than a few MB behind (caches are capped).
    expect(heapAtEnd - heapAfterWarmUp).toBeLessThan(48 * 1024 * 1024);
    console.info(`hostile input: ${HTTP_CASES} HTTP and ${WS_CASES} websocket cases (${oversize} not sent: over the frame limit), seed ${SEED}; heap ${(heapAfterWarmUp / 2 ** 20).toFixed(1)} → ${(heapAtEnd / 2 ** 20).toFixed(1)} MiB`);
  }, 240_000);
});

