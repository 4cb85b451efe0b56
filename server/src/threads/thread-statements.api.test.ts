import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { statementCount } from '../../test/statement-count.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';
import { THREAD_MESSAGES } from '../../test/client-queries.js';

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id matches { id version } } }`;
const ACCEPT = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id version } }`;
const START = `mutation($p: ID!, $input: StartThreadInput!) { startThread(proposalId: $p, input: $input) { id } }`;
const POST = `mutation($t: ID!, $b: String!, $parent: ID) { postMessage(threadId: $t, body: $b, parentId: $parent) { id version } }`;
const EDIT = `mutation($m: ID!, $b: String!, $v: Int!) { editMessage(messageId: $m, body: $b, expectedVersion: $v) { id version } }`;
const FOLLOW = `mutation($t: ID!, $f: Boolean!) { followThread(threadId: $t, following: $f) { id following } }`;


let server: TestServer;
let threadId: string;
const s = {} as Record<'desk' | 'lead' | 'member', HttpSession>;

beforeAll(async () => {
  server = await startTestServer();
  const fork = server.db.orm.em.fork();
  const [lead] = await createDepartmentWithSections(fork, ['防災課']);
  const organisation = await createOrganisation(fork);
  const accounts = { desk: await createAccount(fork, Role.DESK), lead: await createAccount(fork, Role.SECTION, lead!), member: await createMember(fork, organisation) };
  for (const who of ['desk', 'lead', 'member'] as const) s[who] = await new HttpSession(server.httpUrl).login(accounts[who].email, TEST_PASSWORD);

  const draft = (await s.member.ok(CREATE, { input: COMPLETE_DRAFT })).createProposalDraft;
  const submitted = (await s.member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
  const reviewed = (await s.desk.ok(REVIEW, { id: submitted.id, v: submitted.version })).acceptProposalForReview;
  const dialogue = (await s.desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
  const matched = (await s.desk.ok(MATCH, { id: dialogue.id, v: dialogue.version, s: [lead!.id], lead: lead!.id })).matchProposal;
  await s.lead.ok(ACCEPT, { id: matched.matches[0].id, v: matched.matches[0].version });
  threadId = (await s.member.ok(START, { p: dialogue.id, input: { audience: 'SHARED', title: '日程の相談', body: '最初の投稿' } })).startThread.id;
  // Sixty messages by three people of three roles: replies nested past three levels (quotes), edits (revisions).
  const authors = [s.desk, s.lead, s.member];
  let parent: string | null = null;
  for (let i = 0; i < 60; i += 1) {
    const posted: { id: string; version: number } = (await authors[i % 3]!.ok(POST, { t: threadId, b: `投稿${i}`, parent: i % 5 === 0 ? null : parent })).postMessage;
    parent = posted.id; // each reply answers the one before: past the third level they quote it
    if (i % 7 === 0) await authors[i % 3]!.ok(EDIT, { m: posted.id, b: `投稿${i}（修正）`, v: posted.version });
  }
  await s.desk.ok(FOLLOW, { t: threadId, f: true });
});

afterAll(async () => {
  await server?.stop();
});

describe('a thread page costs a handful of statements, whatever its size', () => {
  it.each(['desk', 'lead', 'member'] as const)('as %s: the same number for 5 and 50 messages, at most 10', async (who) => {
    const five = await statementCount(() => s[who].ok(THREAD_MESSAGES, { threadId, first: 5 }));
    const fifty = await statementCount(() => s[who].ok(THREAD_MESSAGES, { threadId, first: 50 }));
    expect(five.result.thread.messages.edges).toHaveLength(5);
    expect(fifty.result.thread.messages.edges).toHaveLength(50);
    expect(fifty.result.thread.messages.edges.some((edge: { node: { quote: unknown } }) => edge.node.quote !== null)).toBe(true);
    expect(fifty.result.thread.messages.edges.some((edge: { node: { revisions: unknown[] } }) => edge.node.revisions.length > 0)).toBe(true);
    expect(fifty.n).toBe(five.n);
    expect(fifty.n).toBeLessThanOrEqual(10);
  });
});
