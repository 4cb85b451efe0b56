import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { CaseState, PublicCase } from '../publication/public-case.entity.js';
import { DEMO_PASSWORD, seedDemoData } from './demo-data.js';
import { seedDemoCases } from './demo-cases.js';

const CASES = `{ proposals(first: 50, filter: { states: [REPORTED, PUBLISHED] }) { edges { node { title state report { state } publicCase { state fiscalYear fieldCodes consentedAt publishedContent { title blocks { kind } } } } } } }`;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await seedDemoData(server.db.orm.em.fork(), createLogger('silent'));
});
afterAll(async () => {
  await server?.stop();
});

type N = { title: string; state: string; report: { state: string } | null; publicCase: { state: string; fiscalYear: number; fieldCodes: string[]; consentedAt: string | null; publishedContent: { title: string; blocks: unknown[] } | null } | null };
const casesOf = async (email: string): Promise<N[]> => {
  const session = await new HttpSession(server.httpUrl).login(email, DEMO_PASSWORD);
  return ((await session.ok(CASES)).proposals.edges as Array<{ node: N }>).map((e) => e.node).filter((n) => n.publicCase);
};

describe('demo cases', () => {
  it('two PUBLISHED cases in different fields and fiscal years with accepted reports, and one DRAFT awaiting consent; seeded once', async () => {
    expect(await seedDemoCases(server.db.orm.em.fork())).toBe(0);
    const desk = await casesOf('desk1@demo.renkei.jp');
    const published = desk.filter((n) => n.publicCase!.state === 'PUBLISHED');
    expect(published).toHaveLength(2);
    for (const n of published) {
      expect(n.state).toBe('PUBLISHED');
      expect(n.report!.state).toBe('ACCEPTED');
      expect(n.publicCase!.consentedAt).not.toBeNull();
      expect(n.publicCase!.publishedContent!.blocks.length).toBeGreaterThan(0);
    }
    expect(new Set(published.map((n) => n.publicCase!.fiscalYear)).size).toBe(2);
    expect(new Set(published.map((n) => n.publicCase!.fieldCodes[0])).size).toBe(2);
    const drafts = desk.filter((n) => n.publicCase!.state === 'DRAFT');
    expect(drafts.map((n) => [n.state, n.publicCase!.consentedAt])).toEqual([['REPORTED', null]]);
    // The proposer sees its own organisation's cases; the search text is there for the portal.
    expect((await casesOf('proposer@demo.renkei.jp')).length).toBe(2);
    const rows = await server.db.orm.em.fork().find(PublicCase, { state: CaseState.PUBLISHED });
    for (const row of rows) expect(row.searchText).toContain(row.publishedContent!.title);
  });
});
