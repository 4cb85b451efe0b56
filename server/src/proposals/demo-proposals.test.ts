import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { DEMO_PASSWORD, seedDemoData } from '../seed/demo-data.js';
import { seedDemoProposals } from '../seed/demo-proposals.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { Proposal, ProposalState } from './proposal.entity.js';
import { DEMO_CASES } from '../seed/demo-cases.js';
import { ProposalTransition } from './proposal-transition.entity.js';

// The demo cases (seed/demo-cases.ts) are REPORTED or PUBLISHED and tested in demo-cases.test.ts; these are the others.
const NOT_CASES = { state: { $nin: [ProposalState.REPORTED, ProposalState.PUBLISHED] } };
const LIST = `{ proposals(first: 50, filter: { states: [DRAFT, SUBMITTED, UNDER_REVIEW, IN_DIALOGUE, AGREED, IN_PROGRESS, RETURNED, NOT_REALIZED, WITHDRAWN] }) { totalCount edges { node { title state kind referenceNumber challenge { title } timeline { fromState toState } } } } }`;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await seedDemoData(server.db.orm.em.fork(), createLogger('silent'));
});
afterAll(async () => {
  await server?.stop();
});

describe('demo proposals', () => {
  it('are seeded once, in different states, with timelines and 受付番号', async () => {
    const em = server.db.orm.em.fork();
    const count = await em.count(Proposal, NOT_CASES);
    expect(count).toBe(6);
    expect(await seedDemoProposals(server.db.orm.em.fork())).toBe(0);
    expect(await em.count(Proposal, NOT_CASES)).toBe(count);
    const transitions = await em.count(ProposalTransition, { proposal: NOT_CASES });
    expect(transitions).toBe(2 + 3 + 1 + 4 + 2 + 6);

    const lab = await new HttpSession(server.httpUrl).login('proposer@demo.renkei.jp', DEMO_PASSWORD);
    const own = (await lab.ok(LIST)).proposals;
    expect(own.totalCount).toBe(4);
    const states = own.edges.map((e: any) => [e.node.state, e.node.kind]).sort();
    expect(states).toEqual([['DRAFT', 'FREE'], ['IN_DIALOGUE', 'FREE'], ['SUBMITTED', 'CHALLENGE'], ['UNDER_REVIEW', 'FREE']]);
    const toChallenge = own.edges.find((e: any) => e.node.kind === 'CHALLENGE').node;
    expect(toChallenge.challenge.title).toBe('災害時の要配慮者への情報伝達を確実にしたい');
    expect(toChallenge.referenceNumber).toMatch(/^\d{4}-\d{4}$/);
    expect(toChallenge.timeline).toEqual([{ fromState: null, toState: 'DRAFT' }, { fromState: 'DRAFT', toState: 'SUBMITTED' }]);

    const desk = await new HttpSession(server.httpUrl).login('desk1@demo.renkei.jp', DEMO_PASSWORD);
    const queue = (await desk.ok(LIST)).proposals;
    expect(queue.totalCount).toBe(5);
    expect(new Set(queue.edges.map((e: any) => e.node.referenceNumber)).size).toBe(5);

    // The proposal in dialogue is matched across two departments: 防災危機管理課 leads (accepted),
    // 環境政策課 has it pending in its inbox; each demo section account sees it, and only it.
    const INBOX = `query($states: [MatchState!]) { sectionInbox(states: $states) { totalCount edges { node { state lead section { name } proposal { title } } } } }`;
    const kankyo = await new HttpSession(server.httpUrl).login('kankyo@demo.renkei.jp', DEMO_PASSWORD);
    const pending = (await kankyo.ok(INBOX)).sectionInbox;
    expect(pending.totalCount).toBe(1);
    expect(pending.edges[0].node).toMatchObject({ state: 'PENDING', lead: false, section: { name: '環境政策課' }, proposal: { title: '避難所となる区立施設への太陽光発電と蓄電池の共同設置' } });
    const bousai = await new HttpSession(server.httpUrl).login('bousai@demo.renkei.jp', DEMO_PASSWORD);
    const accepted = (await bousai.ok(INBOX, { states: ['ACCEPTED'] })).sectionInbox;
    const caseTitles = DEMO_CASES.map((c) => c.proposal.title);
    expect(accepted.edges.filter((e: any) => !caseTitles.includes(e.node.proposal.title)).map((e: any) => [e.node.state, e.node.lead])).toEqual([['ACCEPTED', true], ['ACCEPTED', true]]);
    expect((await kankyo.ok(LIST)).proposals.totalCount).toBe(1);
    expect((await bousai.ok(LIST)).proposals.totalCount).toBe(2);
  });

  it('one is carried out: a no-cost 協定 led by 防災危機管理課, with two progress notes the proposer sees', async () => {
    const npo = await new HttpSession(server.httpUrl).login('npo@demo.renkei.jp', DEMO_PASSWORD);
    const QUERY = `{ proposals(first: 10, filter: { states: [IN_PROGRESS] }) { edges { node { title state
      decision { form wardCost indicators { name } } progressNotes { text milestone authorName section { name } } timeline { toState } } } } }`;
    const edges = (await npo.ok(QUERY)).proposals.edges;
    expect(edges).toHaveLength(1);
    const node = edges[0].node;
    expect(node.decision).toMatchObject({ form: 'AGREEMENT', wardCost: 'NONE' });
    expect(node.decision.indicators).toHaveLength(2);
    expect(node.progressNotes.map((n: any) => [n.milestone, n.section?.name])).toEqual([[true, '防災危機管理課'], [false, '防災危機管理課']]);
    expect(node.timeline.map((t: any) => t.toState)).toEqual(['DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'IN_DIALOGUE', 'AGREED', 'IN_PROGRESS']);
  });
});
