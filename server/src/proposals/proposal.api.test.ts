import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Role } from '../identity/account.entity.js';
import { Challenge, ChallengeStatus } from '../challenges/challenge.entity.js';
import { Organisation, OrganisationKind } from '../organisations/organisation.entity.js';
import type { Section } from '../sections/section.entity.js';
import { statementCount } from '../../test/statement-count.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, type GraphqlResult } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';
import { ProposalRevision } from './proposal-revision.entity.js';
import { ProposalTransition } from './proposal-transition.entity.js';
import { Proposal } from './proposal.entity.js';
import { fiscalYearOf } from './proposal-reference.js';

const FIELDS = `id referenceNumber state kind title version submittedAt daysSinceSubmission changeRequestNote awaiting
  organisation { id name kind } challenge { id title } hopedSections { id name }
  timeline { fromState toState actorName reason }
  viewerCan { edit submit withdraw acceptForReview return requestChanges startDialogue markNotRealized }`;
const CREATE = `mutation($input: ProposalDraftInput!, $key: String) { createProposalDraft(input: $input, idempotencyKey: $key) { ${FIELDS} } }`;
const SAVE = `mutation($id: ID!, $v: Int!, $input: ProposalDraftInput!) { saveProposalDraft(id: $id, expectedVersion: $v, input: $input) { ${FIELDS} } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $pledges: ProposalPledgesInput!, $key: String) { submitProposal(id: $id, expectedVersion: $v, pledges: $pledges, idempotencyKey: $key) { ${FIELDS} } }`;
const GET = `query($id: ID!) { proposal(id: $id) { ${FIELDS} } }`;
const LIST = `query($first: Int, $after: String, $filter: ProposalFilter, $order: ProposalOrder) {
  proposals(first: $first, after: $after, filter: $filter, order: $order) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${FIELDS} } } } }`;

type Transition = 'acceptForReview' | 'return' | 'requestChanges' | 'startDialogue' | 'markNotRealized' | 'withdraw';
const MUTATIONS: Record<Transition, { field: string; doc: string; text?: string }> = {
  acceptForReview: { field: 'acceptProposalForReview', doc: `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { ${FIELDS} } }` },
  return: { field: 'returnProposal', doc: `mutation($id: ID!, $v: Int!, $t: String!) { returnProposal(id: $id, expectedVersion: $v, reason: $t) { ${FIELDS} } }`, text: '対象外のため' },
  requestChanges: {
    field: 'requestProposalChanges',
    doc: `mutation($id: ID!, $v: Int!, $t: String!) { requestProposalChanges(id: $id, expectedVersion: $v, note: $t) { ${FIELDS} } }`,
    text: '効果を具体的に',
  },
  startDialogue: { field: 'startProposalDialogue', doc: `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { ${FIELDS} } }` },
  markNotRealized: {
    field: 'markProposalNotRealized',
    doc: `mutation($id: ID!, $v: Int!, $t: String!) { markProposalNotRealized(id: $id, expectedVersion: $v, reason: $t) { ${FIELDS} } }`,
    text: '今回は見送り',
  },
  withdraw: { field: 'withdrawProposal', doc: `mutation($id: ID!, $v: Int!, $t: String) { withdrawProposal(id: $id, expectedVersion: $v, reason: $t) { ${FIELDS} } }`, text: '社内事情' },
};

type P = { id: string; version: number; state: string; referenceNumber: string | null; [key: string]: any };

let server: TestServer;
let section: Section;
let organisation: Organisation;
let otherOrganisation: Organisation;
let openChallenge: Challenge;
let closedChallenge: Challenge;
const s: Record<'desk' | 'member' | 'colleague' | 'otherMember' | 'section' | 'public', HttpSession> = {} as never;

const codeOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.code;
const fieldsOf = (result: GraphqlResult) => (result.errors?.[0]?.extensions?.fields ?? []).map((f) => `${f.field}:${f.code}`).sort();

async function create(input: Record<string, unknown> = COMPLETE_DRAFT, by = s.member): Promise<P> {
  return (await by.ok(CREATE, { input })).createProposalDraft;
}
async function submit(p: P, by = s.member): Promise<P> {
  return (await by.ok(SUBMIT, { id: p.id, v: p.version, pledges: ALL_PLEDGES })).submitProposal;
}
async function move(p: P, transition: Transition, by?: HttpSession): Promise<P> {
  const m = MUTATIONS[transition];
  const actor = by ?? (transition === 'withdraw' ? s.member : s.desk);
  return (await actor.ok(m.doc, { id: p.id, v: p.version, t: m.text }))[m.field];
}
function attempt(p: P, transition: Transition, by: HttpSession, text?: string | null): Promise<GraphqlResult> {
  const m = MUTATIONS[transition];
  return by.request(m.doc, { id: p.id, v: p.version, t: text === undefined ? m.text : text });
}

/** A proposal brought to `state` through the API. DRAFT_AGAIN: back to the proposer after requestChanges. */
type Reachable = 'DRAFT' | 'DRAFT_AGAIN' | 'SUBMITTED' | 'UNDER_REVIEW' | 'IN_DIALOGUE' | 'RETURNED' | 'NOT_REALIZED' | 'WITHDRAWN';
async function proposalIn(state: Reachable): Promise<P> {
  const draft = await create();
  if (state === 'DRAFT') return draft;
  const submitted = await submit(draft);
  if (state === 'SUBMITTED') return submitted;
  if (state === 'WITHDRAWN') return move(submitted, 'withdraw');
  if (state === 'DRAFT_AGAIN') return move(submitted, 'requestChanges');
  const review = await move(submitted, 'acceptForReview');
  if (state === 'UNDER_REVIEW') return review;
  if (state === 'RETURNED') return move(review, 'return');
  const dialogue = await move(review, 'startDialogue');
  if (state === 'IN_DIALOGUE') return dialogue;
  return move(dialogue, 'markNotRealized');
}

async function counts(proposalId: string) {
  const em = server.db.orm.em.fork();
  const row = await em.findOneOrFail(Proposal, { id: proposalId });
  return {
    transitions: await em.count(ProposalTransition, { proposal: proposalId }),
    revisions: await em.count(ProposalRevision, { proposal: proposalId }),
    proposals: await em.count(Proposal, {}),
    state: row.state,
    version: row.version,
    referenceNumber: row.referenceNumber,
  };
}

async function signIn(role: Role, org?: Organisation): Promise<HttpSession> {
  const em = server.db.orm.em.fork();
  const account = org ? await createMember(em, org) : await createAccount(em, role, role === Role.SECTION ? section : null);
  return new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
}

beforeAll(async () => {
  server = await startTestServer();
  const em = server.db.orm.em.fork();
  [section] = (await createDepartmentWithSections(em, ['防災危機管理課'])) as [Section];
  organisation = await createOrganisation(em, 'いたばしラボ株式会社');
  otherOrganisation = await createOrganisation(em, '他社NPO', OrganisationKind.NPO);
  const challenge = (title: string, status: ChallengeStatus) => {
    const c = new Challenge({ title, description: '説明', background: '', owningSection: section, fieldCodes: ['disaster-crime-prevention'], periodStart: null, periodEnd: null, contact: '03' }, randomUUID());
    c.status = status;
    c.publishedAt = new Date();
    em.persist(c);
    return c;
  };
  openChallenge = challenge('受付中の課題', ChallengeStatus.OPEN);
  closedChallenge = challenge('受付終了の課題', ChallengeStatus.CLOSED);
  await em.flush();
  s.desk = await signIn(Role.DESK);
  s.member = await signIn(Role.PROPOSER, organisation);
  s.colleague = await signIn(Role.PROPOSER, organisation);
  s.otherMember = await signIn(Role.PROPOSER, otherOrganisation);
  s.section = await signIn(Role.SECTION);
  s.public = new HttpSession(server.httpUrl);
});

afterAll(async () => {
  await server?.stop();
});

describe('drafts', () => {
  it('a member starts an incomplete draft; a colleague sees it, the desk does not yet', async () => {
    const draft = await create({ kind: 'FREE', title: '書きかけ' });
    expect(draft).toMatchObject({ state: 'DRAFT', referenceNumber: null, awaiting: 'PROPOSER', submittedAt: null, daysSinceSubmission: null });
    expect(draft.organisation).toEqual({ id: organisation.id, name: 'いたばしラボ株式会社', kind: 'COMPANY' });
    expect(draft.timeline).toEqual([{ fromState: null, toState: 'DRAFT', actorName: 'PROPOSER person', reason: null }]);
    expect(draft.viewerCan).toMatchObject({ edit: true, submit: true, withdraw: true, acceptForReview: false });
    expect((await s.colleague.ok(GET, { id: draft.id })).proposal.title).toBe('書きかけ');
    expect((await s.desk.ok(GET, { id: draft.id })).proposal).toBeNull();
  });

  it('only a member of an organisation can start one', async () => {
    expect(codeOf(await s.public.request(CREATE, { input: COMPLETE_DRAFT }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await s.desk.request(CREATE, { input: COMPLETE_DRAFT }))).toBe('FORBIDDEN');
    expect(codeOf(await s.section.request(CREATE, { input: COMPLETE_DRAFT }))).toBe('FORBIDDEN');
  });

  it('a retry with the same idempotency key creates one draft', async () => {
    const before = (await counts((await create()).id)).proposals;
    const key = `create-${randomUUID()}`;
    const [a, b] = await Promise.all([s.member.ok(CREATE, { input: COMPLETE_DRAFT, key }), s.member.ok(CREATE, { input: COMPLETE_DRAFT, key })]);
    const c = await s.member.ok(CREATE, { input: COMPLETE_DRAFT, key });
    expect(new Set([a.createProposalDraft.id, b.createProposalDraft.id, c.createProposalDraft.id]).size).toBe(1);
    expect(await server.db.orm.em.fork().count(Proposal, {})).toBe(before + 1);
  });

  it('autosaves incomplete content, with the version as a guard', async () => {
    const draft = await create({ kind: 'FREE' });
    const saved = (await s.member.ok(SAVE, { id: draft.id, v: draft.version, input: { kind: 'CHALLENGE', challengeId: openChallenge.id, title: '途中', hopedSectionIds: [section.id] } }))
      .saveProposalDraft;
    expect(saved).toMatchObject({ version: draft.version + 1, kind: 'CHALLENGE', title: '途中', challenge: { id: openChallenge.id }, hopedSections: [{ id: section.id }] });
    const stale = await s.colleague.request(SAVE, { id: draft.id, v: draft.version, input: { kind: 'FREE', title: '上書き' } });
    expect(codeOf(stale)).toBe('CONFLICT');
    expect(stale.errors![0]!.extensions!.reason).toBe('STALE_VERSION');
    expect((await s.member.ok(GET, { id: draft.id })).proposal.title).toBe('途中');
  });

  it('refuses over-long text, bad references and a closed challenge, every field at once, saving nothing', async () => {
    const draft = await create();
    const before = await counts(draft.id);
    const result = await s.member.request(SAVE, {
      id: draft.id,
      v: draft.version,
      input: { kind: 'FREE', challengeId: openChallenge.id, title: 'あ'.repeat(201), content: 'い'.repeat(10_001), wardCost: 'ESTIMATE', wardCostEstimate: -1 },
    });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(result)).toEqual(['challengeId:INVALID', 'content:TOO_LONG', 'title:TOO_LONG', 'wardCostEstimate:INVALID']);
    const closed = await s.member.request(SAVE, { id: draft.id, v: draft.version, input: { kind: 'CHALLENGE', challengeId: closedChallenge.id } });
    expect(fieldsOf(closed)).toEqual(['challengeId:INVALID']);
    const unknown = await s.member.request(SAVE, { id: draft.id, v: draft.version, input: { kind: 'CHALLENGE', challengeId: randomUUID(), hopedSectionIds: [randomUUID()] } });
    expect(fieldsOf(unknown)).toEqual(['challengeId:UNKNOWN_REFERENCE', 'hopedSectionIds:UNKNOWN_REFERENCE']);
    const tooMany = await s.member.request(SAVE, { id: draft.id, v: draft.version, input: { kind: 'FREE', hopedSectionIds: Array.from({ length: 11 }, () => randomUUID()) } });
    expect(fieldsOf(tooMany)).toEqual(['hopedSectionIds:TOO_LONG']);
    expect(await counts(draft.id)).toEqual(before);
  });

  it('another organisation’s member cannot save it: not found', async () => {
    const draft = await create();
    expect(codeOf(await s.otherMember.request(SAVE, { id: draft.id, v: draft.version, input: COMPLETE_DRAFT }))).toBe('NOT_FOUND');
  });
});

describe('submitting', () => {
  it('checks completeness and pledges, reporting every problem at once, and changes nothing', async () => {
    const draft = await create({ kind: 'CHALLENGE', title: '', wardCost: 'ESTIMATE' });
    const before = await counts(draft.id);
    const result = await s.member.request(SUBMIT, { id: draft.id, v: draft.version, pledges: { ...ALL_PLEDGES, notPoliticalOrReligious: false, noAntisocialTies: false } });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(result)).toEqual(
      [
        'challengeId:REQUIRED',
        'content:REQUIRED',
        'expectedEffects:REQUIRED',
        'pledges.noAntisocialTies:REQUIRED',
        'pledges.notPoliticalOrReligious:REQUIRED',
        'title:REQUIRED',
        'wardCostEstimate:REQUIRED',
        'wardCostReason:REQUIRED',
        'wardIssue:REQUIRED',
      ].sort(),
    );
    expect(await counts(draft.id)).toEqual(before);
  });

  it('a complete proposal gets a 受付番号 of this fiscal year, and the pledges are recorded', async () => {
    const submitted = await submit(await create({ ...COMPLETE_DRAFT, kind: 'CHALLENGE', challengeId: openChallenge.id }));
    expect(submitted).toMatchObject({ state: 'SUBMITTED', awaiting: 'DESK', daysSinceSubmission: 0 });
    expect(submitted.referenceNumber).toMatch(new RegExp(`^${fiscalYearOf(new Date())}-\\d{4}$`));
    expect(submitted.timeline.map((t: any) => t.toState)).toEqual(['DRAFT', 'SUBMITTED']);
    const row = await server.db.orm.em.fork().findOneOrFail(Proposal, { id: submitted.id });
    expect(row.pledgesAffirmedAt).toBeInstanceOf(Date);
    expect(row.pledgesAffirmedBy).toBeTruthy();
    // The desk sees it now.
    expect((await s.desk.ok(GET, { id: submitted.id })).proposal.referenceNumber).toBe(submitted.referenceNumber);
  });

  it('a challenge that closed since the draft was started blocks submission', async () => {
    const em = server.db.orm.em.fork();
    const c = new Challenge({ title: '締切間近', description: '説明', background: '', owningSection: em.getReference(Challenge, openChallenge.id).owningSection, fieldCodes: [], periodStart: null, periodEnd: null, contact: '03' }, randomUUID());
    c.status = ChallengeStatus.OPEN;
    c.publishedAt = new Date();
    em.persist(c);
    await em.flush();
    const draft = await create({ ...COMPLETE_DRAFT, kind: 'CHALLENGE', challengeId: c.id });
    await em.nativeUpdate(Challenge, { id: c.id }, { status: ChallengeStatus.CLOSED });
    // Autosave keeps working on its own challenge…
    const saved = (await s.member.ok(SAVE, { id: draft.id, v: draft.version, input: { ...COMPLETE_DRAFT, kind: 'CHALLENGE', challengeId: c.id, title: '更新' } })).saveProposalDraft;
    // …but it cannot be submitted to it.
    const result = await s.member.request(SUBMIT, { id: draft.id, v: saved.version, pledges: ALL_PLEDGES });
    expect(fieldsOf(result)).toEqual(['challengeId:INVALID']);
  });

  it('pressed twice at once with one key: one submission, one number', async () => {
    const draft = await create();
    const key = `submit-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 4 }, () => s.member.request(SUBMIT, { id: draft.id, v: draft.version, pledges: ALL_PLEDGES, key })),
    );
    for (const result of results) expect(result.errors).toBeUndefined();
    const numbers = new Set(results.map((r) => r.data!.submitProposal.referenceNumber));
    expect(numbers.size).toBe(1);
    // Pressed again later with the same key: the same answer, nothing new.
    const again = await s.member.ok(SUBMIT, { id: draft.id, v: draft.version, pledges: ALL_PLEDGES, key });
    expect(again.submitProposal.referenceNumber).toBe([...numbers][0]);
    const after = await counts(draft.id);
    expect(after.transitions).toBe(2);
    expect(after.referenceNumber).toBe([...numbers][0]);
  });

  it('pressed twice without a key: the second is a conflict, and no second number is used', async () => {
    const draft = await create();
    const [a, b] = await Promise.all([s.member.request(SUBMIT, { id: draft.id, v: draft.version, pledges: ALL_PLEDGES }), s.member.request(SUBMIT, { id: draft.id, v: draft.version, pledges: ALL_PLEDGES })]);
    const failed = [a, b].filter((r) => r.errors);
    expect(failed).toHaveLength(1);
    expect(codeOf(failed[0]!)).toBe('CONFLICT');
    const ok = [a, b].find((r) => !r.errors)!.data!.submitProposal;
    const next = await submit(await create());
    const seq = (n: string) => Number(n.split('-')[1]);
    expect(seq(next.referenceNumber!)).toBe(seq(ok.referenceNumber) + 1);
  });

  it('a suspended organisation cannot submit', async () => {
    const em = server.db.orm.em.fork();
    const suspended = await createOrganisation(em, '停止中の団体');
    const member = await signIn(Role.PROPOSER, suspended);
    const draft = (await member.ok(CREATE, { input: COMPLETE_DRAFT })).createProposalDraft;
    await em.nativeUpdate(Organisation, { id: suspended.id }, { suspendedAt: new Date() });
    expect((await member.ok(GET, { id: draft.id })).proposal.viewerCan.submit).toBe(false);
    expect(codeOf(await member.request(SUBMIT, { id: draft.id, v: draft.version, pledges: ALL_PLEDGES }))).toBe('FORBIDDEN');
    expect((await counts(draft.id)).state).toBe('DRAFT');
  });
});

describe('every transition for every role', () => {
  /** Where each transition is legal, and what role makes it. */
  const LEGAL: Record<Transition, { from: Reachable; to: string }> = {
    acceptForReview: { from: 'SUBMITTED', to: 'UNDER_REVIEW' },
    return: { from: 'UNDER_REVIEW', to: 'RETURNED' },
    requestChanges: { from: 'SUBMITTED', to: 'DRAFT' },
    startDialogue: { from: 'UNDER_REVIEW', to: 'IN_DIALOGUE' },
    markNotRealized: { from: 'IN_DIALOGUE', to: 'NOT_REALIZED' },
    withdraw: { from: 'IN_DIALOGUE', to: 'WITHDRAWN' },
  };
  type Who = 'desk' | 'member' | 'colleague' | 'otherMember' | 'section' | 'public';
  const deskOnly = (who: Who) => (who === 'desk' ? 'OK' : who === 'public' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
  const memberOnly = (who: Who) =>
    who === 'member' || who === 'colleague' ? 'OK' : who === 'public' ? 'UNAUTHENTICATED' : who === 'desk' ? 'FORBIDDEN' : 'NOT_FOUND';
  const cases = (Object.keys(LEGAL) as Transition[]).flatMap((transition) =>
    (['desk', 'member', 'colleague', 'otherMember', 'section', 'public'] as Who[]).map((who) => ({
      transition,
      who,
      expected: transition === 'withdraw' ? memberOnly(who) : deskOnly(who),
    })),
  );

  it.each(cases)('$who $transition → $expected', async ({ transition, who, expected }) => {
    const p = await proposalIn(LEGAL[transition].from);
    const before = await counts(p.id);
    const result = await attempt(p, transition, s[who]);
    if (expected === 'OK') {
      expect(result.errors).toBeUndefined();
      const moved = result.data![MUTATIONS[transition].field];
      expect(moved.state).toBe(LEGAL[transition].to);
      expect(moved.version).toBe(p.version + 1);
      const last = moved.timeline.at(-1);
      expect(last).toMatchObject({ toState: LEGAL[transition].to, reason: MUTATIONS[transition].text ?? null });
      expect((await counts(p.id)).transitions).toBe(before.transitions + 1);
    } else {
      expect(codeOf(result)).toBe(expected);
      expect(await counts(p.id)).toEqual(before);
    }
  });

  it('submit: only a member', async () => {
    for (const [who, code] of [['desk', 'FORBIDDEN'], ['section', 'FORBIDDEN'], ['otherMember', 'NOT_FOUND'], ['public', 'UNAUTHENTICATED']] as const) {
      const draft = await create();
      const before = await counts(draft.id);
      expect(codeOf(await s[who].request(SUBMIT, { id: draft.id, v: draft.version, pledges: ALL_PLEDGES })), who).toBe(code);
      expect(await counts(draft.id)).toEqual(before);
    }
    expect((await submit(await create(), s.colleague)).state).toBe('SUBMITTED');
  });

  it('return, requestChanges and markNotRealized need their reason; withdraw does not', async () => {
    for (const [transition, from, field] of [['return', 'SUBMITTED', 'reason'], ['requestChanges', 'UNDER_REVIEW', 'note'], ['markNotRealized', 'UNDER_REVIEW', 'reason']] as const) {
      const p = await proposalIn(from);
      const before = await counts(p.id);
      const result = await attempt(p, transition, s.desk, '   ');
      expect(fieldsOf(result), transition).toEqual([`${field}:REQUIRED`]);
      expect(await counts(p.id)).toEqual(before);
    }
    const withdrawn = (await attempt(await proposalIn('SUBMITTED'), 'withdraw', s.member, null)).data!.withdrawProposal;
    expect(withdrawn.timeline.at(-1)).toMatchObject({ toState: 'WITHDRAWN', reason: null });
  });
});

describe('illegal transitions change nothing', () => {
  const STATES: Reachable[] = ['DRAFT_AGAIN', 'SUBMITTED', 'UNDER_REVIEW', 'IN_DIALOGUE', 'RETURNED', 'NOT_REALIZED', 'WITHDRAWN'];
  const LEGAL_FROM: Record<Transition, Reachable[]> = {
    acceptForReview: ['SUBMITTED'],
    return: ['SUBMITTED', 'UNDER_REVIEW'],
    requestChanges: ['SUBMITTED', 'UNDER_REVIEW'],
    startDialogue: ['UNDER_REVIEW'],
    markNotRealized: ['UNDER_REVIEW', 'IN_DIALOGUE'],
    withdraw: ['DRAFT_AGAIN', 'SUBMITTED', 'UNDER_REVIEW', 'IN_DIALOGUE'],
  };
  const byState = new Map<Reachable, P>();

  beforeAll(async () => {
    for (const state of STATES) byState.set(state, await proposalIn(state));
  });

  const cases = STATES.flatMap((state) => (Object.keys(LEGAL_FROM) as Transition[]).filter((t) => !LEGAL_FROM[t].includes(state)).map((transition) => ({ state, transition })));
  it.each(cases)('$transition from $state → CONFLICT ILLEGAL_STATE', async ({ state, transition }) => {
    const p = byState.get(state)!;
    const before = await counts(p.id);
    const result = await attempt(p, transition, transition === 'withdraw' ? s.member : s.desk);
    expect(codeOf(result)).toBe('CONFLICT');
    expect(result.errors![0]!.extensions!.reason).toBe('ILLEGAL_STATE');
    expect(await counts(p.id)).toEqual(before);
    expect((await s.member.ok(GET, { id: p.id })).proposal.timeline).toHaveLength(before.transitions);
  });

  it('submitting twice is illegal; so is editing after submission', async () => {
    const p = byState.get('SUBMITTED')!;
    const result = await s.member.request(SUBMIT, { id: p.id, v: p.version, pledges: ALL_PLEDGES });
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ILLEGAL_STATE' });
    const edit = await s.member.request(SAVE, { id: p.id, v: p.version, input: COMPLETE_DRAFT });
    expect(edit.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ILLEGAL_STATE' });
  });

  it('the desk cannot act on a draft that was never submitted: it does not exist for the desk', async () => {
    const draft = await create();
    expect(codeOf(await attempt(draft, 'acceptForReview', s.desk))).toBe('NOT_FOUND');
  });
});

describe('changes requested', () => {
  it('goes back to the proposer with the note, keeps the submitted content and the 受付番号 on resubmission', async () => {
    const submitted = await proposalIn('UNDER_REVIEW');
    const back = await move(submitted, 'requestChanges');
    expect(back).toMatchObject({ state: 'DRAFT', awaiting: 'PROPOSER', changeRequestNote: '効果を具体的に', referenceNumber: submitted.referenceNumber });
    expect((await s.member.ok(GET, { id: back.id })).proposal.viewerCan).toMatchObject({ edit: true, submit: true, withdraw: true });
    // The desk still sees it while the proposer works on it.
    expect((await s.desk.ok(GET, { id: back.id })).proposal.viewerCan).toMatchObject({ acceptForReview: false, return: false });
    const revisions = await server.db.orm.em.fork().find(ProposalRevision, { proposal: back.id });
    expect(revisions).toHaveLength(1);
    expect(revisions[0]!.content).toMatchObject({ title: COMPLETE_DRAFT.title, content: COMPLETE_DRAFT.content, referenceNumber: submitted.referenceNumber });
    const edited = (await s.member.ok(SAVE, { id: back.id, v: back.version, input: { ...COMPLETE_DRAFT, expectedEffects: '参加者300人、備蓄率の向上' } })).saveProposalDraft;
    const again = await submit(edited);
    expect(again).toMatchObject({ state: 'SUBMITTED', referenceNumber: submitted.referenceNumber, changeRequestNote: null });
    expect(again.timeline.map((t: any) => t.toState)).toEqual(['DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'DRAFT', 'SUBMITTED']);
    expect(again.timeline[3].reason).toBe('効果を具体的に');
  });
});

describe('visibility', () => {
  it('another organisation’s proposal by id looks exactly like a missing one', async () => {
    const p = await proposalIn('SUBMITTED');
    const theirs = await s.otherMember.request(GET, { id: p.id });
    const missing = await s.otherMember.request(GET, { id: randomUUID() });
    expect(theirs).toEqual({ data: { proposal: null } });
    expect(theirs).toEqual(missing);
    expect(await s.section.request(GET, { id: p.id })).toEqual({ data: { proposal: null } });
    expect(await s.public.request(GET, { id: p.id })).toEqual({ data: { proposal: null } });
    expect(await s.member.request(GET, { id: 'not-a-uuid' })).toEqual({ data: { proposal: null } });
  });

  it('lists and counts never reveal another organisation’s proposals', async () => {
    const mine = await proposalIn('SUBMITTED');
    const theirs = (await s.otherMember.ok(CREATE, { input: { ...COMPLETE_DRAFT, title: '他社の秘密の提案' } })).createProposalDraft;
    const other = (await s.otherMember.ok(LIST, { first: 100 })).proposals;
    expect(other.totalCount).toBe(1);
    expect(other.edges.map((e: any) => e.node.id)).toEqual([theirs.id]);
    const own = (await s.member.ok(LIST, { first: 100 })).proposals;
    expect(own.edges.map((e: any) => e.node.id)).toContain(mine.id);
    expect(JSON.stringify(own)).not.toContain('他社の秘密の提案');
    expect(own.totalCount).toBe(own.edges.length);
    expect((await s.section.ok(LIST, {})).proposals.totalCount).toBe(0);
    expect((await s.public.ok(LIST, {})).proposals.totalCount).toBe(0);
    // The desk: submitted ones only, never a first draft.
    const desk = (await s.desk.ok(LIST, { first: 100 })).proposals;
    expect(desk.edges.map((e: any) => e.node.id)).not.toContain(theirs.id);
    expect(desk.edges.every((e: any) => e.node.submittedAt !== null)).toBe(true);
  });
});

describe('the intake queue', () => {
  it('filters in SQL and pages by age with cursors, oldest first', async () => {
    const npo = await signIn(Role.PROPOSER, otherOrganisation);
    const a = await submit(await create({ ...COMPLETE_DRAFT, kind: 'CHALLENGE', challengeId: openChallenge.id }));
    const b = await submit((await npo.ok(CREATE, { input: COMPLETE_DRAFT })).createProposalDraft, npo);
    const filtered = async (filter: Record<string, unknown>) => (await s.desk.ok(LIST, { first: 100, filter })).proposals;
    const challengeOnes = await filtered({ challengeId: openChallenge.id });
    expect(challengeOnes.edges.map((e: any) => e.node.id)).toContain(a.id);
    expect(challengeOnes.edges.every((e: any) => e.node.challenge?.id === openChallenge.id)).toBe(true);
    expect((await filtered({ fieldCode: 'disaster-crime-prevention' })).totalCount).toBe(challengeOnes.totalCount);
    expect((await filtered({ fieldCode: 'picture-books' })).totalCount).toBe(0);
    const npoOnes = await filtered({ organisationKind: 'NPO' });
    expect(npoOnes.edges.map((e: any) => e.node.id)).toContain(b.id);
    expect(npoOnes.edges.every((e: any) => e.node.organisation.kind === 'NPO')).toBe(true);
    const free = await filtered({ kind: 'FREE', states: ['SUBMITTED'] });
    expect(free.edges.every((e: any) => e.node.kind === 'FREE' && e.node.state === 'SUBMITTED')).toBe(true);
    expect(free.edges.map((e: any) => e.node.id)).toContain(b.id);

    // Paging through everything, two at a time, gives the full list in order, once each.
    const all = (await s.desk.ok(LIST, { first: 100 })).proposals;
    const seen: any[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await s.desk.ok(LIST, { first: 2, after })).proposals;
      seen.push(...page.edges.map((e: any) => e.node));
      expect(page.totalCount).toBe(all.totalCount);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.map((n) => n.id)).toEqual(all.edges.map((e: any) => e.node.id));
    const times = seen.map((n) => Date.parse(n.submittedAt));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    const newest = (await s.desk.ok(LIST, { first: 100, order: 'NEWEST_SUBMITTED_FIRST' })).proposals.edges.map((e: any) => e.node.id);
    expect(newest).toEqual([...all.edges.map((e: any) => e.node.id)].reverse());
    // A cursor from one order is refused in another.
    const wrong = await s.desk.request(LIST, { first: 2, after: all.edges[0].cursor, order: 'RECENTLY_UPDATED' });
    expect(fieldsOf(wrong)).toEqual(['after:INVALID']);
  });

  it('a proposer’s own list pages across submitted ones and drafts (drafts last)', async () => {
    const all = (await s.member.ok(LIST, { first: 100 })).proposals;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await s.member.ok(LIST, { first: 7, after })).proposals;
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((e: any) => e.node.id));
    expect(new Set(seen).size).toBe(all.totalCount);
    const submittedFlags = all.edges.map((e: any) => e.node.submittedAt !== null);
    expect(submittedFlags.indexOf(false)).toBeGreaterThan(0);
    expect(submittedFlags.slice(submittedFlags.indexOf(false)).every((f: boolean) => !f)).toBe(true);
  });

  it('shows days since submission in calendar days', async () => {
    const p = await proposalIn('SUBMITTED');
    await server.db.orm.em.fork().nativeUpdate(Proposal, { id: p.id }, { submittedAt: new Date(Date.now() - 3 * 86_400_000) });
    expect((await s.desk.ok(GET, { id: p.id })).proposal.daysSinceSubmission).toBe(3);
  });

  it('a page costs the same number of SQL statements whatever its size', async () => {
    const statements = async (first: number) => {
      const { n, result } = await statementCount(() => s.desk.ok(LIST, { first }));
      return { n, size: result.proposals.edges.length };
    };
    const small = await statements(1);
    const large = await statements(30);
    expect(large.size).toBeGreaterThan(10);
    expect(small.n).toBeGreaterThan(0);
    expect(large.n).toBe(small.n);
  });
});
