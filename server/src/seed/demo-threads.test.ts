import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { DEMO_PASSWORD, seedDemoData } from './demo-data.js';
import { seedDemoThreads } from './demo-threads.js';

const THREADS = `{ proposals(first: 50, filter: { states: [IN_DIALOGUE] }) { edges { node { threads { title audience messages(first: 20) { edges { node { depth bodyHtml } } } } } } } }`;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await seedDemoData(server.db.orm.em.fork(), createLogger('silent'));
});
afterAll(async () => {
  await server?.stop();
});

type T = { title: string; audience: string; messages: { edges: Array<{ node: { depth: number; bodyHtml: string } }> } };
const threadsOf = async (email: string): Promise<T[]> => {
  const session = await new HttpSession(server.httpUrl).login(email, DEMO_PASSWORD);
  return ((await session.ok(THREADS)).proposals.edges as Array<{ node: { threads: T[] } }>).flatMap((e) => e.node.threads);
};

describe('demo threads', () => {
  it('the proposal in dialogue has a SHARED conversation with nested replies and an INTERNAL one the proposer never sees; seeded once', async () => {
    expect(await seedDemoThreads(server.db.orm.em.fork())).toBe(0);
    const desk = await threadsOf('desk1@demo.renkei.jp');
    expect(desk.map((t) => t.audience).sort()).toEqual(['INTERNAL', 'SHARED']);
    const shared = desk.find((t) => t.audience === 'SHARED')!;
    expect(shared.messages.edges.map((e) => e.node.depth)).toEqual([0, 1, 2]);
    expect(shared.messages.edges[0]!.node.bodyHtml).toContain('<strong>耐荷重</strong>');
    expect((await threadsOf('proposer@demo.renkei.jp')).map((t) => t.title)).toEqual([shared.title]);
    expect((await threadsOf('bousai@demo.renkei.jp')).map((t) => t.audience).sort()).toEqual(['INTERNAL', 'SHARED']);
  });
});
