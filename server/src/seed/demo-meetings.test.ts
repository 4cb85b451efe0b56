import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { Meeting } from '../meetings/meeting.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { DEMO_PASSWORD, seedDemoData } from './demo-data.js';
import { seedDemoMeetings } from './demo-meetings.js';

const MEETINGS = `{ proposals(first: 50, filter: { states: [IN_DIALOGUE] }) { edges { node { title meetings { title audience state startsAt participants { displayName role } viewerCan { update } } } } } }`;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await seedDemoData(server.db.orm.em.fork(), createLogger('silent'));
});
afterAll(async () => {
  await server?.stop();
});

const login = (email: string) => new HttpSession(server.httpUrl).login(email, DEMO_PASSWORD);
type Node = { title: string; meetings: Array<{ title: string; audience: string; state: string; startsAt: string; participants: Array<{ role: string }>; viewerCan: { update: boolean } }> };
const meetingsOf = async (email: string) => ((await (await login(email)).ok(MEETINGS)).proposals.edges as Array<{ node: Node }>).flatMap((e) => e.node.meetings);

describe('demo meetings', () => {
  it('the proposal in dialogue has a future SHARED meeting with the proposer, the desk and the lead section, and an INTERNAL one; seeded once', async () => {
    expect(await server.db.orm.em.fork().count(Meeting, {})).toBe(2);
    expect(await seedDemoMeetings(server.db.orm.em.fork())).toBe(0);
    const desk = await meetingsOf('desk1@demo.renkei.jp');
    expect(desk.map((m) => m.audience).sort()).toEqual(['INTERNAL', 'SHARED']);
    for (const m of desk) {
      expect(new Date(m.startsAt).getTime()).toBeGreaterThan(Date.now());
      expect(m.state).toBe('SCHEDULED');
      expect(m.viewerCan.update).toBe(true);
    }
    const shared = desk.find((m) => m.audience === 'SHARED')!;
    expect(shared.participants.map((p) => p.role).sort()).toEqual(['DESK', 'PROPOSER', 'SECTION']);
    const proposer = await meetingsOf('proposer@demo.renkei.jp');
    expect(proposer.map((m) => m.title)).toEqual([shared.title]);
    expect((await meetingsOf('bousai@demo.renkei.jp')).map((m) => m.viewerCan.update)).toEqual([true, true]);
    // The pending section sees both but may not change them; the other organisation sees none.
    expect((await meetingsOf('kankyo@demo.renkei.jp')).map((m) => m.viewerCan.update)).toEqual([false, false]);
    expect(await meetingsOf('npo@demo.renkei.jp')).toEqual([]);
  });
});
