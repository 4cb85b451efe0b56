import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import { DomainEvent } from '../events/domain-event.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { ProposalTransition } from '../proposals/proposal-transition.entity.js';
import type { Section } from '../sections/section.entity.js';
import { statementCount } from '../../test/statement-count.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, subscribe, type GraphqlResult } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';
import { AgreementRecord } from './agreement-record.entity.js';
import { PartnershipDecision } from './partnership-decision.entity.js';
import { ProgressNote } from './progress-note.entity.js';
import { tokyoToday } from './partnership.validation.js';

const DECISION_FIELDS = `form wardCost wardCostAmount procurementRoute startDate endDate scope wardResponsibilities proposerResponsibilities indicators { name target } decidedAt`;
const NOTE_FIELDS = `id text milestone happenedOn createdAt authorName section { id name }`;
const PROPOSAL_FIELDS = `id version state decision { ${DECISION_FIELDS} } agreementRecord { title parties signedOn termStart termEnd }
  progressNotes { ${NOTE_FIELDS} } timeline { fromState toState }
  viewerCan { withdraw recordAgreement recordAgreementDocument startWork addProgressNote markNotRealized }`;
const GET = `query($id: ID!) { proposal(id: $id) { ${PROPOSAL_FIELDS} } }`;
const AGREE = `mutation($id: ID!, $v: Int!, $input: PartnershipDecisionInput!) { recordAgreement(proposalId: $id, expectedVersion: $v, input: $input) { ${PROPOSAL_FIELDS} } }`;
const DOCUMENT = `mutation($id: ID!, $v: Int!, $input: AgreementDocumentInput!) { recordAgreementDocument(proposalId: $id, expectedVersion: $v, input: $input) { ${PROPOSAL_FIELDS} } }`;
const START = `mutation($id: ID!, $v: Int!) { startProposalWork(proposalId: $id, expectedVersion: $v) { ${PROPOSAL_FIELDS} } }`;
const NOTE = `mutation($id: ID!, $input: ProgressNoteInput!, $key: String) { addProgressNote(proposalId: $id, input: $input, idempotencyKey: $key) { ${NOTE_FIELDS} } }`;
const WITHDRAW_PROPOSAL = `mutation($id: ID!, $v: Int!) { withdrawProposal(id: $id, expectedVersion: $v) { id } }`;
const EVENTS = `subscription($after: String) { proposalEvents(after: $after) { kind proposalId proposal { id state progressNotes { text } } } }`;

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id version matches { id version section { id } } } }`;
const ACCEPT = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id } }`;

/** No-cost 協定: the guideline's principle. */
const NO_COST_AGREEMENT = {
  form: 'AGREEMENT',
  wardCost: 'NONE',
  startDate: '2027-04-01',
  endDate: '2028-03-31',
  scope: '区立施設2か所での太陽光・蓄電池の実証',
  wardResponsibilities: '施設の使用許可、防災訓練での活用',
  proposerResponsibilities: '設備の設置・保守、効果測定',
  indicators: [
    { name: '停電時の供給時間', target: '72時間' },
    { name: 'CO2削減量', target: '年10トン' },
  ],
};
const DOC = { title: '公民連携に関する協定書', parties: ['板橋区', '連携実施テスト株式会社'], signedOn: '2027-03-20', termStart: '2027-04-01', termEnd: '2028-03-31' };

type Who = 'desk' | 'lead' | 'supporting' | 'unmatched' | 'member' | 'otherMember' | 'public';
const WHO: Who[] = ['desk', 'lead', 'supporting', 'unmatched', 'member', 'otherMember', 'public'];
type P = { id: string; version: number; state: string; decision: any; agreementRecord: any; progressNotes: any[]; timeline: any[]; viewerCan: Record<string, boolean> };

let server: TestServer;
let secLead: Section;
let secSupport: Section;
let secNone: Section;
const s: Record<Who, HttpSession> = {} as never;

const codeOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.code;
const reasonOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.reason;
const fieldsOf = (result: GraphqlResult) => (result.errors?.[0]?.extensions?.fields ?? []).map((f) => `${f.field}:${f.code}`).sort();

/** In dialogue, matched to the lead (in one department) and a supporting section (in another); `accept` says who has accepted. */
async function matched(accept: { lead: boolean; supporting: boolean } = { lead: true, supporting: true }): Promise<{ id: string; version: number }> {
  const draft = (await s.member.ok(CREATE, { input: { ...COMPLETE_DRAFT, title: '避難所の電源確保の連携' } })).createProposalDraft;
  const submitted = (await s.member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
  const reviewed = (await s.desk.ok(REVIEW, { id: submitted.id, v: submitted.version })).acceptProposalForReview;
  const dialogue = (await s.desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
  const withMatches = (await s.desk.ok(MATCH, { id: dialogue.id, v: dialogue.version, s: [secLead.id, secSupport.id], lead: secLead.id })).matchProposal;
  const matchOf = (section: Section) => withMatches.matches.find((m: any) => m.section.id === section.id);
  if (accept.lead) await s.lead.ok(ACCEPT, { id: matchOf(secLead).id, v: matchOf(secLead).version });
  if (accept.supporting) await s.supporting.ok(ACCEPT, { id: matchOf(secSupport).id, v: matchOf(secSupport).version });
  const current = (await s.desk.ok(GET, { id: dialogue.id })).proposal as P;
  return { id: current.id, version: current.version };
}

async function agreed(input: Record<string, unknown> = NO_COST_AGREEMENT): Promise<P> {
  const p = await matched();
  return (await s.desk.ok(AGREE, { id: p.id, v: p.version, input })).recordAgreement as P;
}

async function inProgress(): Promise<P> {
  const p = await agreed();
  return (await s.lead.ok(START, { id: p.id, v: p.version })).startProposalWork as P;
}

/** What a refused call must leave untouched. */
async function snapshot(proposalId: string) {
  const em = server.db.orm.em.fork();
  const proposal = await em.findOneOrFail(Proposal, { id: proposalId });
  return {
    version: proposal.version,
    state: proposal.state,
    decisions: await em.count(PartnershipDecision, { proposal: proposalId }),
    agreements: await em.count(AgreementRecord, { proposal: proposalId }),
    notes: await em.count(ProgressNote, { proposal: proposalId }),
    timeline: await em.count(ProposalTransition, { proposal: proposalId }),
    events: await em.count(DomainEvent, { topic: 'proposal', aggregateId: proposalId }),
  };
}

beforeAll(async () => {
  server = await startTestServer();
  const em = server.db.orm.em.fork();
  [secLead, secNone] = (await createDepartmentWithSections(em, ['防災実施テスト課', '無関係実施テスト課'])) as [Section, Section];
  [secSupport] = (await createDepartmentWithSections(em, ['環境実施テスト課'])) as [Section];
  const organisation = await createOrganisation(em, '連携実施テスト株式会社');
  const other = await createOrganisation(em, '他社実施テスト');
  const login = async (account: { email: string }) => new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
  s.desk = await login(await createAccount(em, Role.DESK));
  s.lead = await login(await createAccount(em, Role.SECTION, secLead));
  s.supporting = await login(await createAccount(em, Role.SECTION, secSupport));
  s.unmatched = await login(await createAccount(em, Role.SECTION, secNone));
  s.member = await login(await createMember(em, organisation));
  s.otherMember = await login(await createMember(em, other));
  s.public = new HttpSession(server.httpUrl);
});

afterAll(async () => {
  await server?.stop();
});

describe('recordAgreement (合意)', () => {
  it('the desk records a no-cost 協定: AGREED with the decision and a timeline row; whoever sees the proposal sees the decision', async () => {
    const p = await matched();
    const before = await snapshot(p.id);
    const result = (await s.desk.ok(AGREE, { id: p.id, v: p.version, input: NO_COST_AGREEMENT })).recordAgreement as P;
    expect(result.state).toBe('AGREED');
    expect(result.version).toBe(p.version + 1);
    expect(result.decision).toMatchObject({ form: 'AGREEMENT', wardCost: 'NONE', wardCostAmount: null, procurementRoute: null, startDate: '2027-04-01', endDate: '2028-03-31' });
    expect(result.decision.indicators).toEqual(NO_COST_AGREEMENT.indicators);
    expect(result.timeline.at(-1)).toEqual({ fromState: 'IN_DIALOGUE', toState: 'AGREED' });
    const after = await snapshot(p.id);
    expect(after).toMatchObject({ decisions: 1, timeline: before.timeline + 1, events: before.events + 1 });
    for (const who of WHO) {
      const seen = (await s[who].ok(GET, { id: p.id })).proposal as P | null;
      if (who === 'unmatched' || who === 'otherMember' || who === 'public') expect(seen).toBeNull();
      else expect(seen!.decision).toMatchObject({ form: 'AGREEMENT', scope: NO_COST_AGREEMENT.scope });
    }
  });

  it('a paid contract records the amount and the route', async () => {
    const p = await agreed({ ...NO_COST_AGREEMENT, form: 'CONTRACT', wardCost: 'PAID', wardCostAmount: 880000, procurementRoute: 'NEGOTIATED_CONTRACT' });
    expect(p.decision).toMatchObject({ form: 'CONTRACT', wardCost: 'PAID', wardCostAmount: 880000, procurementRoute: 'NEGOTIATED_CONTRACT' });
  });

  it('nobody but the desk may record it', async () => {
    const p = await matched();
    const before = await snapshot(p.id);
    for (const who of WHO.filter((w) => w !== 'desk')) {
      expect(codeOf(await s[who].request(AGREE, { id: p.id, v: p.version, input: NO_COST_AGREEMENT }))).toBe(who === 'public' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
    expect(await snapshot(p.id)).toEqual(before);
  });

  it('bad input — a ward cost with no procurement route, a contract at no cost, dates out of order — changes nothing', async () => {
    const p = await matched();
    const before = await snapshot(p.id);
    const noRoute = await s.desk.request(AGREE, { id: p.id, v: p.version, input: { ...NO_COST_AGREEMENT, wardCost: 'PAID', wardCostAmount: 500000 } });
    expect(codeOf(noRoute)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(noRoute)).toEqual(['procurementRoute:REQUIRED']);
    const many = await s.desk.request(AGREE, {
      id: p.id,
      v: p.version,
      input: { ...NO_COST_AGREEMENT, form: 'CONTRACT', wardCostAmount: 100, endDate: '2027-01-01', indicators: [] },
    });
    expect(fieldsOf(many)).toEqual(['endDate:OUT_OF_ORDER', 'form:INVALID', 'indicators:REQUIRED', 'wardCostAmount:INVALID']);
    expect(await snapshot(p.id)).toEqual(before);
  });

  it('needs an ACCEPTED lead match, a proposal in dialogue and the current version', async () => {
    const pending = await matched({ lead: false, supporting: true });
    const before = await snapshot(pending.id);
    const noLead = await s.desk.request(AGREE, { id: pending.id, v: pending.version, input: NO_COST_AGREEMENT });
    expect([codeOf(noLead), reasonOf(noLead)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    expect(noLead.errors![0]!.message).toContain('lead section');
    expect((await s.desk.ok(GET, { id: pending.id })).proposal.viewerCan.recordAgreement).toBe(false);
    expect(await snapshot(pending.id)).toEqual(before);

    const p = await agreed();
    const again = await s.desk.request(AGREE, { id: p.id, v: p.version, input: NO_COST_AGREEMENT });
    expect([codeOf(again), reasonOf(again)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    const ready = await matched();
    const stale = await s.desk.request(AGREE, { id: ready.id, v: ready.version - 1, input: NO_COST_AGREEMENT });
    expect([codeOf(stale), reasonOf(stale)]).toEqual(['CONFLICT', 'STALE_VERSION']);
    expect(codeOf(await s.desk.request(AGREE, { id: '00000000-0000-4000-8000-000000000000', v: 1, input: NO_COST_AGREEMENT }))).toBe('NOT_FOUND');
  });

  it('the proposer can no longer withdraw once AGREED; 見送り from dialogue still works', async () => {
    const p = await agreed();
    expect(p.viewerCan.withdraw).toBe(false);
    const refused = await s.member.request(WITHDRAW_PROPOSAL, { id: p.id, v: p.version });
    expect([codeOf(refused), reasonOf(refused)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    const other = await matched();
    const notRealized = await s.desk.ok(`mutation($id: ID!, $v: Int!) { markProposalNotRealized(id: $id, expectedVersion: $v, reason: "予算化困難") { state } }`, { id: other.id, v: other.version });
    expect(notRealized.markProposalNotRealized.state).toBe('NOT_REALIZED');
  });
});

describe('recordAgreementDocument (協定書)', () => {
  it('the desk records the signed 協定書 of an agreed 協定; whoever sees the proposal sees it', async () => {
    const p = await agreed();
    const result = (await s.desk.ok(DOCUMENT, { id: p.id, v: p.version, input: DOC })).recordAgreementDocument as P;
    expect(result.agreementRecord).toEqual(DOC);
    expect(result.state).toBe('AGREED');
    expect((await s.member.ok(GET, { id: p.id })).proposal.agreementRecord).toEqual(DOC);
    // Corrected later (also while in progress): one record.
    const corrected = (await s.desk.ok(DOCUMENT, { id: p.id, v: result.version, input: { ...DOC, signedOn: '2027-03-21' } })).recordAgreementDocument as P;
    expect(corrected.agreementRecord.signedOn).toBe('2027-03-21');
    expect((await snapshot(p.id)).agreements).toBe(1);
  });

  it('refused for others, before AGREED, for a partnership without agreement, and for bad input; nothing changes', async () => {
    const p = await agreed();
    const before = await snapshot(p.id);
    for (const who of WHO.filter((w) => w !== 'desk')) {
      expect(codeOf(await s[who].request(DOCUMENT, { id: p.id, v: p.version, input: DOC }))).toBe(who === 'public' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
    expect(fieldsOf(await s.desk.request(DOCUMENT, { id: p.id, v: p.version, input: { ...DOC, parties: ['板橋区'], termEnd: '2026-01-01' } }))).toEqual([
      'parties:REQUIRED',
      'termEnd:OUT_OF_ORDER',
    ]);
    expect(await snapshot(p.id)).toEqual(before);

    const notYet = await matched();
    expect(reasonOf(await s.desk.request(DOCUMENT, { id: notYet.id, v: notYet.version, input: DOC }))).toBe('ILLEGAL_STATE');
    const noAgreement = await agreed({ ...NO_COST_AGREEMENT, form: 'NO_AGREEMENT' });
    expect(noAgreement.viewerCan.recordAgreementDocument).toBe(false);
    expect(reasonOf(await s.desk.request(DOCUMENT, { id: noAgreement.id, v: noAgreement.version, input: DOC }))).toBe('ILLEGAL_STATE');
    expect((await snapshot(noAgreement.id)).agreements).toBe(0);
  });
});

describe('startProposalWork (事業開始)', () => {
  it('the ACCEPTED lead section starts the work: IN_PROGRESS with a timeline row', async () => {
    const p = await agreed();
    expect(((await s.lead.ok(GET, { id: p.id })).proposal as P).viewerCan.startWork).toBe(true);
    const result = (await s.lead.ok(START, { id: p.id, v: p.version })).startProposalWork as P;
    expect(result.state).toBe('IN_PROGRESS');
    expect(result.timeline.at(-1)).toEqual({ fromState: 'AGREED', toState: 'IN_PROGRESS' });
    expect(result.viewerCan).toMatchObject({ startWork: false, addProgressNote: true, withdraw: false });
  });

  it('a non-lead matched section is FORBIDDEN, so are the desk and the proposer; others get NOT_FOUND; nothing changes', async () => {
    const p = await agreed();
    const before = await snapshot(p.id);
    const expected: Record<Exclude<Who, 'lead'>, string> = {
      supporting: 'FORBIDDEN',
      desk: 'FORBIDDEN',
      member: 'FORBIDDEN',
      unmatched: 'NOT_FOUND',
      otherMember: 'NOT_FOUND',
      public: 'UNAUTHENTICATED',
    };
    for (const [who, code] of Object.entries(expected)) {
      expect([who, codeOf(await s[who as Who].request(START, { id: p.id, v: p.version }))]).toEqual([who, code]);
      if (who !== 'unmatched' && who !== 'otherMember' && who !== 'public') expect((await s[who as Who].ok(GET, { id: p.id })).proposal.viewerCan.startWork).toBe(false);
    }
    expect(await snapshot(p.id)).toEqual(before);
  });

  it('only from AGREED, at the current version', async () => {
    const dialogue = await matched();
    const early = await s.lead.request(START, { id: dialogue.id, v: dialogue.version });
    expect([codeOf(early), reasonOf(early)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    const p = await agreed();
    const stale = await s.lead.request(START, { id: p.id, v: p.version - 1 });
    expect(reasonOf(stale)).toBe('STALE_VERSION');
    const started = (await s.lead.ok(START, { id: p.id, v: p.version })).startProposalWork as P;
    expect(reasonOf(await s.lead.request(START, { id: p.id, v: started.version }))).toBe('ILLEGAL_STATE');
  });
});

describe('addProgressNote (進捗)', () => {
  it('the lead, a supporting ACCEPTED section and the desk write notes; the proposer reads them with author and section', async () => {
    const p = await inProgress();
    const a = (await s.lead.ok(NOTE, { id: p.id, input: { text: '第1施設に設置完了', milestone: true, happenedOn: '2025-04-20' } })).addProgressNote;
    expect(a).toMatchObject({ text: '第1施設に設置完了', milestone: true, happenedOn: '2025-04-20', section: { id: secLead.id } });
    expect(a.authorName).not.toBe('');
    const b = (await s.supporting.ok(NOTE, { id: p.id, input: { text: 'CO2削減量の測定方法を調整' } })).addProgressNote;
    expect(b).toMatchObject({ milestone: false, happenedOn: tokyoToday(), section: { id: secSupport.id } });
    const c = (await s.desk.ok(NOTE, { id: p.id, input: { text: 'ポータル掲載の準備' } })).addProgressNote;
    expect(c.section).toBeNull();
    const seen = (await s.member.ok(GET, { id: p.id })).proposal as P;
    expect(seen.progressNotes.map((n) => n.text)).toEqual(['第1施設に設置完了', 'CO2削減量の測定方法を調整', 'ポータル掲載の準備']);
    expect(seen.viewerCan.addProgressNote).toBe(false);
    expect(seen.version).toBe(p.version);
  });

  it('refused for the proposer (FORBIDDEN), unmatched and other organisations (NOT_FOUND), the public; before IN_PROGRESS; bad input; nothing changes', async () => {
    const p = await inProgress();
    const before = await snapshot(p.id);
    const expected: Record<string, string> = { member: 'FORBIDDEN', unmatched: 'NOT_FOUND', otherMember: 'NOT_FOUND', public: 'UNAUTHENTICATED' };
    for (const [who, code] of Object.entries(expected)) expect([who, codeOf(await s[who as Who].request(NOTE, { id: p.id, input: { text: 'x' } }))]).toEqual([who, code]);
    const bad = await s.lead.request(NOTE, { id: p.id, input: { text: ' ', happenedOn: '2999-01-01' } });
    expect(fieldsOf(bad)).toEqual(['happenedOn:INVALID', 'text:REQUIRED']);
    expect(await snapshot(p.id)).toEqual(before);

    const agreedOnly = await agreed();
    const early = await s.lead.request(NOTE, { id: agreedOnly.id, input: { text: 'まだ早い' } });
    expect([codeOf(early), reasonOf(early)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    expect((await snapshot(agreedOnly.id)).notes).toBe(0);
  });

  it('a retry with the same idempotency key writes one note', async () => {
    const p = await inProgress();
    const first = (await s.lead.ok(NOTE, { id: p.id, input: { text: '一度だけ' }, key: 'note-retry-0001' })).addProgressNote;
    const second = (await s.lead.ok(NOTE, { id: p.id, input: { text: '一度だけ' }, key: 'note-retry-0001' })).addProgressNote;
    expect(second.id).toBe(first.id);
    expect((await snapshot(p.id)).notes).toBe(1);
  });
});

describe('viewerCan across the roles', () => {
  it('recordAgreement for the desk in dialogue; startWork for the lead when agreed; addProgressNote for authors in progress', async () => {
    const dialogue = await matched();
    const agreedP = await agreed();
    const progress = await inProgress();
    const can = async (who: Who, id: string) => ((await s[who].ok(GET, { id })).proposal as P | null)?.viewerCan ?? null;
    for (const who of WHO) {
      const [d, a, g] = [await can(who, dialogue.id), await can(who, agreedP.id), await can(who, progress.id)];
      if (who === 'unmatched' || who === 'otherMember' || who === 'public') {
        expect([d, a, g]).toEqual([null, null, null]);
        continue;
      }
      expect([who, d!.recordAgreement, a!.startWork, g!.addProgressNote, a!.recordAgreementDocument]).toEqual([
        who,
        who === 'desk',
        who === 'lead',
        who === 'desk' || who === 'lead' || who === 'supporting',
        who === 'desk',
      ]);
    }
  });
});

describe('batching', () => {
  it('a page of proposals with decisions, agreement records and notes costs the same number of statements whatever its size', async () => {
    // Proposals in progress, each with a note (so every page needs the authors' statement alike).
    const PAGE = `query($first: Int) { proposals(first: $first, filter: { states: [IN_PROGRESS] }) { edges { node { ${PROPOSAL_FIELDS} } } } }`;
    for (let i = 0; i < 3; i += 1) await inProgress();
    const all = (await s.desk.ok(PAGE, { first: 100 })).proposals.edges.map((e: { node: P }) => e.node) as P[];
    for (const p of all) if (p.progressNotes.length === 0) await s.lead.ok(NOTE, { id: p.id, input: { text: `note ${p.id}` } });
    const statements = async (first: number) => {
      const { n, result } = await statementCount(() => s.desk.ok(PAGE, { first }));
      return { n, size: result.proposals.edges.length };
    };
    const small = await statements(1);
    const large = await statements(50);
    expect(large.size).toBeGreaterThan(3);
    expect(large.n).toBe(small.n);
  });
});

describe('live: the proposer sees every step', () => {
  it('a proposer watching proposalEvents sees AGREED, WORK_STARTED and a progress note arrive, with the note in the payload', async () => {
    const p = await matched();
    const { liveCursor } = await s.member.ok<{ liveCursor: string }>('{ liveCursor }');
    const client = s.member.websocket(server.wsUrl);
    const live = subscribe<{ proposalEvents: { kind: string; proposalId: string; proposal: { id: string; state: string; progressNotes: Array<{ text: string }> } | null } }>(client, EVENTS, {
      after: liveCursor,
    });
    const { liveCursor: deskCursor } = await s.desk.ok<{ liveCursor: string }>('{ liveCursor }');
    const deskClient = s.desk.websocket(server.wsUrl);
    const deskLive = subscribe<{ proposalEvents: { kind: string; proposalId: string } }>(deskClient, EVENTS, { after: deskCursor });
    try {
      const a = (await s.desk.ok(AGREE, { id: p.id, v: p.version, input: NO_COST_AGREEMENT })).recordAgreement as P;
      await s.lead.ok(START, { id: p.id, v: a.version });
      await s.lead.ok(NOTE, { id: p.id, input: { text: '説明会を開催しました', milestone: true } });
      // Under load the live cursor may replay an event from just before it (e.g. MATCH_ACCEPTED): count only this kinds.
      const KINDS = ['AGREED', 'WORK_STARTED', 'PROGRESS_NOTE_ADDED'];
      const mine = () => live.collected.items.map((r) => r.data!.proposalEvents).filter((e) => e.proposalId === p.id && KINDS.includes(e.kind));
      await live.collected.until(() => mine().some((e) => e.kind === 'PROGRESS_NOTE_ADDED'));
      // Payloads are read as the proposal is when the event is delivered, so only the last one's state is certain.
      expect(mine().map((e) => e.kind)).toEqual(['AGREED', 'WORK_STARTED', 'PROGRESS_NOTE_ADDED']);
      for (const event of mine()) expect(event.proposal?.id).toBe(p.id);
      expect(mine()[2]!.proposal!.state).toBe('IN_PROGRESS');
      expect(mine()[2]!.proposal!.progressNotes.map((n) => n.text)).toEqual(['説明会を開催しました']);
      await deskLive.collected.until((items) => items.some((r) => r.data?.proposalEvents.kind === 'PROGRESS_NOTE_ADDED' && r.data.proposalEvents.proposalId === p.id));
    } finally {
      live.stop();
      deskLive.stop();
      await client.dispose();
      await deskClient.dispose();
    }
  });
});
