import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account, Role } from '../identity/account.entity.js';
import { personView } from '../identity/person-view.js';
import { Match, MatchState } from '../matches/match.entity.js';
import { Membership } from '../organisations/membership.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { proposalFactsForAudiences } from '../proposals/proposal.service.js';
import { threadAndMessageForAudiences, threadPeople } from './thread.reads.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';

/**
 * The live dialogue's reads without the ORM (thread-events.subscription.ts) must decide exactly as
 * the ORM reads they replaced: the same proposal facts, the same thread and message, the same people.
 */

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id matches { id version } } }`;
const START = `mutation($p: ID!, $input: StartThreadInput!) { startThread(proposalId: $p, input: $input) { id } }`;
const POST = `mutation($t: ID!, $b: String!) { postMessage(threadId: $t, body: $b) { id } }`;

let server: TestServer;
let desk: HttpSession;
let member: HttpSession;
let accounts: { desk: Account; staff: Account; member: Account; leaver: Account };
let sectionIds: string[];

beforeAll(async () => {
  server = await startTestServer();
  const fork = server.db.orm.em.fork();
  const sections = await createDepartmentWithSections(fork, ['防災課', '道路課', '公園課']);
  sectionIds = sections.map((section) => section.id);
  const organisation = await createOrganisation(fork);
  accounts = { desk: await createAccount(fork, Role.DESK), staff: await createAccount(fork, Role.SECTION, sections[0]!), member: await createMember(fork, organisation), leaver: await createMember(fork, organisation) };
  await fork.nativeUpdate(Membership, { account: accounts.leaver.id }, { leftAt: new Date() });
  desk = await new HttpSession(server.httpUrl).login(accounts.desk.email, TEST_PASSWORD);
  member = await new HttpSession(server.httpUrl).login(accounts.member.email, TEST_PASSWORD);
});

afterAll(async () => {
  await server?.stop();
});

async function factsByOrm(id: string): Promise<unknown> {
  const proposal = await server.db.orm.em.fork().findOne(Proposal, { id }, { populate: ['matches'] });
  return proposal ? proposalVisibilityFacts(proposal) : null;
}

async function expectSameFacts(id: string): Promise<void> {
  const facts = await proposalFactsForAudiences(server.db.orm.em.fork(), id);
  expect(facts).toEqual(await factsByOrm(id));
}

describe('proposal facts for audiences', () => {
  it('are the facts the ORM read gives, through the lifecycle and for every match state', async () => {
    const draft = (await member.ok(CREATE, { input: COMPLETE_DRAFT })).createProposalDraft;
    await expectSameFacts(draft.id);
    expect((await proposalFactsForAudiences(server.db.orm.em.fork(), draft.id))?.everSubmitted).toBe(false);
    const submitted = (await member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
    await expectSameFacts(draft.id);
    const reviewed = (await desk.ok(REVIEW, { id: submitted.id, v: submitted.version })).acceptProposalForReview;
    const dialogue = (await desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
    await desk.ok(MATCH, { id: dialogue.id, v: dialogue.version, s: sectionIds, lead: sectionIds[0] });
    const matched = await proposalFactsForAudiences(server.db.orm.em.fork(), draft.id);
    expect(matched?.matchedSectionIds).toEqual([...sectionIds].sort());
    await expectSameFacts(draft.id);
    // Each state on the sections in turn: only PENDING and ACCEPTED let a section see the proposal.
    const fork = server.db.orm.em.fork();
    for (const state of Object.values(MatchState)) {
      await fork.nativeUpdate(Match, { proposal: draft.id, section: sectionIds[1]! }, { state });
      await expectSameFacts(draft.id);
      const facts = await proposalFactsForAudiences(server.db.orm.em.fork(), draft.id);
      expect(facts?.matchedSectionIds.includes(sectionIds[1]!)).toBe(state === MatchState.PENDING || state === MatchState.ACCEPTED);
    }
  });

  it('are null for a proposal that does not exist and for what is not an id', async () => {
    expect(await proposalFactsForAudiences(server.db.orm.em.fork(), '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await proposalFactsForAudiences(server.db.orm.em.fork(), "x' or 1=1 --")).toBeNull();
  });
});

describe('a live event’s thread and message', () => {
  it('are read only when the message is the thread’s and the thread the proposal’s', async () => {
    const draft = (await member.ok(CREATE, { input: COMPLETE_DRAFT })).createProposalDraft;
    const submitted = (await member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
    const reviewed = (await desk.ok(REVIEW, { id: submitted.id, v: submitted.version })).acceptProposalForReview;
    const dialogue = (await desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
    const shared = (await member.ok(START, { p: dialogue.id, input: { audience: 'SHARED', title: '相談', body: '最初' } })).startThread.id as string;
    const internal = (await desk.ok(START, { p: dialogue.id, input: { audience: 'INTERNAL', title: '内部', body: '内部の最初' } })).startThread.id as string;
    const inShared = (await member.ok(POST, { t: shared, b: `@[${accounts.desk.displayName}](account:${accounts.desk.id}) 共有の投稿` })).postMessage.id as string;
    const inInternal = (await desk.ok(POST, { t: internal, b: '内部の投稿' })).postMessage.id as string;
    const other = (await member.ok(CREATE, { input: COMPLETE_DRAFT })).createProposalDraft.id as string;

    const read = await threadAndMessageForAudiences(server.db.orm.em.fork(), dialogue.id, shared, inShared);
    expect(read.thread?.id).toBe(shared);
    expect(read.thread?.audience).toBe('SHARED');
    expect(read.message?.id).toBe(inShared);
    expect(read.message?.thread).toBe(read.thread);
    expect(read.message?.body).toContain('共有の投稿');
    expect(read.message?.createdAt).toBeInstanceOf(Date);
    // The uuid[] column comes back as the ids mentioned, as the ORM's read gave them.
    expect(read.message?.mentionIds).toEqual([accounts.desk.id]);

    // A message of another thread, named with this one: no message (the thread alone is read).
    const crossed = await threadAndMessageForAudiences(server.db.orm.em.fork(), dialogue.id, shared, inInternal);
    expect(crossed.thread?.id).toBe(shared);
    expect(crossed.message).toBeNull();
    // A thread named with another proposal: nothing.
    expect(await threadAndMessageForAudiences(server.db.orm.em.fork(), other, shared, inShared)).toEqual({ thread: null, message: null });
    // The thread alone, for an event without a message.
    expect((await threadAndMessageForAudiences(server.db.orm.em.fork(), dialogue.id, internal, null)).thread?.audience).toBe('INTERNAL');
  });
});

describe('thread people', () => {
  it('are the people the ORM read gives: affiliation by role, an organisation only while a member', async () => {
    const ids = [accounts.desk.id, accounts.staff.id, accounts.member.id, accounts.leaver.id, '00000000-0000-4000-8000-000000000000', accounts.desk.id];
    const people = await threadPeople(server.db.orm.em.fork(), ids);
    const fork = server.db.orm.em.fork();
    const expected = await Promise.all(
      ids.map(async (id) => {
        const account = await fork.findOne(Account, { id }, { populate: ['section.department'] });
        if (!account) return null;
        const membership = await fork.findOne(Membership, { account: id, leftAt: null }, { populate: ['organisation'] });
        return personView(account, membership?.organisation.name ?? null);
      }),
    );
    expect(people).toEqual(expected);
    expect(people[1]?.sectionName).toBe('防災課');
    expect(people[1]?.departmentName).toMatch(/^テスト部/);
    expect(people[2]?.organisationName).toMatch(/^テスト株式会社/);
    expect(people[3]?.organisationName).toBeNull();
    expect(people[4]).toBeNull();
  });
});
