import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Role } from '../identity/account.entity.js';
import { openDatabase } from '../db/orm.js';
import { OwnPostgres } from '../../test/own-postgres.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount } from '../../test/factories.js';

/**
 * While the database is away the platform says so promptly: /healthz answers 503 within its
 * bound even when the database hangs, and a websocket whose operation needs the database is
 * closed with 1013 (a graphql-ws client retries it) rather than 4500 (it gives up for good).
 */

let cluster: OwnPostgres;
let server: TestServer;
let session: HttpSession;

beforeAll(async () => {
  cluster = await OwnPostgres.start();
  const url = await cluster.createDatabase('renkei_away');
  const orm = await openDatabase(url, 5);
  server = await startTestServer({}, { url, name: 'renkei_away', orm, dispose: () => orm.close() });
  const account = await createAccount(orm.em.fork(), Role.DESK);
  session = await new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
}, 120_000);

afterAll(async () => {
  cluster?.thaw();
  await server?.stop();
  await server?.db.dispose();
  await cluster?.dispose();
});

const healthz = () => fetch(server.httpUrl.replace('/graphql', '/healthz'), { signal: AbortSignal.timeout(10_000) }).then((r) => r.status);

/** Opens a socket with the session, subscribes, and resolves with the code it is closed with. */
function closeCodeOfSubscribe(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws', { headers: { cookie: session.cookie! } });
    socket.on('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === 'connection_ack') socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { challengeEvents { cursor } }' } }));
    });
    socket.on('close', (code) => resolve(code));
  });
}

describe('the database away', () => {
  it('healthz answers 503 when it is stopped and when it hangs, and 200 again when it is back', { timeout: 120_000 }, async () => {
    expect(await healthz()).toBe(200);
    cluster.freeze();
    try {
      // A frozen database accepts connections and never answers: the check gives up after its bound.
      expect(await healthz()).toBe(503);
      expect(await healthz()).toBe(503);
    } finally {
      cluster.thaw();
    }
    await expect.poll(healthz, { timeout: 30_000, interval: 200 }).toBe(200);
    await cluster.stop('fast');
    expect(await healthz()).toBe(503);
    await cluster.restart();
    await expect.poll(healthz, { timeout: 30_000, interval: 200 }).toBe(200);
  });

  it('a subscription that needs it closes the socket with 1013 Try Again Later, not 4500', { timeout: 120_000 }, async () => {
    await cluster.stop('fast');
    try {
      expect(await closeCodeOfSubscribe()).toBe(1013);
    } finally {
      await cluster.restart();
    }
    await expect.poll(healthz, { timeout: 30_000, interval: 200 }).toBe(200);
  });
});
