import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Role, type Account } from '../identity/account.entity.js';
import { DomainEvent } from '../events/domain-event.entity.js';
import type { Organisation } from '../organisations/organisation.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import type { Section } from '../sections/section.entity.js';
import { pdfBytes } from '../attachments/file-fixtures.js';
import { statementCount } from '../../test/statement-count.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, subscribe, type GraphqlResult } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';
import { Match } from './match.entity.js';

const MATCH_FIELDS = `id state lead reason createdAt decidedAt version ageInDays section { id name department { name } } viewerCan { accept decline withdraw makeLead }`;
const PROPOSAL_FIELDS = `id version state matches { ${MATCH_FIELDS} }
  responsibilities { leadSection { id section { id } state } supportingSections { id section { id } state } deskOwner { id displayName }
    proposerContact { organisationName contactName contactEmail contactPhone } }`;
const GET = `query($id: ID!) { proposal(id: $id) { ${PROPOSAL_FIELDS} } }`;
const LIST = `query { proposals(first: 100) { totalCount edges { node { id } } } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { ${PROPOSAL_FIELDS} } }`;
const ACCEPT = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { ${MATCH_FIELDS} proposal { id } } }`;
const DECLINE = `mutation($id: ID!, $v: Int!, $r: String!) { declineMatch(matchId: $id, expectedVersion: $v, reason: $r) { ${MATCH_FIELDS} proposal { id } } }`;
const WITHDRAW = `mutation($id: ID!, $v: Int!, $r: String!) { withdrawMatch(matchId: $id, expectedVersion: $v, reason: $r) { ${MATCH_FIELDS} } }`;
const SET_LEAD = `mutation($id: ID!, $v: Int!, $s: ID!) { setLeadSection(proposalId: $id, expectedVersion: $v, sectionId: $s) { ${PROPOSAL_FIELDS} } }`;
const OWNER = `mutation($id: ID!, $v: Int!, $a: ID!) { assignDeskOwner(proposalId: $id, expectedVersion: $v, accountId: $a) { ${PROPOSAL_FIELDS} } }`;
const INBOX = `query($states: [MatchState!], $first: Int, $after: String) { sectionInbox(states: $states, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id state ageInDays section { id } proposal { id title } } } } }`;
const EVENTS = `subscription($after: String) { proposalEvents(after: $after) { kind proposalId proposal { id title } } }`;

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;

type Role6 = 'desk' | 'staffA' | 'staffB' | 'staffC' | 'member' | 'otherMember' | 'public';
type M = { id: string; state: string; lead: boolean; reason: string | null; version: number; section: { id: string; name: string; department: { name: string } }; [key: string]: any };
type P = { id: string; version: number; state: string; matches: M[]; responsibilities: any };

let server: TestServer;
let baseUrl: string;
let storageDir: string;
let organisation: Organisation;
/** A and B are in different departments (the point of matching); C is a third section never matched. */
let secA: Section;
let secB: Section;
let secC: Section;
let retired: Section;
let deskAccount: Account;
let deskColleague: Account;
let staffAccountB: Account;
const s: Record<Role6, HttpSession> = {} as never;

const codeOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.code;
const reasonOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.reason;
const fieldsOf = (result: GraphqlResult) => (result.errors?.[0]?.extensions?.fields ?? []).map((f) => `${f.field}:${f.code}`).sort();

async function login(account: Account): Promise<HttpSession> {
  return new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
}

/** A proposal taken through intake into dialogue, optionally with a PDF attached while it was a draft. */
async function inDialogue(options: { attach?: boolean; title?: string } = {}): Promise<{ id: string; version: number; attachmentId: string | null }> {
  const draft = (await s.member.ok(CREATE, { input: { ...COMPLETE_DRAFT, title: options.title ?? '防災と環境の連携提案' } })).createProposalDraft;
  let attachmentId: string | null = null;
  if (options.attach) {
    const response = await fetch(`${baseUrl}/api/proposals/${draft.id}/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'x-renkei-request': '1', 'x-file-name': 'plan.pdf', cookie: s.member.cookie! },
      body: new Uint8Array(pdfBytes()),
    });
    attachmentId = ((await response.json()) as { attachment: { id: string } }).attachment.id;
  }
  const submitted = (await s.member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
  const reviewed = (await s.desk.ok(REVIEW, { id: submitted.id, v: submitted.version })).acceptProposalForReview;
  const dialogue = (await s.desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
  return { ...dialogue, attachmentId };
}

/** Matched to A (lead) and B, both PENDING. */
async function matched(options: { attach?: boolean } = {}): Promise<{ proposal: P; a: M; b: M; attachmentId: string | null }> {
  const p = await inDialogue(options);
  const proposal = (await s.desk.ok(MATCH, { id: p.id, v: p.version, s: [secA.id, secB.id], lead: secA.id })).matchProposal as P;
  const a = proposal.matches.find((m) => m.section.id === secA.id)!;
  const b = proposal.matches.find((m) => m.section.id === secB.id)!;
  return { proposal, a, b, attachmentId: p.attachmentId };
}

/** What a refused call must leave untouched. */
async function snapshot(proposalId: string) {
  const em = server.db.orm.em.fork();
  const proposal = await em.findOneOrFail(Proposal, { id: proposalId });
  const matches = await em.find(Match, { proposal: proposalId }, { orderBy: { id: 'asc' } });
  return {
    version: proposal.version,
    deskOwner: proposal.deskOwner?.id ?? null,
    matches: matches.map((m) => ({ id: m.id, state: m.state, lead: m.lead, version: m.version })),
    events: await em.count(DomainEvent, { topic: 'proposal', aggregateId: proposalId }),
  };
}

async function visibleTo(session: HttpSession, proposalId: string): Promise<{ one: boolean; inList: boolean; totalCount: number }> {
  const one = (await session.ok<{ proposal: { id: string } | null }>(GET, { id: proposalId })).proposal !== null;
  const list = (await session.ok<{ proposals: { totalCount: number; edges: Array<{ node: { id: string } }> } }>(LIST)).proposals;
  return { one, inList: list.edges.some((e) => e.node.id === proposalId), totalCount: list.totalCount };
}

beforeAll(async () => {
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-matches-'));
  server = await startTestServer({ ATTACHMENTS_DIR: storageDir });
  baseUrl = server.httpUrl.replace(/\/graphql$/, '');
  const em = server.db.orm.em.fork();
  [secA, retired] = (await createDepartmentWithSections(em, ['防災テスト課', '廃止テスト課'])) as [Section, Section];
  [secB, secC] = (await createDepartmentWithSections(em, ['環境テスト課', '無関係テスト課'])) as [Section, Section];
  retired.retiredAt = new Date();
  await em.flush();
  organisation = await createOrganisation(em, '連携テスト株式会社');
  const other = await createOrganisation(em, '他社');
  deskAccount = await createAccount(em, Role.DESK);
  deskColleague = await createAccount(em, Role.DESK);
  staffAccountB = await createAccount(em, Role.SECTION, secB);
  s.desk = await login(deskAccount);
  s.staffA = await login(await createAccount(em, Role.SECTION, secA));
  s.staffB = await login(staffAccountB);
  s.staffC = await login(await createAccount(em, Role.SECTION, secC));
  s.member = await login(await createMember(em, organisation));
  s.otherMember = await login(await createMember(em, other));
  s.public = new HttpSession(server.httpUrl);
});

afterAll(async () => {
  await server?.stop();
  if (storageDir) fs.rmSync(storageDir, { recursive: true, force: true });
});

describe('matchProposal', () => {
  it('the desk matches a proposal in dialogue to sections of two departments with one lead; both sections see it, a third does not', async () => {
    const p = await inDialogue();
    const before = await snapshot(p.id);
    const result = (await s.desk.ok(MATCH, { id: p.id, v: p.version, s: [secA.id, secB.id, secA.id], lead: secA.id })).matchProposal as P;
    expect(result.version).toBe(p.version + 1);
    expect(result.matches).toHaveLength(2);
    const a = result.matches.find((m) => m.section.id === secA.id)!;
    const b = result.matches.find((m) => m.section.id === secB.id)!;
    expect(a).toMatchObject({ state: 'PENDING', lead: true, ageInDays: 0, decidedAt: null, section: { name: '防災テスト課' } });
    expect(b).toMatchObject({ state: 'PENDING', lead: false });
    expect(a.section.department.name).not.toBe(b.section.department.name);
    expect(a.viewerCan).toEqual({ accept: false, decline: false, withdraw: true, makeLead: false });
    expect(b.viewerCan).toEqual({ accept: false, decline: false, withdraw: true, makeLead: true });
    expect(result.responsibilities).toMatchObject({
      leadSection: { id: a.id, state: 'PENDING' },
      supportingSections: [{ id: b.id }],
      deskOwner: null,
      proposerContact: { organisationName: '連携テスト株式会社', contactName: '担当 花子', contactPhone: '03-0000-0000' },
    });
    expect((await snapshot(p.id)).events).toBe(before.events + 1);
    const [event] = await server.db.orm.em.fork().find(DomainEvent, { aggregateId: p.id, kind: 'MATCH_PROPOSED' });
    expect(event!.payload).toMatchObject({ leadSectionIdBefore: null, leadSectionIdAfter: secA.id, after: { matchedSectionIds: [secA.id, secB.id].sort() } });
    expect(JSON.stringify(event!.payload)).not.toContain(COMPLETE_DRAFT.content);

    for (const staff of [s.staffA, s.staffB]) expect(await visibleTo(staff, p.id)).toMatchObject({ one: true, inList: true });
    expect(await visibleTo(s.staffC, p.id)).toEqual({ one: false, inList: false, totalCount: 0 });
    const seenByA = (await s.staffA.ok(GET, { id: p.id })).proposal as P;
    expect(seenByA.matches.find((m) => m.section.id === secA.id)!.viewerCan).toEqual({ accept: true, decline: true, withdraw: false, makeLead: false });
    expect(seenByA.matches.find((m) => m.section.id === secB.id)!.viewerCan).toEqual({ accept: false, decline: false, withdraw: false, makeLead: false });
  });

  it('matching again adds only sections not already matched and may move the lead', async () => {
    const { proposal, a, b } = await matched();
    const again = (await s.desk.ok(MATCH, { id: proposal.id, v: proposal.version, s: [secB.id], lead: secB.id })).matchProposal as P;
    expect(again.matches.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
    expect(again.responsibilities.leadSection.id).toBe(b.id);
    expect(again.responsibilities.supportingSections.map((m: M) => m.id)).toEqual([a.id]);
    const kinds = (await server.db.orm.em.fork().find(DomainEvent, { aggregateId: proposal.id }, { orderBy: { id: 'asc' } })).map((e) => e.kind);
    expect(kinds.slice(-2)).toEqual(['MATCH_PROPOSED', 'LEAD_CHANGED']);
  });

  it('every other role is refused and nothing changes', async () => {
    const p = await inDialogue();
    const before = await snapshot(p.id);
    const expected: Record<Exclude<Role6, 'desk'>, string> = { staffA: 'FORBIDDEN', staffB: 'FORBIDDEN', staffC: 'FORBIDDEN', member: 'FORBIDDEN', otherMember: 'FORBIDDEN', public: 'UNAUTHENTICATED' };
    for (const [role, code] of Object.entries(expected)) {
      const result = await s[role as Role6].request(MATCH, { id: p.id, v: p.version, s: [secA.id], lead: secA.id });
      expect(codeOf(result), role).toBe(code);
    }
    expect(await snapshot(p.id)).toEqual(before);
  });

  it('a proposal not in dialogue is a conflict (ILLEGAL_STATE) and nothing changes', async () => {
    const draft = (await s.member.ok(CREATE, { input: COMPLETE_DRAFT })).createProposalDraft;
    const submitted = (await s.member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
    const before = await snapshot(submitted.id);
    const result = await s.desk.request(MATCH, { id: submitted.id, v: submitted.version, s: [secA.id], lead: secA.id });
    expect([codeOf(result), reasonOf(result)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    expect(await snapshot(submitted.id)).toEqual(before);
    // A draft the desk cannot see is simply not found.
    expect(codeOf(await s.desk.request(MATCH, { id: draft.id, v: 1, s: [secA.id], lead: secA.id }))).not.toBe(undefined);
  });

  it('a lead that is not among the matched sections, unknown or retired sections, a stale version: each refused, nothing changed', async () => {
    const p = await inDialogue();
    const before = await snapshot(p.id);
    const leadOutside = await s.desk.request(MATCH, { id: p.id, v: p.version, s: [secA.id, secB.id], lead: secC.id });
    expect([codeOf(leadOutside), fieldsOf(leadOutside)]).toEqual(['BAD_USER_INPUT', ['leadSectionId:INVALID']]);
    const unknown = await s.desk.request(MATCH, { id: p.id, v: p.version, s: [secA.id, '00000000-0000-4000-8000-000000000000'], lead: secA.id });
    expect(fieldsOf(unknown)).toEqual(['sectionIds:UNKNOWN_REFERENCE']);
    const retiredOne = await s.desk.request(MATCH, { id: p.id, v: p.version, s: [retired.id], lead: retired.id });
    expect(fieldsOf(retiredOne)).toEqual(['leadSectionId:INVALID', 'sectionIds:UNKNOWN_REFERENCE']);
    expect(fieldsOf(await s.desk.request(MATCH, { id: p.id, v: p.version, s: [], lead: secA.id }))).toEqual(['sectionIds:REQUIRED']);
    const stale = await s.desk.request(MATCH, { id: p.id, v: p.version - 1, s: [secA.id], lead: secA.id });
    expect([codeOf(stale), reasonOf(stale)]).toEqual(['CONFLICT', 'STALE_VERSION']);
    expect(await snapshot(p.id)).toEqual(before);
  });
});

describe('acceptMatch / declineMatch / withdrawMatch', () => {
  it('only staff of the matched section accept; every other role is refused, nothing changed', async () => {
    const { proposal, a } = await matched();
    const before = await snapshot(proposal.id);
    // Whoever sees the proposal knows the match: FORBIDDEN; whoever does not: NOT_FOUND.
    const expected: Record<Exclude<Role6, 'staffA'>, string> = { desk: 'FORBIDDEN', staffB: 'FORBIDDEN', staffC: 'NOT_FOUND', member: 'FORBIDDEN', otherMember: 'NOT_FOUND', public: 'UNAUTHENTICATED' };
    for (const [role, code] of Object.entries(expected)) {
      expect(codeOf(await s[role as Role6].request(ACCEPT, { id: a.id, v: a.version })), `accept ${role}`).toBe(code);
      expect(codeOf(await s[role as Role6].request(DECLINE, { id: a.id, v: a.version, r: '所管外' })), `decline ${role}`).toBe(code);
    }
    expect(await snapshot(proposal.id)).toEqual(before);
    const accepted = (await s.staffA.ok(ACCEPT, { id: a.id, v: a.version })).acceptMatch;
    expect(accepted).toMatchObject({ id: a.id, state: 'ACCEPTED', lead: true, version: a.version + 1, ageInDays: null, proposal: { id: proposal.id } });
    expect(accepted.decidedAt).not.toBeNull();
    expect((await snapshot(proposal.id)).version).toBe(before.version);
    expect(codeOf(await s.staffA.request(ACCEPT, { id: 'not-an-id', v: 1 }))).toBe('NOT_FOUND');
  });

  it('only the desk withdraws; others refused, nothing changed', async () => {
    const { proposal, b } = await matched();
    const before = await snapshot(proposal.id);
    const expected: Record<Exclude<Role6, 'desk'>, string> = { staffA: 'FORBIDDEN', staffB: 'FORBIDDEN', staffC: 'FORBIDDEN', member: 'FORBIDDEN', otherMember: 'FORBIDDEN', public: 'UNAUTHENTICATED' };
    for (const [role, code] of Object.entries(expected)) {
      expect(codeOf(await s[role as Role6].request(WITHDRAW, { id: b.id, v: b.version, r: '見直し' })), role).toBe(code);
    }
    expect(fieldsOf(await s.desk.request(WITHDRAW, { id: b.id, v: b.version, r: '\u3000' }))).toEqual(['reason:REQUIRED']);
    expect(await snapshot(proposal.id)).toEqual(before);
    const withdrawn = (await s.desk.ok(WITHDRAW, { id: b.id, v: b.version, r: '見直し' })).withdrawMatch;
    expect(withdrawn).toMatchObject({ state: 'WITHDRAWN', reason: '見直し', version: b.version + 1 });
  });

  it('a section accepting a withdrawn match: CONFLICT ILLEGAL_STATE, nothing changed; so is deciding twice', async () => {
    const { proposal, a, b } = await matched();
    await s.desk.ok(WITHDRAW, { id: b.id, v: b.version, r: '別の課で対応' });
    const before = await snapshot(proposal.id);
    for (const version of [b.version, b.version + 1]) {
      const result = await s.staffB.request(ACCEPT, { id: b.id, v: version });
      expect([codeOf(result), reasonOf(result)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    }
    expect(reasonOf(await s.staffB.request(DECLINE, { id: b.id, v: b.version + 1, r: 'x' }))).toBe('ILLEGAL_STATE');
    expect(reasonOf(await s.desk.request(WITHDRAW, { id: b.id, v: b.version + 1, r: 'x' }))).toBe('ILLEGAL_STATE');
    await s.staffA.ok(ACCEPT, { id: a.id, v: a.version });
    expect(reasonOf(await s.staffA.request(DECLINE, { id: a.id, v: a.version + 1, r: 'やはり' }))).toBe('ILLEGAL_STATE');
    const stale = await s.staffA.request(WITHDRAW, { id: a.id, v: a.version, r: 'x' });
    expect(codeOf(stale)).toBe('FORBIDDEN');
    expect((await snapshot(proposal.id)).matches).toEqual(before.matches.map((m) => (m.id === a.id ? { ...m, state: 'ACCEPTED', version: m.version + 1 } : m)));
    const staleDesk = await s.desk.request(WITHDRAW, { id: a.id, v: a.version, r: 'x' });
    expect([codeOf(staleDesk), reasonOf(staleDesk)]).toEqual(['CONFLICT', 'STALE_VERSION']);
  });

  it('declining ends the section’s access in the same transaction: proposal(id), the list and its count', async () => {
    const { proposal, b } = await matched();
    const seen = await visibleTo(s.staffB, proposal.id);
    expect(seen).toMatchObject({ one: true, inList: true });
    expect(fieldsOf(await s.staffB.request(DECLINE, { id: b.id, v: b.version, r: '' }))).toEqual(['reason:REQUIRED']);
    const declined = (await s.staffB.ok(DECLINE, { id: b.id, v: b.version, r: '所管外のため' })).declineMatch;
    expect(declined).toMatchObject({ state: 'DECLINED', reason: '所管外のため', proposal: null });
    expect(await visibleTo(s.staffB, proposal.id)).toEqual({ one: false, inList: false, totalCount: seen.totalCount - 1 });
    // Its own inbox still knows the match (as declined), but not the proposal.
    const inbox = (await s.staffB.ok(INBOX, { states: ['DECLINED'] })).sectionInbox;
    expect(inbox.edges.find((e: any) => e.node.id === b.id).node).toMatchObject({ state: 'DECLINED', proposal: null });
  });

  it('the lead’s match ending passes the lead on; the desk names another lead; a section not actively matched cannot lead', async () => {
    const { proposal, a, b } = await matched();
    await s.staffB.ok(ACCEPT, { id: b.id, v: b.version });
    await s.staffA.ok(DECLINE, { id: a.id, v: a.version, r: '他課が適任' });
    const after = (await s.desk.ok(GET, { id: proposal.id })).proposal as P;
    expect(after.responsibilities.leadSection).toMatchObject({ id: b.id, state: 'ACCEPTED' });
    expect(after.responsibilities.supportingSections).toEqual([]);
    expect(after.matches.find((m) => m.id === a.id)).toMatchObject({ state: 'DECLINED', lead: false });

    const before = await snapshot(proposal.id);
    const notActive = await s.desk.request(SET_LEAD, { id: proposal.id, v: after.version, s: secA.id });
    expect([codeOf(notActive), fieldsOf(notActive)]).toEqual(['BAD_USER_INPUT', ['sectionId:INVALID']]);
    for (const role of ['staffA', 'staffB', 'member', 'otherMember'] as const) expect(codeOf(await s[role].request(SET_LEAD, { id: proposal.id, v: after.version, s: secB.id }))).toBe('FORBIDDEN');
    expect(await snapshot(proposal.id)).toEqual(before);

    const rematched = (await s.desk.ok(MATCH, { id: proposal.id, v: after.version, s: [secC.id], lead: secB.id })).matchProposal as P;
    const c = rematched.matches.find((m) => m.section.id === secC.id)!;
    const led = (await s.desk.ok(SET_LEAD, { id: proposal.id, v: rematched.version, s: secC.id })).setLeadSection as P;
    expect(led.version).toBe(rematched.version + 1);
    expect(led.responsibilities.leadSection.id).toBe(c.id);
    expect(led.responsibilities.supportingSections.map((m: M) => m.id)).toEqual([b.id]);
    const rows = await server.db.orm.em.fork().find(Match, { proposal: proposal.id, lead: true });
    expect(rows.map((m) => m.id)).toEqual([c.id]);
  });

  it('the desk can match a section again after it declined: a new match', async () => {
    const { proposal, b } = await matched();
    await s.staffB.ok(DECLINE, { id: b.id, v: b.version, r: '今は難しい' });
    const current = (await s.desk.ok(GET, { id: proposal.id })).proposal as P;
    const again = (await s.desk.ok(MATCH, { id: proposal.id, v: current.version, s: [secB.id], lead: secA.id })).matchProposal as P;
    expect(again.matches.filter((m) => m.section.id === secB.id).map((m) => m.state).sort()).toEqual(['DECLINED', 'PENDING']);
  });
});

describe('assignDeskOwner', () => {
  it('the desk names a desk member; a non-desk account is an unknown reference; others are refused', async () => {
    const { proposal } = await matched();
    const before = await snapshot(proposal.id);
    const notDesk = await s.desk.request(OWNER, { id: proposal.id, v: proposal.version, a: staffAccountB.id });
    expect([codeOf(notDesk), fieldsOf(notDesk)]).toEqual(['BAD_USER_INPUT', ['accountId:UNKNOWN_REFERENCE']]);
    for (const role of ['staffA', 'staffC', 'member', 'otherMember'] as const) expect(codeOf(await s[role].request(OWNER, { id: proposal.id, v: proposal.version, a: deskColleague.id }))).toBe('FORBIDDEN');
    expect(codeOf(await s.public.request(OWNER, { id: proposal.id, v: proposal.version, a: deskColleague.id }))).toBe('UNAUTHENTICATED');
    expect(await snapshot(proposal.id)).toEqual(before);
    const owned = (await s.desk.ok(OWNER, { id: proposal.id, v: proposal.version, a: deskColleague.id })).assignDeskOwner as P;
    expect(owned.version).toBe(proposal.version + 1);
    expect(owned.responsibilities.deskOwner).toEqual({ id: deskColleague.id, displayName: deskColleague.displayName });
    for (const viewer of [s.staffA, s.member]) {
      expect(((await viewer.ok(GET, { id: proposal.id })).proposal as P).responsibilities.deskOwner.id).toBe(deskColleague.id);
    }
  });
});

describe('reading matches', () => {
  it('the proposer sees the matches and the panel, but not the ward’s reasons; another organisation sees nothing', async () => {
    const { proposal, b } = await matched();
    await s.staffB.ok(DECLINE, { id: b.id, v: b.version, r: '予算がないため' });
    const own = (await s.member.ok(GET, { id: proposal.id })).proposal as P;
    expect(own.matches.find((m) => m.id === b.id)).toMatchObject({ state: 'DECLINED', reason: null });
    expect(own.responsibilities.leadSection.section.id).toBe(secA.id);
    expect(((await s.staffA.ok(GET, { id: proposal.id })).proposal as P).matches.find((m) => m.id === b.id)!.reason).toBe('予算がないため');
    expect((await s.otherMember.ok(GET, { id: proposal.id })).proposal).toBeNull();
    expect((await s.public.ok(GET, { id: proposal.id })).proposal).toBeNull();
  });

  it('sectionInbox: the section’s pending matches, oldest first, paged; others are refused', async () => {
    const first = await matched();
    const second = await matched();
    const all = (await s.staffA.ok(INBOX, { first: 100 })).sectionInbox;
    const ids = all.edges.map((e: any) => e.node.id);
    expect(ids.indexOf(first.a.id)).toBeLessThan(ids.indexOf(second.a.id));
    expect(all.edges.every((e: any) => e.node.state === 'PENDING' && e.node.section.id === secA.id && e.node.proposal !== null)).toBe(true);
    expect(all.totalCount).toBe(all.edges.length);
    const page1 = (await s.staffA.ok(INBOX, { first: 1 })).sectionInbox;
    const page2 = (await s.staffA.ok(INBOX, { first: 1, after: page1.pageInfo.endCursor })).sectionInbox;
    expect([page1.edges[0].node.id, page2.edges[0].node.id]).toEqual(ids.slice(0, 2));
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const inboxC = (await s.staffC.ok(INBOX, { first: 100 })).sectionInbox;
    expect(inboxC.edges.every((e: any) => e.node.section.id === secC.id)).toBe(true);
    expect(inboxC.edges.some((e: any) => [first.a.id, second.a.id, first.b.id].includes(e.node.id))).toBe(false);
    for (const role of ['desk', 'member', 'otherMember'] as const) expect(codeOf(await s[role].request(INBOX))).toBe('FORBIDDEN');
    expect(codeOf(await s.public.request(INBOX))).toBe('UNAUTHENTICATED');
    expect(fieldsOf(await s.staffA.request(INBOX, { after: 'garbage' }))).toEqual(['after:INVALID']);
  });

  it('a page of proposals with their matches and panels costs the same number of statements whatever its size', async () => {
    const PAGE = `query($first: Int) { proposals(first: $first) { edges { node { ${PROPOSAL_FIELDS} } } } }`;
    for (let i = 0; i < 3; i += 1) await matched();
    // Every proposal with a desk owner, so every page needs the owners' statement alike.
    await server.db.orm.em.fork().nativeUpdate(Proposal, {}, { deskOwner: deskColleague.id });
    const statements = async (first: number) => {
      const { n, result } = await statementCount(() => s.desk.ok(PAGE, { first }));
      return { n, size: result.proposals.edges.length };
    };
    const small = await statements(1);
    const large = await statements(30);
    expect(large.size).toBeGreaterThan(3);
    expect(large.n).toBe(small.n);
  });
});

describe('attachments follow the match', () => {
  it('a matched section downloads the proposal’s attachment; once it declines, it cannot', async () => {
    const { b, attachmentId } = await matched({ attach: true });
    const download = (session: HttpSession) => fetch(`${baseUrl}/api/attachments/${attachmentId}`, { headers: { cookie: session.cookie! } });
    expect((await download(s.staffB)).status).toBe(200);
    expect((await download(s.staffA)).status).toBe(200);
    expect((await download(s.staffC)).status).toBe(404);
    await s.staffB.ok(DECLINE, { id: b.id, v: b.version, r: '所管外' });
    expect((await download(s.staffB)).status).toBe(404);
    expect((await download(s.staffA)).status).toBe(200);
  });
});

describe('live: proposalEvents over graphql-ws', () => {
  async function watch(session: HttpSession) {
    const { liveCursor } = await session.ok<{ liveCursor: string }>('{ liveCursor }');
    const client = session.websocket(server.wsUrl);
    return { client, ...subscribe<{ proposalEvents: { kind: string; proposalId: string; proposal: { id: string; title: string } | null } }>(client, EVENTS, { after: liveCursor }) };
  }

  for (const how of ['declined', 'withdrawn'] as const) {
    it(`a section watching the proposal is told when matched, gets proposal: null the moment its match is ${how}, and nothing afterwards`, async () => {
      const p = await inDialogue({ title: `ライブ確認 ${how}` });
      const liveB = await watch(s.staffB);
      const liveA = await watch(s.staffA);
      const liveC = await watch(s.staffC);
      try {
        const proposal = (await s.desk.ok(MATCH, { id: p.id, v: p.version, s: [secA.id, secB.id], lead: secA.id })).matchProposal as P;
        const b = proposal.matches.find((m) => m.section.id === secB.id)!;
        const forB = () => liveB.collected.items.map((r) => r.data!.proposalEvents).filter((e) => e.proposalId === p.id);
        await liveB.collected.until(() => forB().length === 1);
        expect(forB()[0]).toMatchObject({ kind: 'MATCH_PROPOSED', proposal: { id: p.id, title: `ライブ確認 ${how}` } });

        if (how === 'declined') await s.staffB.ok(DECLINE, { id: b.id, v: b.version, r: '所管外' });
        else await s.desk.ok(WITHDRAW, { id: b.id, v: b.version, r: '見直し' });
        await liveB.collected.until(() => forB().length === 2);
        expect(forB()[1]).toEqual({ kind: how === 'declined' ? 'MATCH_DECLINED' : 'MATCH_WITHDRAWN', proposalId: p.id, proposal: null });

        // Later changes reach the lead section, never B again.
        const current = (await s.desk.ok(GET, { id: p.id })).proposal as P;
        await s.desk.ok(OWNER, { id: p.id, v: current.version, a: deskColleague.id });
        const forA = () => liveA.collected.items.map((r) => r.data!.proposalEvents).filter((e) => e.proposalId === p.id);
        await liveA.collected.until(() => forA().some((e) => e.kind === 'DESK_OWNER_CHANGED'));
        expect(forA().map((e) => e.kind)).toEqual(['MATCH_PROPOSED', how === 'declined' ? 'MATCH_DECLINED' : 'MATCH_WITHDRAWN', 'DESK_OWNER_CHANGED']);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(forB()).toHaveLength(2);
        expect(liveC.collected.items.filter((r) => r.data?.proposalEvents.proposalId === p.id)).toEqual([]);
        expect(JSON.stringify(liveB.collected.items)).not.toContain(COMPLETE_DRAFT.content);
      } finally {
        for (const live of [liveA, liveB, liveC]) {
          live.stop();
          await live.client.dispose();
        }
      }
    });
  }
});
