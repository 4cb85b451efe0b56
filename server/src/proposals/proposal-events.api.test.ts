import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import { Membership } from '../organisations/membership.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { Account } from '../identity/account.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, subscribe } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation, endMembership } from '../../test/proposal-factories.js';

const EVENTS = `subscription($after: String) { proposalEvents(after: $after) { cursor kind proposalId proposal { id title state version referenceNumber awaiting } } }`;
const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SAVE = `mutation($id: ID!, $v: Int!, $input: ProposalDraftInput!) { saveProposalDraft(id: $id, expectedVersion: $v, input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version referenceNumber } }`;
const ACCEPT = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;

type Event = { kind: string; proposalId: string; proposal: { id: string; title: string; state: string; version: number; referenceNumber: string | null; awaiting: string } | null };
type EventResult = { proposalEvents: Event };

let server: TestServer;
let organisation: Organisation;
let otherOrganisation: Organisation;
let desk: HttpSession;
let member: HttpSession;
let otherMember: HttpSession;

async function signInMember(org: Organisation): Promise<{ session: HttpSession; account: Account }> {
  const account = await createMember(server.db.orm.em.fork(), org);
  return { session: await new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD), account };
}

/** Subscribes from the current position, so nothing done after this call can be missed. */
async function watch(session: HttpSession) {
  const { liveCursor } = await session.ok<{ liveCursor: string }>('{ liveCursor }');
  const client = session.websocket(server.wsUrl);
  return { client, ...subscribe<EventResult>(client, EVENTS, { after: liveCursor }) };
}
const events = (items: { data?: EventResult | null }[]) => items.map((r) => r.data!.proposalEvents);

async function draftAndSubmit(by: HttpSession, title: string) {
  const draft = (await by.ok(CREATE, { input: { ...COMPLETE_DRAFT, title } })).createProposalDraft;
  return (await by.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal as { id: string; version: number; referenceNumber: string };
}

beforeAll(async () => {
  server = await startTestServer();
  const em = server.db.orm.em.fork();
  organisation = await createOrganisation(em, '自社');
  otherOrganisation = await createOrganisation(em, '他社');
  const deskAccount = await createAccount(em, Role.DESK);
  desk = await new HttpSession(server.httpUrl).login(deskAccount.email, TEST_PASSWORD);
  member = (await signInMember(organisation)).session;
  otherMember = (await signInMember(otherOrganisation)).session;
});

afterAll(async () => {
  await server?.stop();
});

describe('live proposal events over graphql-ws', () => {
  it('the desk’s intake queue: a new submission appears live, drafts never do', async () => {
    const live = await watch(desk);
    try {
      const draft = (await member.ok(CREATE, { input: { ...COMPLETE_DRAFT, title: '下書き（社外秘）' } })).createProposalDraft;
      await member.ok(SAVE, { id: draft.id, v: draft.version, input: { ...COMPLETE_DRAFT, title: '提出する提案' } });
      const submitted = await member.ok(SUBMIT, { id: draft.id, v: draft.version + 1, p: ALL_PLEDGES });
      const items = await live.collected.until((all) => all.some((r) => r.data?.proposalEvents.kind === 'SUBMITTED'));
      expect(events(items).map((e) => e.kind)).toEqual(['SUBMITTED']);
      expect(events(items)[0]).toMatchObject({
        proposalId: draft.id,
        proposal: { title: '提出する提案', state: 'SUBMITTED', awaiting: 'DESK', referenceNumber: submitted.submitProposal.referenceNumber },
      });
      expect(JSON.stringify(items)).not.toContain('社外秘');
    } finally {
      live.stop();
      await live.client.dispose();
    }
  });

  it('a proposer sees its own proposal change state live; another organisation hears nothing of it', async () => {
    const mine = await draftAndSubmit(member, '自社の提案');
    const live = await watch(member);
    const others = await watch(otherMember);
    try {
      await desk.ok(ACCEPT, { id: mine.id, v: mine.version });
      const items = await live.collected.until((all) => all.some((r) => r.data?.proposalEvents.kind === 'ACCEPTED_FOR_REVIEW'));
      expect(events(items).at(-1)).toMatchObject({ proposalId: mine.id, proposal: { state: 'UNDER_REVIEW', awaiting: 'DESK' } });
      // The other organisation's own change arrives after; nothing of ours came before it.
      const theirs = (await otherMember.ok(CREATE, { input: { ...COMPLETE_DRAFT, title: '他社の下書き' } })).createProposalDraft;
      const seen = await others.collected.until((all) => all.some((r) => r.data?.proposalEvents.proposalId === theirs.id));
      expect(events(seen).map((e) => e.proposalId)).toEqual([theirs.id]);
      expect(JSON.stringify(seen)).not.toContain('自社の提案');
    } finally {
      live.stop();
      others.stop();
      await live.client.dispose();
      await others.client.dispose();
    }
  });

  it('a member who leaves the organisation stops receiving anything on the next event', async () => {
    const leaver = await signInMember(organisation);
    const p = await draftAndSubmit(member, '退会前から見ていた提案');
    const live = await watch(leaver.session);
    try {
      const accepted = (await desk.ok(ACCEPT, { id: p.id, v: p.version })).acceptProposalForReview;
      await live.collected.until((all) => all.some((r) => r.data?.proposalEvents.kind === 'ACCEPTED_FOR_REVIEW'));
      const before = live.collected.items.length;

      // Leaves: the membership row ends, directly in the database.
      await endMembership(server.db.orm.em.fork(), leaver.account.id);
      await desk.ok(DIALOGUE, { id: p.id, v: accepted.version });
      // Joins another organisation and sees its change: the stream is ordered, so the dialogue
      // event of the old organisation (earlier) would have arrived before this one.
      const em = server.db.orm.em.fork();
      em.persist(new Membership(em.getReference(Organisation, otherOrganisation.id), em.getReference(Account, leaver.account.id)));
      await em.flush();
      const marker = (await otherMember.ok(CREATE, { input: { ...COMPLETE_DRAFT, title: '移籍先の提案' } })).createProposalDraft;
      const items = await live.collected.until((all) => all.some((r) => r.data?.proposalEvents.proposalId === marker.id));
      const after = events(items.slice(before));
      expect(after.map((e) => e.proposalId)).toEqual([marker.id]);
      expect(JSON.stringify(items.slice(before))).not.toContain('退会前から見ていた提案');
      // And asking by id: null, the same as a proposal that does not exist.
      expect(await leaver.session.request(`query($id: ID!) { proposal(id: $id) { id } }`, { id: p.id })).toEqual({ data: { proposal: null } });
    } finally {
      live.stop();
      await live.client.dispose();
    }
  });

  it('replays what a reconnecting proposer missed, read as it is now', async () => {
    const p = await draftAndSubmit(member, '再接続の提案');
    const { liveCursor } = await member.ok<{ liveCursor: string }>('{ liveCursor }');
    const accepted = (await desk.ok(ACCEPT, { id: p.id, v: p.version })).acceptProposalForReview;
    await desk.ok(DIALOGUE, { id: p.id, v: accepted.version });
    const client = member.websocket(server.wsUrl);
    const { collected, stop } = subscribe<EventResult>(client, EVENTS, { after: liveCursor });
    try {
      const items = await collected.until((all) => events(all).some((e) => e.kind === 'DIALOGUE_STARTED'));
      // liveCursor is conservative: while another transaction on the server is still open it lies
      // a little earlier, so events committed just before it may be replayed too — never fewer.
      const kinds = events(items).map((e) => e.kind);
      expect(kinds.slice(-2)).toEqual(['ACCEPTED_FOR_REVIEW', 'DIALOGUE_STARTED']);
      expect(kinds.slice(0, -2).every((kind) => ['CREATED', 'UPDATED', 'SUBMITTED'].includes(kind))).toBe(true);
      // Each is read as the proposal is now.
      expect(new Set(events(items).map((e) => e.proposal?.state))).toEqual(new Set(['IN_DIALOGUE']));
    } finally {
      stop();
      await client.dispose();
    }
  });

  it('the public cannot subscribe', async () => {
    const client = new HttpSession(server.httpUrl).websocket(server.wsUrl);
    const { collected, stop } = subscribe<EventResult>(client, EVENTS);
    try {
      await collected.until((all) => all.length > 0 || collected.errors.length > 0 || collected.completed);
      const text = JSON.stringify([...collected.items, ...collected.errors]);
      expect(text).toContain('UNAUTHENTICATED');
    } finally {
      stop();
      await client.dispose();
    }
  });
});
