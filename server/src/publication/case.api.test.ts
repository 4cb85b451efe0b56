import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pdfBytes, pngBytes } from '../attachments/file-fixtures.js';
import { AuditEntry } from '../audit/audit-entry.entity.js';
import { DomainEvent } from '../events/domain-event.entity.js';
import { ProposalTransition } from '../proposals/proposal-transition.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import type { Section } from '../sections/section.entity.js';
import { statementCount } from '../../test/statement-count.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { CAST, partnershipCast, type CastMember } from '../../test/partnership-cast.js';
import { HttpSession, subscribe, type GraphqlResult } from '../../test/graphql-client.js';
import { ALL_PLEDGES, COMPLETE_DRAFT } from '../../test/proposal-factories.js';
import { PublicCase } from './public-case.entity.js';

const CONTENT = `title summary organisationName organisationKind leadSectionName fieldCodes fiscalYear periodStart periodEnd wardCostYen partnerContributionYen
  blocks { kind source { kind field part attachmentId } heading text rows { name target actual note } value unit attachmentId fileName contentType byteSize }`;
const CASE = `id state title summary fieldCodes fiscalYear version consentedAt consentedByName publishedAt firstPublishedAt withdrawnAt withdrawReason
  blocks { kind field part attachmentId } publishedContent { ${CONTENT} } viewerCan { manage preview compose giveConsent withdrawConsent publish withdraw }`;
const PROPOSAL = `id state version viewerCanComposeCase publicCase { ${CASE} } timeline { fromState toState reason }`;
const GET = `query($id: ID!) { proposal(id: $id) { ${PROPOSAL} } }`;
const PREVIEW = `query($id: ID!) { casePreview(proposalId: $id) { ${CONTENT} } }`;
const BLOCKERS = `query($id: ID!) { casePublishBlockers(proposalId: $id) { field code } }`;
const ITEMS = `query($id: ID!) { caseComposerItems(proposalId: $id) { block { kind field part attachmentId } label excerpt protected protectionState } }`;
const COMPOSE = `mutation($id: ID!, $input: CaseInput!, $v: Int) { composeCase(proposalId: $id, input: $input, expectedVersion: $v) { ${PROPOSAL} } }`;
const CONSENT = `mutation($id: ID!) { giveCaseConsent(proposalId: $id) { ${PROPOSAL} } }`;
const CONSENT_TO = `mutation($id: ID!, $v: Int) { giveCaseConsent(proposalId: $id, expectedVersion: $v) { ${PROPOSAL} } }`;
const UNCONSENT = `mutation($id: ID!) { withdrawCaseConsent(proposalId: $id) { ${PROPOSAL} } }`;
const PUBLISH = `mutation($id: ID!, $v: Int!) { publishCase(proposalId: $id, expectedVersion: $v) { ${PROPOSAL} } }`;
const WITHDRAW = `mutation($id: ID!, $reason: String!, $v: Int!) { withdrawCase(proposalId: $id, reason: $reason, expectedVersion: $v) { ${PROPOSAL} } }`;
const PROTECT = `mutation($id: ID!, $item: ProtectedItemInput!, $reason: String!) { requestProtection(proposalId: $id, item: $item, reason: $reason) { id } }`;
const EVENTS = `subscription($after: String) { proposalEvents(after: $after) { kind proposalId proposal { id state publicCase { state } } } }`;

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id version matches { id version section { id } } } }`;
const ACCEPT_MATCH = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id } }`;
const AGREE = `mutation($id: ID!, $v: Int!, $input: PartnershipDecisionInput!) { recordAgreement(proposalId: $id, expectedVersion: $v, input: $input) { id version } }`;
const START_WORK = `mutation($id: ID!, $v: Int!) { startProposalWork(proposalId: $id, expectedVersion: $v) { id version } }`;
const START_REPORT = `mutation($id: ID!) { startReport(proposalId: $id) { report { id version } } }`;
const SAVE_REPORT = `mutation($r: ID!, $v: Int!, $input: ReportInput!) { saveReport(reportId: $r, expectedVersion: $v, input: $input) { report { id version } } }`;
const SUBMIT_REPORT = `mutation($r: ID!, $v: Int!) { submitReport(reportId: $r, expectedVersion: $v) { report { id version } } }`;
const ACCEPT_REPORT = `mutation($r: ID!, $v: Int!) { acceptReport(reportId: $r, expectedVersion: $v) { id state } }`;
const VERSION = `query($id: ID!) { proposal(id: $id) { id version } }`;

const AGREEMENT = {
  form: 'AGREEMENT',
  wardCost: 'NONE',
  startDate: '2027-04-01',
  endDate: '2028-03-31',
  scope: '区立施設2か所での太陽光・蓄電池の実証',
  wardResponsibilities: '施設の使用許可',
  proposerResponsibilities: '設備の設置・保守',
  indicators: [{ name: '停電時の供給時間', target: '72時間' }],
};
const REPORT = {
  periodStart: '2027-04-01',
  periodEnd: '2028-03-31',
  activities: '区立施設2か所に設置し、防災訓練で活用した',
  indicatorResults: [{ name: '停電時の供給時間', actual: '80時間' }],
  peopleReached: 420,
  wardCostYen: 0,
  partnerContribution: '設備一式の提供と保守',
  partnerContributionYen: 3000000,
  issues: '冬季の発電量',
  nextSteps: '他施設への展開',
  continuation: 'CONTINUE',
};
/** The proposer's idea, protected on some proposals: it must never reach the page, the preview or the search text. */
const SECRET = '独自の需要予測で蓄電池の充放電を最適化する方式';

type Who = CastMember;
const WHO: Who[] = CAST;
/** Who reads the case (draft included): the desk, the proposer, ACCEPTED sections. */
const READS: Record<Who, boolean> = { desk: true, lead: true, supporting: true, pending: false, unmatched: false, member: true, otherMember: false, public: false };
type C = { id: string; state: string; version: number; consentedAt: string | null; viewerCan: Record<string, boolean>; publishedContent: any; [key: string]: any };
type P = { id: string; state: string; version: number; viewerCanComposeCase: boolean; publicCase: C | null; timeline: Array<{ fromState: string; toState: string; reason: string | null }> };

let server: TestServer;
let baseUrl: string;
let storageDir: string;
let secLead: Section;
let secSupport: Section;
let secPending: Section;
let secNone: Section;
const s: Record<Who, HttpSession> = {} as never;

const codeOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.code;
const reasonOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.reason;
const fieldsOf = (result: GraphqlResult) => (result.errors?.[0]?.extensions?.fields ?? []).map((f) => `${f.field}:${f.code}`).sort();

async function upload(session: HttpSession, url: string, bytes: Uint8Array, name: string): Promise<string> {
  const response = await fetch(`${baseUrl}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name), 'x-renkei-request': '1', ...(session.cookie ? { cookie: session.cookie } : {}) },
    body: new Uint8Array(bytes),
  });
  const body = (await response.json()) as { attachment: { id: string } };
  if (response.status !== 201) throw new Error(`upload ${response.status} ${JSON.stringify(body)}`);
  return body.attachment.id;
}

interface Reported {
  id: string;
  photoId: string;
  fileId: string;
}

/** A partnership taken to REPORTED over HTTP, as the people would: a proposer's file, a report photo. */
async function reported(title = '避難所の電源確保'): Promise<Reported> {
  const draft = (await s.member.ok(CREATE, { input: { ...COMPLETE_DRAFT, title, content: SECRET } })).createProposalDraft;
  const fileId = await upload(s.member, `/api/proposals/${draft.id}/attachments`, pdfBytes(), '事業計画書.pdf');
  const current = (await s.member.ok(VERSION, { id: draft.id })).proposal;
  const submitted = (await s.member.ok(SUBMIT, { id: draft.id, v: current.version, p: ALL_PLEDGES })).submitProposal;
  const reviewed = (await s.desk.ok(REVIEW, { id: submitted.id, v: submitted.version })).acceptProposalForReview;
  const dialogue = (await s.desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
  const matched = (await s.desk.ok(MATCH, { id: dialogue.id, v: dialogue.version, s: [secLead.id, secSupport.id, secPending.id], lead: secLead.id })).matchProposal;
  const matchOf = (section: Section) => matched.matches.find((m: any) => m.section.id === section.id);
  await s.lead.ok(ACCEPT_MATCH, { id: matchOf(secLead).id, v: matchOf(secLead).version });
  await s.supporting.ok(ACCEPT_MATCH, { id: matchOf(secSupport).id, v: matchOf(secSupport).version });
  const before = (await s.desk.ok(VERSION, { id: draft.id })).proposal;
  const agreed = (await s.desk.ok(AGREE, { id: draft.id, v: before.version, input: AGREEMENT })).recordAgreement;
  await s.lead.ok(START_WORK, { id: agreed.id, v: agreed.version });
  const started = (await s.lead.ok(START_REPORT, { id: draft.id })).startReport.report;
  const photoId = await upload(s.lead, `/api/reports/${started.id}/photos`, pngBytes(), '設置写真.png');
  const saved = (await s.lead.ok(SAVE_REPORT, { r: started.id, v: started.version, input: REPORT })).saveReport.report;
  const sent = (await s.lead.ok(SUBMIT_REPORT, { r: saved.id, v: saved.version })).submitReport.report;
  expect((await s.desk.ok(ACCEPT_REPORT, { r: sent.id, v: sent.version })).acceptReport.state).toBe('REPORTED');
  return { id: draft.id, photoId, fileId };
}

const input = (r: Reported, over: Record<string, unknown> = {}) => ({
  title: '避難所の電源を民間の設備で確保',
  summary: '区立施設2か所に太陽光発電と蓄電池を設置し、停電時の電源を確保した。',
  blocks: [
    { kind: 'PROPOSAL_FIELD', field: 'wardIssue' },
    { kind: 'REPORT_PART', part: 'activities' },
    { kind: 'REPORT_PART', part: 'indicatorResults' },
    { kind: 'REPORT_PART', part: 'peopleReached' },
    { kind: 'REPORT_PHOTO', attachmentId: r.photoId },
  ],
  fieldCodes: ['disaster-crime-prevention'],
  fiscalYear: 2027,
  ...over,
});

/** What a refused call must leave untouched. */
async function state(proposalId: string) {
  const em = server.db.orm.em.fork();
  const proposal = await em.findOneOrFail(Proposal, { id: proposalId });
  const page = await em.findOne(PublicCase, { proposal: proposalId });
  return {
    proposal: [proposal.state, proposal.version],
    page: page ? JSON.stringify({ ...page, proposal: undefined, updatedAt: undefined }) : null,
    timeline: await em.count(ProposalTransition, { proposal: proposalId }),
    events: await em.count(DomainEvent, { topic: 'proposal', aggregateId: proposalId }),
    audit: page ? await em.count(AuditEntry, { subjectKind: 'case', subjectId: page.id }) : 0,
  };
}

async function auditOf(caseId: string) {
  return (await server.db.orm.em.fork().find(AuditEntry, { subjectKind: 'case', subjectId: caseId }, { orderBy: { id: 'asc' } })).map((a) => ({ action: a.action, reason: a.reason }));
}

async function get(who: Who, id: string): Promise<P | null> {
  return ((await s[who].request(GET, { id })).data?.proposal ?? null) as P | null;
}

beforeAll(async () => {
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-case-'));
  server = await startTestServer({ ATTACHMENTS_DIR: storageDir });
  baseUrl = server.httpUrl.replace(/\/graphql$/, '');
  const cast = await partnershipCast(server, '事例');
  ({ lead: secLead, support: secSupport, pending: secPending, none: secNone } = cast.sections);
  Object.assign(s, cast.sessions);
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(storageDir, { recursive: true, force: true });
});

describe('compose, preview, consent, publish, withdraw (事例の公開)', () => {
  it('the whole path: the preview is exactly what is published; the proposal moves REPORTED → PUBLISHED → REPORTED; every act audited', async () => {
    const r = await reported();
    expect((await get('desk', r.id))!).toMatchObject({ publicCase: null, viewerCanComposeCase: true });
    for (const who of WHO.filter((w) => w !== 'desk')) expect([who, (await get(who, r.id))?.viewerCanComposeCase ?? false]).toEqual([who, false]);

    const composed = (await s.desk.ok(COMPOSE, { id: r.id, input: input(r) })).composeCase as P;
    const draft = composed.publicCase!;
    expect(draft).toMatchObject({ state: 'DRAFT', consentedAt: null, fiscalYear: 2027, publishedContent: null });
    expect(draft.viewerCan).toEqual({ manage: true, preview: true, compose: true, giveConsent: false, withdrawConsent: false, publish: true, withdraw: false });
    // An identical save is a no-op: the version stays.
    expect(((await s.desk.ok(COMPOSE, { id: r.id, input: input(r), v: draft.version })).composeCase as P).publicCase!.version).toBe(draft.version);

    const preview = (await s.desk.ok(PREVIEW, { id: r.id })).casePreview;
    expect(preview).toMatchObject({ title: '避難所の電源を民間の設備で確保', organisationName: '事例テスト株式会社', leadSectionName: '防災事例テスト課', fieldCodes: ['disaster-crime-prevention'], wardCostYen: 0, partnerContributionYen: 3000000, periodStart: '2027-04-01' });
    expect(preview.blocks.map((b: any) => b.kind)).toEqual(['TEXT', 'TEXT', 'INDICATORS', 'FIGURE', 'PHOTO']);
    expect(preview.blocks[2].rows).toEqual([{ name: '停電時の供給時間', target: '72時間', actual: '80時間', note: '' }]);
    expect((await s.member.ok(PREVIEW, { id: r.id })).casePreview).toEqual(preview);
    for (const who of ['lead', 'supporting', 'pending', 'unmatched', 'otherMember'] as const) expect([who, (await s[who].ok(PREVIEW, { id: r.id })).casePreview]).toEqual([who, null]);
    expect((await s.desk.ok(BLOCKERS, { id: r.id })).casePublishBlockers).toEqual([{ field: 'consent', code: 'CONSENT_MISSING' }]);

    // Who reads the case: the desk, the proposer, ACCEPTED sections; a pending section, a stranger, the public: nothing.
    for (const who of WHO) {
      const seen = await get(who, r.id);
      expect([who, seen?.publicCase?.id ?? null]).toEqual([who, READS[who] ? draft.id : null]);
    }
    const asMember = (await get('member', r.id))!.publicCase!;
    expect(asMember.viewerCan).toEqual({ manage: false, preview: true, compose: false, giveConsent: true, withdrawConsent: false, publish: false, withdraw: false });
    expect((await get('lead', r.id))!.publicCase!.viewerCan).toMatchObject({ manage: false, preview: false });

    const consented = ((await s.member.ok(CONSENT, { id: r.id })).giveCaseConsent as P).publicCase!;
    expect(consented.consentedAt).not.toBeNull();
    expect(consented.consentedByName).not.toBe('');
    expect(((await s.member.ok(CONSENT, { id: r.id })).giveCaseConsent as P).publicCase!.consentedAt).toBe(consented.consentedAt);

    const published = (await s.desk.ok(PUBLISH, { id: r.id, v: consented.version })).publishCase as P;
    expect(published.state).toBe('PUBLISHED');
    expect(published.publicCase).toMatchObject({ state: 'PUBLISHED', viewerCan: { compose: false, publish: false, withdraw: true } });
    expect(published.publicCase!.publishedContent).toEqual(preview);
    expect(published.timeline.at(-1)).toEqual({ fromState: 'REPORTED', toState: 'PUBLISHED', reason: null });
    const row = await server.db.orm.em.fork().findOneOrFail(PublicCase, { proposal: r.id });
    expect(row.searchText).toContain('停電時の供給時間');
    expect(row.searchText).not.toContain(SECRET);
    expect([row.leadSectionId, row.organisationKind, row.firstPublishedAt !== null]).toEqual([secLead.id, 'COMPANY', true]);
    // After publication the proposer can no longer withdraw consent; the desk cannot edit the page.
    expect(reasonOf(await s.member.request(UNCONSENT, { id: r.id }))).toBe('ILLEGAL_STATE');
    expect(reasonOf(await s.desk.request(COMPOSE, { id: r.id, input: input(r, { title: '変更' }), v: published.publicCase!.version }))).toBe('ILLEGAL_STATE');

    expect(fieldsOf(await s.desk.request(WITHDRAW, { id: r.id, reason: '  ', v: published.publicCase!.version }))).toEqual(['reason:REASON_REQUIRED']);
    const withdrawn = (await s.desk.ok(WITHDRAW, { id: r.id, reason: '提案者から掲載内容の修正の申出があったため', v: published.publicCase!.version })).withdrawCase as P;
    expect(withdrawn.state).toBe('REPORTED');
    expect(withdrawn.publicCase).toMatchObject({ state: 'WITHDRAWN', withdrawReason: '提案者から掲載内容の修正の申出があったため', publishedContent: preview });
    expect(withdrawn.timeline.at(-1)).toEqual({ fromState: 'PUBLISHED', toState: 'REPORTED', reason: '提案者から掲載内容の修正の申出があったため' });
    expect((await server.db.orm.em.fork().findOneOrFail(PublicCase, { proposal: r.id })).searchText).toBe('');

    // Edited and published again: the change clears the consent, which must be given again.
    const edited = ((await s.desk.ok(COMPOSE, { id: r.id, input: input(r, { summary: '修正後の概要' }), v: withdrawn.publicCase!.version })).composeCase as P).publicCase!;
    expect(edited).toMatchObject({ state: 'WITHDRAWN', consentedAt: null });
    expect(fieldsOf(await s.desk.request(PUBLISH, { id: r.id, v: edited.version }))).toEqual(['consent:CONSENT_MISSING']);
    const again = ((await s.member.ok(CONSENT, { id: r.id })).giveCaseConsent as P).publicCase!;
    const republished = (await s.desk.ok(PUBLISH, { id: r.id, v: again.version })).publishCase as P;
    expect(republished.publicCase!.publishedContent.summary).toBe('修正後の概要');

    expect(await auditOf(draft.id)).toEqual([
      { action: 'CASE_CONSENT_GIVEN', reason: null },
      { action: 'CASE_PUBLISHED', reason: null },
      { action: 'CASE_WITHDRAWN', reason: '提案者から掲載内容の修正の申出があったため' },
      { action: 'CASE_CONSENT_GIVEN', reason: null },
      { action: 'CASE_PUBLISHED', reason: null },
    ]);
  });

  it('the proposer withdraws consent before publication: audited, and publishing is refused', async () => {
    const r = await reported();
    await s.desk.ok(COMPOSE, { id: r.id, input: input(r) });
    await s.member.ok(CONSENT, { id: r.id });
    const withdrawn = ((await s.member.ok(UNCONSENT, { id: r.id })).withdrawCaseConsent as P).publicCase!;
    expect(withdrawn.consentedAt).toBeNull();
    expect(withdrawn.viewerCan).toMatchObject({ giveConsent: true, withdrawConsent: false });
    expect(((await s.member.ok(UNCONSENT, { id: r.id })).withdrawCaseConsent as P).publicCase!.version).toBe(withdrawn.version);
    expect((await auditOf(withdrawn.id)).map((a) => a.action)).toEqual(['CASE_CONSENT_GIVEN', 'CASE_CONSENT_WITHDRAWN']);
    const before = await state(r.id);
    expect(fieldsOf(await s.desk.request(PUBLISH, { id: r.id, v: withdrawn.version }))).toEqual(['consent:CONSENT_MISSING']);
    expect(await state(r.id)).toEqual(before);
  });
});

describe('refusals change nothing', () => {
  it('who may not act: FORBIDDEN for those who read the case, NOT_FOUND for those who do not', async () => {
    const r = await reported();
    const draft = ((await s.desk.ok(COMPOSE, { id: r.id, input: input(r) })).composeCase as P).publicCase!;
    const before = await state(r.id);
    // Desk-only acts are refused at the door for every other account; the public must sign in.
    for (const who of WHO.filter((w) => w !== 'desk')) {
      const expected = who === 'public' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
      expect([who, codeOf(await s[who].request(COMPOSE, { id: r.id, input: input(r), v: draft.version }))]).toEqual([who, expected]);
      expect([who, codeOf(await s[who].request(PUBLISH, { id: r.id, v: draft.version }))]).toEqual([who, expected]);
      expect([who, codeOf(await s[who].request(ITEMS, { id: r.id }))]).toEqual([who, expected]);
    }
    // Consent: the proposer's; the desk and accepted sections are FORBIDDEN; others cannot tell the case exists.
    const consent: Record<Exclude<Who, 'member'>, string> = { desk: 'FORBIDDEN', lead: 'FORBIDDEN', supporting: 'FORBIDDEN', pending: 'NOT_FOUND', unmatched: 'NOT_FOUND', otherMember: 'NOT_FOUND', public: 'UNAUTHENTICATED' };
    for (const [who, code] of Object.entries(consent)) {
      expect([who, codeOf(await s[who as Who].request(CONSENT, { id: r.id }))]).toEqual([who, code]);
      expect([who, codeOf(await s[who as Who].request(UNCONSENT, { id: r.id }))]).toEqual([who, code]);
    }
    expect(await state(r.id)).toEqual(before);
  });

  it('a protected item cannot be placed nor published; the composer lists it disabled; the preview leaves it out', async () => {
    const r = await reported();
    await s.member.ok(PROTECT, { id: r.id, item: { kind: 'FIELD', fieldName: 'content' }, reason: '独自の技術のため' });
    await s.member.ok(PROTECT, { id: r.id, item: { kind: 'ATTACHMENT', attachmentId: r.fileId }, reason: '原価情報を含むため' });
    const items = (await s.desk.ok(ITEMS, { id: r.id })).caseComposerItems as Array<{ block: any; protected: boolean; protectionState: string | null; excerpt: string }>;
    const content = items.find((i) => i.block.field === 'content')!;
    expect([content.protected, content.protectionState]).toEqual([true, 'REQUESTED']);
    expect(items.find((i) => i.block.attachmentId === r.fileId)!.protected).toBe(true);
    expect(items.find((i) => i.block.attachmentId === r.photoId)!.protected).toBe(false);
    expect(items.find((i) => i.block.part === 'activities')!.protected).toBe(false);

    const before = await state(r.id);
    const refused = await s.desk.request(COMPOSE, {
      id: r.id,
      input: input(r, { blocks: [{ kind: 'PROPOSAL_FIELD', field: 'wardIssue' }, { kind: 'PROPOSAL_FIELD', field: 'content' }, { kind: 'ATTACHMENT', attachmentId: r.fileId }] }),
    });
    expect(fieldsOf(refused)).toEqual(['blocks.1:PROTECTED_ITEM', 'blocks.2:PROTECTED_ITEM']);
    expect(JSON.stringify(refused)).not.toContain(SECRET);
    expect(await state(r.id)).toEqual(before);

    const unknown = await s.desk.request(COMPOSE, { id: r.id, input: input(r, { fieldCodes: ['parks'], blocks: [{ kind: 'ATTACHMENT', attachmentId: '00000000-0000-4000-8000-000000000000' }] }) });
    expect(fieldsOf(unknown)).toEqual(['fieldCodes.0:UNKNOWN_FIELD']);
    expect(fieldsOf(await s.desk.request(COMPOSE, { id: r.id, input: input(r, { blocks: [{ kind: 'ATTACHMENT', attachmentId: '00000000-0000-4000-8000-000000000000' }] }) }))).toEqual(['blocks.0:UNKNOWN_REFERENCE']);
    expect(await state(r.id)).toEqual(before);
  });

  it('the wrong state and a stale version are CONFLICTs', async () => {
    const r = await reported();
    expect(reasonOf(await s.desk.request(PUBLISH, { id: r.id, v: 1 }))).toBe('ILLEGAL_STATE');
    expect(reasonOf(await s.member.request(CONSENT, { id: r.id }))).toBe('ILLEGAL_STATE');
    const draft = ((await s.desk.ok(COMPOSE, { id: r.id, input: input(r) })).composeCase as P).publicCase!;
    expect(reasonOf(await s.desk.request(WITHDRAW, { id: r.id, reason: '理由', v: draft.version }))).toBe('ILLEGAL_STATE');
    await s.desk.ok(COMPOSE, { id: r.id, input: input(r, { title: '新しい題名' }), v: draft.version });
    const before = await state(r.id);
    const stale = await s.desk.request(COMPOSE, { id: r.id, input: input(r, { title: '古い版からの上書き' }), v: draft.version });
    expect([codeOf(stale), reasonOf(stale)]).toEqual(['CONFLICT', 'STALE_VERSION']);
    expect(reasonOf(await s.desk.request(COMPOSE, { id: r.id, input: input(r, { title: '版の指定なし' }) }))).toBe('STALE_VERSION');
    // The proposer consents to the page they saw: one changed meanwhile is refused.
    expect(reasonOf(await s.member.request(CONSENT_TO, { id: r.id, v: draft.version }))).toBe('STALE_VERSION');
    expect(await state(r.id)).toEqual(before);
    await s.member.ok(CONSENT_TO, { id: r.id, v: draft.version + 1 });
    const afterConsent = await state(r.id);
    expect(reasonOf(await s.desk.request(PUBLISH, { id: r.id, v: draft.version }))).toBe('STALE_VERSION');
    expect(await state(r.id)).toEqual(afterConsent);
    expect(before.proposal).toEqual(afterConsent.proposal);
  });
});

describe('protection asked for after publication', () => {
  it('takes the item off the published page and the search text in the same transaction, audited', async () => {
    const r = await reported();
    const blocks = [{ kind: 'PROPOSAL_FIELD', field: 'wardIssue' }, { kind: 'PROPOSAL_FIELD', field: 'content' }, { kind: 'REPORT_PART', part: 'activities' }];
    await s.desk.ok(COMPOSE, { id: r.id, input: input(r, { blocks }) });
    const consented = ((await s.member.ok(CONSENT, { id: r.id })).giveCaseConsent as P).publicCase!;
    await s.desk.ok(PUBLISH, { id: r.id, v: consented.version });
    const em = () => server.db.orm.em.fork();
    expect((await em().findOneOrFail(PublicCase, { proposal: r.id })).searchText).toContain(SECRET);

    await s.member.ok(PROTECT, { id: r.id, item: { kind: 'FIELD', fieldName: 'content' }, reason: '独自の技術のため' });
    const row = await em().findOneOrFail(PublicCase, { proposal: r.id });
    expect(row.state).toBe('PUBLISHED');
    expect(JSON.stringify(row.publishedContent)).not.toContain(SECRET);
    expect(row.searchText).not.toContain(SECRET);
    expect(row.searchText).toContain('防災訓練で活用した');
    expect(row.blocks).toEqual([blocks[0], blocks[2]]);
    expect(row.publishedContent!.blocks.map((b) => b.source)).toEqual([blocks[0], blocks[2]]);
    const audit = await em().find(AuditEntry, { subjectKind: 'case', subjectId: row.id, action: 'CASE_ITEM_REMOVED_FOR_PROTECTION' });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).not.toContain(SECRET);
    // An item that is not on the page changes nothing.
    await s.member.ok(PROTECT, { id: r.id, item: { kind: 'FIELD', fieldName: 'schedule' }, reason: '未公表の計画のため' });
    expect(await em().count(AuditEntry, { subjectId: row.id, action: 'CASE_ITEM_REMOVED_FOR_PROTECTION' })).toBe(1);
  });
});

describe('batching', () => {
  it('a page of proposals with their cases costs the same number of statements whatever its size', async () => {
    const PAGE = `query($first: Int) { proposals(first: $first, filter: { states: [REPORTED, PUBLISHED] }) { edges { node { id viewerCanComposeCase publicCase { id state consentedByName publishedContent { title } } } } } }`;
    for (let i = 0; i < 2; i += 1) {
      const r = await reported(`事例の一覧用 ${i}`);
      await s.desk.ok(COMPOSE, { id: r.id, input: input(r) });
      await s.member.ok(CONSENT, { id: r.id });
    }
    const statements = async (first: number) => {
      const { n, result } = await statementCount(() => s.desk.ok(PAGE, { first }));
      return { n, withCases: result.proposals.edges.filter((e: any) => e.node.publicCase).length };
    };
    const small = await statements(1);
    const large = await statements(50);
    expect(large.withCases).toBeGreaterThan(small.withCases);
    expect(large.n).toBe(small.n);
  });
});

describe('live: open workspaces update', () => {
  it('the proposer sees consent and publication on the proposal stream; a stranger sees nothing', async () => {
    const r = await reported();
    const composed = ((await s.desk.ok(COMPOSE, { id: r.id, input: input(r) })).composeCase as P).publicCase!;
    type Event = { proposalEvents: { kind: string; proposalId: string; proposal: { state: string; publicCase: { state: string } | null } | null } };
    const { liveCursor } = await s.member.ok<{ liveCursor: string }>('{ liveCursor }');
    const client = s.member.websocket(server.wsUrl);
    const live = subscribe<Event>(client, EVENTS, { after: liveCursor });
    const { liveCursor: strangerCursor } = await s.otherMember.ok<{ liveCursor: string }>('{ liveCursor }');
    const strangerClient = s.otherMember.websocket(server.wsUrl);
    const stranger = subscribe<Event>(strangerClient, EVENTS, { after: strangerCursor });
    try {
      await s.member.ok(CONSENT, { id: r.id });
      await s.desk.ok(PUBLISH, { id: r.id, v: composed.version + 1 });
      const mine = () => live.collected.items.map((x) => x.data!.proposalEvents).filter((e) => e.proposalId === r.id && e.kind.startsWith('CASE_'));
      await live.collected.until(() => mine().some((e) => e.kind === 'CASE_PUBLISHED'));
      // The composition came just before the cursor: it may come again (a cursor never skips what a
      // transaction still running might commit), but nothing else may, and the rest comes in order.
      expect(mine().map((e) => e.kind).filter((kind, index) => !(index === 0 && kind === 'CASE_COMPOSED'))).toEqual(['CASE_CONSENT_GIVEN', 'CASE_PUBLISHED']);
      expect(mine().find((e) => e.kind === 'CASE_PUBLISHED')!.proposal).toMatchObject({ state: 'PUBLISHED', publicCase: { state: 'PUBLISHED' } });
      expect(stranger.collected.items.filter((x) => x.data?.proposalEvents.proposalId === r.id)).toEqual([]);
    } finally {
      live.stop();
      stranger.stop();
      await client.dispose();
      await strangerClient.dispose();
    }
  });
});
