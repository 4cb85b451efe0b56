import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Attachment, AttachmentPurpose } from '../attachments/attachment.entity.js';
import { jpegBytes, pdfBytes, pngBytes } from '../attachments/file-fixtures.js';
import { DomainEvent } from '../events/domain-event.entity.js';
import { ProposalTransition } from '../proposals/proposal-transition.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import type { Section } from '../sections/section.entity.js';
import { statementCount } from '../../test/statement-count.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { CAST, partnershipCast, type CastMember } from '../../test/partnership-cast.js';
import { HttpSession, subscribe, type GraphqlResult } from '../../test/graphql-client.js';
import { ALL_PLEDGES, COMPLETE_DRAFT } from '../../test/proposal-factories.js';
import { ImplementationReport, ReportComment } from './implementation-report.entity.js';

const REPORT_FIELDS = `id state version periodStart periodEnd activities indicatorResults { name target actual note } peopleReached wardCostYen
  partnerContribution partnerContributionYen issues nextSteps continuation returnNote submittedAt decidedAt writtenByName
  comments { id body authorName createdAt } photos { id fileName mediaType downloadPath } viewerCan { edit submit return accept comment }`;
const PROPOSAL_FIELDS = `id version state viewerCanStartReport report { ${REPORT_FIELDS} } timeline { fromState toState }`;
const GET = `query($id: ID!) { proposal(id: $id) { ${PROPOSAL_FIELDS} } }`;
const START_REPORT = `mutation($id: ID!) { startReport(proposalId: $id) { ${PROPOSAL_FIELDS} } }`;
const SAVE = `mutation($r: ID!, $v: Int!, $input: ReportInput!) { saveReport(reportId: $r, expectedVersion: $v, input: $input) { ${PROPOSAL_FIELDS} } }`;
const SUBMIT_REPORT = `mutation($r: ID!, $v: Int!) { submitReport(reportId: $r, expectedVersion: $v) { ${PROPOSAL_FIELDS} } }`;
const RETURN_REPORT = `mutation($r: ID!, $v: Int!, $note: String!) { returnReport(reportId: $r, expectedVersion: $v, note: $note) { ${PROPOSAL_FIELDS} } }`;
const ACCEPT_REPORT = `mutation($r: ID!, $v: Int!) { acceptReport(reportId: $r, expectedVersion: $v) { ${PROPOSAL_FIELDS} } }`;
const COMMENT = `mutation($r: ID!, $body: String!, $key: String) { commentOnReport(reportId: $r, body: $body, idempotencyKey: $key) { id body authorName } }`;
const REMOVE_PHOTO = `mutation($id: ID!) { removeReportPhoto(attachmentId: $id) }`;
const EVENTS = `subscription($after: String) { proposalEvents(after: $after) { kind proposalId proposal { id state report { state comments { body } } } } }`;

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id version matches { id version section { id } } } }`;
const ACCEPT_MATCH = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id } }`;
const AGREE = `mutation($id: ID!, $v: Int!, $input: PartnershipDecisionInput!) { recordAgreement(proposalId: $id, expectedVersion: $v, input: $input) { id version } }`;
const START_WORK = `mutation($id: ID!, $v: Int!) { startProposalWork(proposalId: $id, expectedVersion: $v) { id version } }`;

const NO_COST_AGREEMENT = {
  form: 'AGREEMENT',
  wardCost: 'NONE',
  startDate: '2027-04-01',
  endDate: '2028-03-31',
  scope: '区立施設2か所での太陽光・蓄電池の実証',
  wardResponsibilities: '施設の使用許可',
  proposerResponsibilities: '設備の設置・保守',
  indicators: [
    { name: '停電時の供給時間', target: '72時間' },
    { name: 'CO2削減量', target: '年10トン' },
  ],
};
const COMPLETE_REPORT = {
  periodStart: '2027-04-01',
  periodEnd: '2028-03-31',
  activities: '区立施設2か所に設置し、防災訓練で活用した',
  indicatorResults: [
    { name: '停電時の供給時間', actual: '80時間' },
    { name: 'CO2削減量', actual: '年8トン', note: '冬季の日照不足' },
  ],
  peopleReached: 420,
  wardCostYen: 0,
  partnerContribution: '設備一式の提供と保守',
  partnerContributionYen: 3000000,
  issues: '冬季の発電量',
  nextSteps: '他施設への展開',
  continuation: 'CONTINUE',
};

type Who = CastMember;
const WHO: Who[] = CAST;
const SEES: Record<Who, boolean> = { desk: true, lead: true, supporting: true, pending: true, unmatched: false, member: true, otherMember: false, public: false };
type R = { id: string; state: string; version: number; comments: any[]; photos: any[]; viewerCan: Record<string, boolean>; [key: string]: any };
type P = { id: string; version: number; state: string; viewerCanStartReport: boolean; report: R | null; timeline: any[] };

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

/** Agreed, with the lead and a supporting section ACCEPTED and a third still PENDING. */
async function agreed(): Promise<{ id: string; version: number }> {
  const draft = (await s.member.ok(CREATE, { input: { ...COMPLETE_DRAFT, title: '避難所の電源確保の報告' } })).createProposalDraft;
  const submitted = (await s.member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
  const reviewed = (await s.desk.ok(REVIEW, { id: submitted.id, v: submitted.version })).acceptProposalForReview;
  const dialogue = (await s.desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
  const withMatches = (await s.desk.ok(MATCH, { id: dialogue.id, v: dialogue.version, s: [secLead.id, secSupport.id, secPending.id], lead: secLead.id })).matchProposal;
  const matchOf = (section: Section) => withMatches.matches.find((m: any) => m.section.id === section.id);
  await s.lead.ok(ACCEPT_MATCH, { id: matchOf(secLead).id, v: matchOf(secLead).version });
  await s.supporting.ok(ACCEPT_MATCH, { id: matchOf(secSupport).id, v: matchOf(secSupport).version });
  const current = (await s.desk.ok(GET, { id: dialogue.id })).proposal as P;
  return (await s.desk.ok(AGREE, { id: current.id, v: current.version, input: NO_COST_AGREEMENT })).recordAgreement;
}

async function inProgress(): Promise<P> {
  const p = await agreed();
  await s.lead.ok(START_WORK, { id: p.id, v: p.version });
  return (await s.lead.ok(GET, { id: p.id })).proposal as P;
}

/** Started, with the proposer's comment on the draft (so every report on a page has comments alike). */
async function startedFor(proposalId: string): Promise<R> {
  const report = ((await s.lead.ok(START_REPORT, { id: proposalId })).startReport as P).report!;
  await s.member.ok(COMMENT, { r: report.id, body: '下書きを拝見しました' });
  return report;
}

async function started(): Promise<R> {
  return startedFor((await inProgress()).id);
}

async function submitted(): Promise<R> {
  const report = await started();
  const saved = ((await s.lead.ok(SAVE, { r: report.id, v: report.version, input: COMPLETE_REPORT })).saveReport as P).report!;
  return ((await s.lead.ok(SUBMIT_REPORT, { r: saved.id, v: saved.version })).submitReport as P).report!;
}

async function proposalOfReport(reportId: string): Promise<string> {
  return (await server.db.orm.em.fork().findOneOrFail(ImplementationReport, { id: reportId })).proposal.id;
}

/** What a refused call must leave untouched. */
async function snapshot(proposalId: string) {
  const em = server.db.orm.em.fork();
  const proposal = await em.findOneOrFail(Proposal, { id: proposalId });
  const report = await em.findOne(ImplementationReport, { proposal: proposalId });
  return {
    version: proposal.version,
    state: proposal.state,
    report: report ? { state: report.state, version: report.version, activities: report.activities, returnNote: report.returnNote } : null,
    comments: report ? await em.count(ReportComment, { report: report.id }) : 0,
    photos: await em.count(Attachment, { proposal: proposalId, purpose: AttachmentPurpose.REPORT_PHOTO, deletedAt: null }),
    timeline: await em.count(ProposalTransition, { proposal: proposalId }),
    events: await em.count(DomainEvent, { topic: 'proposal', aggregateId: proposalId }),
  };
}

async function upload(session: HttpSession, reportId: string, bytes: Uint8Array, name = '設置写真.png'): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}/api/reports/${reportId}/photos`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name), 'x-renkei-request': '1', ...(session.cookie ? { cookie: session.cookie } : {}) },
    body: new Uint8Array(bytes),
  });
  return { status: response.status, body: await response.json() };
}

async function download(session: HttpSession, id: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/attachments/${id}`, { headers: session.cookie ? { cookie: session.cookie } : {} });
  await response.arrayBuffer();
  return response.status;
}

beforeAll(async () => {
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-report-photos-'));
  server = await startTestServer({ ATTACHMENTS_DIR: storageDir });
  baseUrl = server.httpUrl.replace(/\/graphql$/, '');
  const cast = await partnershipCast(server, '報告');
  ({ lead: secLead, support: secSupport, pending: secPending, none: secNone } = cast.sections);
  Object.assign(s, cast.sessions);
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(storageDir, { recursive: true, force: true });
});

describe('startReport (実施報告書の作成)', () => {
  it('the lead section starts a DRAFT pre-filled with the agreed indicators and term; again is the same report; whoever sees the proposal reads it', async () => {
    const p = await inProgress();
    expect([p.report, p.viewerCanStartReport]).toEqual([null, true]);
    for (const who of WHO.filter((w) => SEES[w] && w !== 'lead')) expect([who, ((await s[who].ok(GET, { id: p.id })).proposal as P).viewerCanStartReport]).toEqual([who, false]);
    const before = await snapshot(p.id);
    const report = ((await s.lead.ok(START_REPORT, { id: p.id })).startReport as P).report!;
    expect(report).toMatchObject({ state: 'DRAFT', periodStart: '2027-04-01', periodEnd: '2028-03-31', wardCostYen: 0, continuation: 'UNDECIDED', comments: [], photos: [] });
    expect(report.indicatorResults).toEqual([
      { name: '停電時の供給時間', target: '72時間', actual: '', note: '' },
      { name: 'CO2削減量', target: '年10トン', actual: '', note: '' },
    ]);
    expect(report.writtenByName).not.toBe('');
    expect(report.viewerCan).toEqual({ edit: true, submit: true, return: false, accept: false, comment: true });
    const again = ((await s.lead.ok(START_REPORT, { id: p.id })).startReport as P).report!;
    expect(again.id).toBe(report.id);
    expect(((await s.lead.ok(GET, { id: p.id })).proposal as P).viewerCanStartReport).toBe(false);
    const after = await snapshot(p.id);
    expect(after).toMatchObject({ version: before.version, state: 'IN_PROGRESS', events: before.events + 1 });
    for (const who of WHO) {
      const seen = (await s[who].request(GET, { id: p.id })).data?.proposal as P | null;
      if (SEES[who]) expect([who, seen!.report!.id]).toEqual([who, report.id]);
      else expect([who, seen ?? null]).toEqual([who, null]);
    }
  });

  it('a non-lead section, the desk and the proposer are refused (FORBIDDEN), strangers get NOT_FOUND; a proposal not IN_PROGRESS is refused; nothing changes', async () => {
    const p = await inProgress();
    const before = await snapshot(p.id);
    const expected: Record<Exclude<Who, 'lead'>, string> = {
      desk: 'FORBIDDEN',
      supporting: 'FORBIDDEN',
      pending: 'FORBIDDEN',
      member: 'FORBIDDEN',
      unmatched: 'NOT_FOUND',
      otherMember: 'NOT_FOUND',
      public: 'UNAUTHENTICATED',
    };
    for (const [who, code] of Object.entries(expected)) expect([who, codeOf(await s[who as Who].request(START_REPORT, { id: p.id }))]).toEqual([who, code]);
    expect(await snapshot(p.id)).toEqual(before);

    const early = await agreed();
    const refused = await s.lead.request(START_REPORT, { id: early.id });
    expect([codeOf(refused), reasonOf(refused)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    expect((await snapshot(early.id)).report).toBeNull();
  });
});

describe('saveReport', () => {
  it('the lead saves; the version moves; a stale version is a CONFLICT and changes nothing', async () => {
    const report = await started();
    const saved = ((await s.lead.ok(SAVE, { r: report.id, v: report.version, input: COMPLETE_REPORT })).saveReport as P).report!;
    expect(saved).toMatchObject({ state: 'DRAFT', version: report.version + 1, activities: COMPLETE_REPORT.activities, peopleReached: 420, partnerContributionYen: 3000000, continuation: 'CONTINUE' });
    expect(saved.indicatorResults[1]).toEqual({ name: 'CO2削減量', target: '年10トン', actual: '年8トン', note: '冬季の日照不足' });
    const proposalId = await proposalOfReport(report.id);
    const before = await snapshot(proposalId);
    const stale = await s.lead.request(SAVE, { r: report.id, v: report.version, input: { ...COMPLETE_REPORT, activities: '上書き' } });
    expect([codeOf(stale), reasonOf(stale), stale.errors![0]!.extensions!.currentVersion]).toEqual(['CONFLICT', 'STALE_VERSION', saved.version]);
    expect(await snapshot(proposalId)).toEqual(before);
  });

  it('bad input — period out of order, an unknown indicator, negative figures, an unexplained ward cost — changes nothing', async () => {
    const report = await started();
    const proposalId = await proposalOfReport(report.id);
    const before = await snapshot(proposalId);
    const bad = await s.lead.request(SAVE, {
      r: report.id,
      v: report.version,
      input: { ...COMPLETE_REPORT, periodEnd: '2027-01-01', indicatorResults: [{ name: '来場者数', actual: '1' }], peopleReached: -1, partnerContributionYen: -1, wardCostYen: 5000, issues: '' },
    });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(bad)).toEqual(['indicatorResults.0.name:UNKNOWN_REFERENCE', 'issues:REQUIRED', 'partnerContributionYen:INVALID', 'peopleReached:INVALID', 'periodEnd:OUT_OF_ORDER']);
    expect(await snapshot(proposalId)).toEqual(before);
  });

  it('nobody but the lead may save: FORBIDDEN for those who see it, NOT_FOUND for others', async () => {
    const report = await started();
    const proposalId = await proposalOfReport(report.id);
    const before = await snapshot(proposalId);
    for (const who of WHO.filter((w) => w !== 'lead')) {
      const expected = who === 'public' ? 'UNAUTHENTICATED' : SEES[who] ? 'FORBIDDEN' : 'NOT_FOUND';
      expect([who, codeOf(await s[who].request(SAVE, { r: report.id, v: report.version, input: COMPLETE_REPORT }))]).toEqual([who, expected]);
    }
    expect(await snapshot(proposalId)).toEqual(before);
  });
});

describe('submit, return, accept', () => {
  it('an incomplete report cannot be submitted; a complete one goes to the desk and is no longer editable', async () => {
    const report = await started();
    const proposalId = await proposalOfReport(report.id);
    const before = await snapshot(proposalId);
    const incomplete = await s.lead.request(SUBMIT_REPORT, { r: report.id, v: report.version });
    expect(fieldsOf(incomplete)).toEqual(['activities:REQUIRED', 'indicatorResults.0.actual:REQUIRED', 'indicatorResults.1.actual:REQUIRED', 'peopleReached:REQUIRED']);
    expect(await snapshot(proposalId)).toEqual(before);
    const saved = ((await s.lead.ok(SAVE, { r: report.id, v: report.version, input: COMPLETE_REPORT })).saveReport as P).report!;
    for (const who of ['supporting', 'desk', 'member'] as const) expect([who, codeOf(await s[who].request(SUBMIT_REPORT, { r: saved.id, v: saved.version }))]).toEqual([who, 'FORBIDDEN']);
    const sent = ((await s.lead.ok(SUBMIT_REPORT, { r: saved.id, v: saved.version })).submitReport as P).report!;
    expect(sent.state).toBe('SUBMITTED');
    expect(sent.submittedAt).not.toBeNull();
    expect(sent.viewerCan).toEqual({ edit: false, submit: false, return: false, accept: false, comment: false });
    const again = await s.lead.request(SAVE, { r: sent.id, v: sent.version, input: COMPLETE_REPORT });
    expect([codeOf(again), reasonOf(again)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    expect(reasonOf(await s.member.request(COMMENT, { r: sent.id, body: '提出後' }))).toBe('ILLEGAL_STATE');
  });

  it('the desk returns it with a note (required); the lead revises and submits again; the desk accepts: the proposal is REPORTED with a timeline row', async () => {
    const sent = await submitted();
    const proposalId = await proposalOfReport(sent.id);
    expect(((await s.desk.ok(GET, { id: proposalId })).proposal as P).report!.viewerCan).toMatchObject({ return: true, accept: true, edit: false });
    const before = await snapshot(proposalId);
    expect(fieldsOf(await s.desk.request(RETURN_REPORT, { r: sent.id, v: sent.version, note: '  ' }))).toEqual(['note:REQUIRED']);
    for (const who of WHO.filter((w) => w !== 'desk')) {
      expect([who, codeOf(await s[who].request(RETURN_REPORT, { r: sent.id, v: sent.version, note: 'x' }))]).toEqual([who, who === 'public' ? 'UNAUTHENTICATED' : 'FORBIDDEN']);
      expect([who, codeOf(await s[who].request(ACCEPT_REPORT, { r: sent.id, v: sent.version }))]).toEqual([who, who === 'public' ? 'UNAUTHENTICATED' : 'FORBIDDEN']);
    }
    expect(await snapshot(proposalId)).toEqual(before);

    const returned = ((await s.desk.ok(RETURN_REPORT, { r: sent.id, v: sent.version, note: '参加者数の根拠を記載してください' })).returnReport as P).report!;
    expect(returned).toMatchObject({ state: 'RETURNED', returnNote: '参加者数の根拠を記載してください' });
    expect(reasonOf(await s.desk.request(ACCEPT_REPORT, { r: returned.id, v: returned.version }))).toBe('ILLEGAL_STATE');
    const lead = ((await s.lead.ok(GET, { id: proposalId })).proposal as P).report!;
    expect(lead.viewerCan).toMatchObject({ edit: true, submit: true });
    const revised = ((await s.lead.ok(SAVE, { r: lead.id, v: lead.version, input: { ...COMPLETE_REPORT, activities: '受付名簿により420名' } })).saveReport as P).report!;
    const resent = ((await s.lead.ok(SUBMIT_REPORT, { r: revised.id, v: revised.version })).submitReport as P).report!;
    expect(resent.state).toBe('SUBMITTED');
    expect(reasonOf(await s.desk.request(ACCEPT_REPORT, { r: resent.id, v: resent.version - 1 }))).toBe('STALE_VERSION');
    const timelineBefore = (await snapshot(proposalId)).timeline;

    const accepted = (await s.desk.ok(ACCEPT_REPORT, { r: resent.id, v: resent.version })).acceptReport as P;
    expect(accepted.state).toBe('REPORTED');
    expect(accepted.report).toMatchObject({ state: 'ACCEPTED', activities: '受付名簿により420名' });
    expect(accepted.report!.decidedAt).not.toBeNull();
    expect(accepted.timeline.at(-1)).toEqual({ fromState: 'IN_PROGRESS', toState: 'REPORTED' });
    expect((await snapshot(proposalId)).timeline).toBe(timelineBefore + 1);
    // Read in every state by whoever sees the proposal; changed by nobody.
    for (const who of WHO.filter((w) => SEES[w])) {
      const seen = ((await s[who].ok(GET, { id: proposalId })).proposal as P).report!;
      expect([who, seen.state, seen.viewerCan]).toEqual([who, 'ACCEPTED', { edit: false, submit: false, return: false, accept: false, comment: false }]);
    }
    expect(reasonOf(await s.desk.request(ACCEPT_REPORT, { r: resent.id, v: accepted.report!.version }))).toBe('ILLEGAL_STATE');
  });
});

describe('comments (the proposer reads the draft before it is submitted)', () => {
  it('the proposer, the lead and a supporting ACCEPTED section comment while DRAFT; others are refused; a retry writes one comment', async () => {
    const report = await started();
    const proposalId = await proposalOfReport(report.id);
    const a = (await s.member.ok(COMMENT, { r: report.id, body: '参加者数は480名です', key: 'report-comment-0001' })).commentOnReport;
    const again = (await s.member.ok(COMMENT, { r: report.id, body: '参加者数は480名です', key: 'report-comment-0001' })).commentOnReport;
    expect(again.id).toBe(a.id);
    expect(a.authorName).not.toBe('');
    await s.lead.ok(COMMENT, { r: report.id, body: '確認して修正します' });
    await s.supporting.ok(COMMENT, { r: report.id, body: 'CO2の数値は環境課で確認済み' });
    const before = await snapshot(proposalId);
    const expected: Record<string, string> = { desk: 'FORBIDDEN', pending: 'FORBIDDEN', unmatched: 'NOT_FOUND', otherMember: 'NOT_FOUND', public: 'UNAUTHENTICATED' };
    for (const [who, code] of Object.entries(expected)) expect([who, codeOf(await s[who as Who].request(COMMENT, { r: report.id, body: 'x' }))]).toEqual([who, code]);
    expect(fieldsOf(await s.member.request(COMMENT, { r: report.id, body: ' ' }))).toEqual(['body:REQUIRED']);
    expect(await snapshot(proposalId)).toEqual(before);
    const seen = ((await s.desk.ok(GET, { id: proposalId })).proposal as P).report!;
    expect(seen.comments.map((c) => c.body)).toEqual(['下書きを拝見しました', '参加者数は480名です', '確認して修正します', 'CO2の数値は環境課で確認済み']);
    expect(seen.version).toBe(report.version);
  });
});

describe('photos (POST /api/reports/:reportId/photos)', () => {
  it('the lead adds PNG and JPEG photos, listed on the report and downloadable by exactly those who see the proposal; removable while editable', async () => {
    const report = await started();
    const proposalId = await proposalOfReport(report.id);
    const png = await upload(s.lead, report.id, pngBytes());
    expect(png.status).toBe(201);
    expect(png.body.attachment.mediaType).toBe('image/png');
    expect((await upload(s.lead, report.id, jpegBytes(), '訓練.jpg')).status).toBe(201);
    const seen = ((await s.member.ok(GET, { id: proposalId })).proposal as P).report!;
    expect(seen.photos.map((p) => p.mediaType)).toEqual(['image/png', 'image/jpeg']);
    for (const who of WHO) expect([who, await download(s[who], png.body.attachment.id)]).toEqual([who, SEES[who] ? 200 : 404]);
    // Never listed as the proposer's material.
    expect((await s.member.ok(`query($id: ID!) { proposal(id: $id) { attachments { id } } }`, { id: proposalId })).proposal.attachments).toEqual([]);
    expect(codeOf(await s.member.request(REMOVE_PHOTO, { id: png.body.attachment.id }))).toBe('FORBIDDEN');
    expect(codeOf(await s.otherMember.request(REMOVE_PHOTO, { id: png.body.attachment.id }))).toBe('NOT_FOUND');
    expect((await s.lead.ok(REMOVE_PHOTO, { id: png.body.attachment.id })).removeReportPhoto).toBe(true);
    expect(((await s.lead.ok(GET, { id: proposalId })).proposal as P).report!.photos).toHaveLength(1);
    expect(await download(s.member, png.body.attachment.id)).toBe(404);
  });

  it('refused: a PDF, a non-lead uploader, a submitted report; nothing changes', async () => {
    const report = await started();
    const proposalId = await proposalOfReport(report.id);
    const before = await snapshot(proposalId);
    const pdf = await upload(s.lead, report.id, pdfBytes(), 'report.pdf');
    expect([pdf.status, pdf.body.errors[0].extensions.fields[0].code]).toEqual([400, 'NOT_ACCEPTED']);
    expect((await upload(s.supporting, report.id, pngBytes())).status).toBe(403);
    expect((await upload(s.member, report.id, pngBytes())).status).toBe(403);
    expect((await upload(s.otherMember, report.id, pngBytes())).status).toBe(404);
    expect(await snapshot(proposalId)).toEqual(before);
    const sent = await submitted();
    const sentProposal = await proposalOfReport(sent.id);
    const sentBefore = await snapshot(sentProposal);
    expect((await upload(s.lead, sent.id, pngBytes())).status).toBe(409);
    expect(await snapshot(sentProposal)).toEqual(sentBefore);
  });
});

describe('batching', () => {
  it('a page of proposals with reports, comments and photos costs the same number of statements whatever its size', async () => {
    const PAGE = `query($first: Int) { proposals(first: $first, filter: { states: [IN_PROGRESS] }) { edges { node { ${PROPOSAL_FIELDS} } } } }`;
    for (let i = 0; i < 3; i += 1) await upload(s.lead, (await started()).id, pngBytes());
    // Every proposal in progress gets a report with a comment, so every page needs the same statements.
    const all = (await s.desk.ok(PAGE, { first: 100 })).proposals.edges.map((e: { node: P }) => e.node) as P[];
    for (const p of all) {
      if (!p.report) await startedFor(p.id);
      else if (p.report.comments.length === 0) await s.member.ok(COMMENT, { r: p.report.id, body: '拝見しました' });
    }
    const statements = async (first: number) => {
      const { n, result } = await statementCount(() => s.desk.ok(PAGE, { first }));
      return { n, size: result.proposals.edges.length, withReports: result.proposals.edges.filter((e: { node: P }) => e.node.report).length };
    };
    const small = await statements(1);
    const large = await statements(50);
    expect(large.withReports).toBeGreaterThanOrEqual(3);
    expect(large.withReports).toBeGreaterThan(small.withReports);
    expect(large.n).toBe(small.n);
  });
});

describe('live: every open workspace updates', () => {
  it('the proposer sees the report started, a comment, submitted and accepted (the proposal REPORTED); a stranger sees nothing', async () => {
    const p = await inProgress();
    const { liveCursor } = await s.member.ok<{ liveCursor: string }>('{ liveCursor }');
    const client = s.member.websocket(server.wsUrl);
    type Event = { proposalEvents: { kind: string; proposalId: string; proposal: { id: string; state: string; report: { state: string; comments: Array<{ body: string }> } | null } | null } };
    const live = subscribe<Event>(client, EVENTS, { after: liveCursor });
    const { liveCursor: strangerCursor } = await s.otherMember.ok<{ liveCursor: string }>('{ liveCursor }');
    const strangerClient = s.otherMember.websocket(server.wsUrl);
    const stranger = subscribe<Event>(strangerClient, EVENTS, { after: strangerCursor });
    try {
      const report = ((await s.lead.ok(START_REPORT, { id: p.id })).startReport as P).report!;
      await s.supporting.ok(COMMENT, { r: report.id, body: '数値を確認しました' });
      const saved = ((await s.lead.ok(SAVE, { r: report.id, v: report.version, input: COMPLETE_REPORT })).saveReport as P).report!;
      const sent = ((await s.lead.ok(SUBMIT_REPORT, { r: saved.id, v: saved.version })).submitReport as P).report!;
      await s.desk.ok(ACCEPT_REPORT, { r: sent.id, v: sent.version });
      const KINDS = ['REPORT_STARTED', 'REPORT_COMMENTED', 'REPORT_SAVED', 'REPORT_SUBMITTED', 'REPORT_ACCEPTED'];
      const mine = () => live.collected.items.map((r) => r.data!.proposalEvents).filter((e) => e.proposalId === p.id && KINDS.includes(e.kind));
      await live.collected.until(() => mine().some((e) => e.kind === 'REPORT_ACCEPTED'));
      expect(mine().map((e) => e.kind)).toEqual(KINDS);
      const last = mine().at(-1)!;
      expect(last.proposal).toMatchObject({ state: 'REPORTED', report: { state: 'ACCEPTED', comments: [{ body: '数値を確認しました' }] } });
      expect(stranger.collected.items.filter((r) => r.data?.proposalEvents.proposalId === p.id)).toEqual([]);
    } finally {
      live.stop();
      stranger.stop();
      await client.dispose();
      await strangerClient.dispose();
    }
  });
});
