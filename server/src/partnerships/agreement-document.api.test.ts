import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attachment, AttachmentPurpose } from '../attachments/attachment.entity.js';
import { listStoredKeys } from '../attachments/local-disk-storage.js';
import { pdfBytes, pngBytes } from '../attachments/file-fixtures.js';
import { DomainEvent } from '../events/domain-event.entity.js';
import { Role } from '../identity/account.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import type { Section } from '../sections/section.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, subscribe } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';
import { AgreementRecord } from './agreement-record.entity.js';

const DOCUMENT_FIELDS = `id fileName mediaType sizeBytes uploadedAt downloadPath purpose`;
const PROPOSAL_FIELDS = `id version state attachments { id } agreementRecord { title document { ${DOCUMENT_FIELDS} } }`;
const GET = `query($id: ID!) { proposal(id: $id) { ${PROPOSAL_FIELDS} } }`;
const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id version matches { id version section { id } } } }`;
const ACCEPT = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id } }`;
const AGREE = `mutation($id: ID!, $v: Int!, $input: PartnershipDecisionInput!) { recordAgreement(proposalId: $id, expectedVersion: $v, input: $input) { id version } }`;
const RECORD = `mutation($id: ID!, $v: Int!, $input: AgreementDocumentInput!) { recordAgreementDocument(proposalId: $id, expectedVersion: $v, input: $input) { id version } }`;
const DELETE = `mutation($id: ID!) { deleteAttachment(id: $id) }`;
const EVENTS = `subscription($after: String) { proposalEvents(after: $after) { kind proposalId proposal { agreementRecord { document { fileName } } } } }`;

const NO_COST_AGREEMENT = {
  form: 'AGREEMENT',
  wardCost: 'NONE',
  startDate: '2027-04-01',
  endDate: '2028-03-31',
  scope: '区立公園での見守り',
  wardResponsibilities: '公園の使用許可',
  proposerResponsibilities: '見守りの実施',
  indicators: [{ name: '見守り回数', target: '月4回' }],
};
const RECORD_INPUT = { title: '公民連携に関する協定書', parties: ['板橋区', '協定書テスト株式会社'], signedOn: '2027-03-20', termStart: '2027-04-01', termEnd: '2028-03-31' };

type Who = 'desk' | 'lead' | 'supporting' | 'unmatched' | 'member' | 'otherMember' | 'public';
let server: TestServer;
let baseUrl: string;
let storageDir: string;
let secLead: Section;
let secSupport: Section;
const s: Record<Who, HttpSession> = {} as never;

/** An agreed 協定 (lead and supporting sections ACCEPTED); `withRecord` also records its title, parties and dates. */
async function agreed(withRecord = true): Promise<string> {
  const draft = (await s.member.ok(CREATE, { input: { ...COMPLETE_DRAFT, title: '公園の見守りの連携' } })).createProposalDraft;
  const submitted = (await s.member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
  const reviewed = (await s.desk.ok(REVIEW, { id: submitted.id, v: submitted.version })).acceptProposalForReview;
  const dialogue = (await s.desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
  const matched = (await s.desk.ok(MATCH, { id: dialogue.id, v: dialogue.version, s: [secLead.id, secSupport.id], lead: secLead.id })).matchProposal;
  for (const [who, section] of [['lead', secLead], ['supporting', secSupport]] as const) {
    const m = matched.matches.find((x: any) => x.section.id === section.id);
    await s[who].ok(ACCEPT, { id: m.id, v: m.version });
  }
  const current = (await s.desk.ok(GET, { id: dialogue.id })).proposal;
  const agreedP = (await s.desk.ok(AGREE, { id: current.id, v: current.version, input: NO_COST_AGREEMENT })).recordAgreement;
  if (withRecord) await s.desk.ok(RECORD, { id: agreedP.id, v: agreedP.version, input: RECORD_INPUT });
  return agreedP.id;
}

async function upload(session: HttpSession, proposalId: string, bytes: Uint8Array, options: { name?: string; csrf?: boolean } = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}/api/proposals/${proposalId}/agreement-document`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(options.name ?? '協定書（署名済）.pdf'),
      ...(options.csrf === false ? {} : { 'x-renkei-request': '1' }),
      ...(session.cookie ? { cookie: session.cookie } : {}),
    },
    body: new Uint8Array(bytes),
  });
  return { status: response.status, body: await response.json() };
}

async function download(session: HttpSession, id: string): Promise<{ status: number; body: Buffer }> {
  const response = await fetch(`${baseUrl}/api/attachments/${id}`, { headers: session.cookie ? { cookie: session.cookie } : {} });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

/** What a refused upload must leave untouched. */
async function snapshot(proposalId: string) {
  const em = server.db.orm.em.fork();
  const record = await em.findOne(AgreementRecord, { proposal: proposalId });
  return {
    version: (await em.findOneOrFail(Proposal, { id: proposalId })).version,
    attachments: await em.count(Attachment, { proposal: proposalId }),
    document: record?.document?.id ?? null,
    files: listStoredKeys(storageDir).length,
    events: await em.count(DomainEvent, { topic: 'proposal', aggregateId: proposalId }),
  };
}

const codeOf = (body: any) => body?.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-agreement-documents-'));
  server = await startTestServer({ ATTACHMENTS_DIR: storageDir });
  baseUrl = server.httpUrl.replace(/\/graphql$/, '');
  const em = server.db.orm.em.fork();
  const [lead, none] = (await createDepartmentWithSections(em, ['協定書テスト主担当課', '協定書テスト無関係課'])) as [Section, Section];
  [secSupport] = (await createDepartmentWithSections(em, ['協定書テスト協力課'])) as [Section];
  secLead = lead;
  const organisation = await createOrganisation(em, '協定書テスト株式会社');
  const other = await createOrganisation(em, '協定書テスト他社');
  const login = async (account: { email: string }) => new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
  s.desk = await login(await createAccount(em, Role.DESK));
  s.lead = await login(await createAccount(em, Role.SECTION, secLead));
  s.supporting = await login(await createAccount(em, Role.SECTION, secSupport));
  s.unmatched = await login(await createAccount(em, Role.SECTION, none));
  s.member = await login(await createMember(em, organisation));
  s.otherMember = await login(await createMember(em, other));
  s.public = new HttpSession(server.httpUrl);
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(storageDir, { recursive: true, force: true });
});

describe('filing the signed agreement document (協定書の原本)', () => {
  it('the desk files a PDF: it is on the agreement record, not among the proposer’s attachments, and the proposal’s version stays', async () => {
    const id = await agreed();
    const before = await snapshot(id);
    const bytes = pdfBytes(2000);
    const { status, body } = await upload(s.desk, id, bytes);
    expect(status).toBe(201);
    expect(body.attachment).toMatchObject({ fileName: '協定書（署名済）.pdf', mediaType: 'application/pdf', sizeBytes: bytes.length });
    const seen = (await s.desk.ok(GET, { id })).proposal;
    expect(seen.agreementRecord.document).toMatchObject({ id: body.attachment.id, fileName: '協定書（署名済）.pdf', sizeBytes: bytes.length, purpose: 'AGREEMENT_DOCUMENT', downloadPath: `/api/attachments/${body.attachment.id}` });
    expect(seen.attachments).toEqual([]);
    expect(await snapshot(id)).toMatchObject({ version: before.version, attachments: 1, document: body.attachment.id, files: before.files + 1, events: before.events + 1 });
  });

  it('whoever sees the proposal downloads it; another organisation, an unmatched section and the public get the answer a missing file gets', async () => {
    const id = await agreed();
    const bytes = pdfBytes(500);
    const filed = (await upload(s.desk, id, bytes)).body.attachment.id as string;
    for (const who of ['desk', 'lead', 'supporting', 'member'] as const) {
      const got = await download(s[who], filed);
      expect([who, got.status]).toEqual([who, 200]);
      expect(got.body.equals(bytes)).toBe(true);
      expect((await s[who].ok(GET, { id })).proposal.agreementRecord.document.id).toBe(filed);
    }
    const missing = await download(s.member, '00000000-0000-4000-8000-000000000000');
    for (const who of ['otherMember', 'unmatched', 'public'] as const) {
      const got = await download(s[who], filed);
      expect([who, got.status, got.body.toString()]).toEqual([who, missing.status, missing.body.toString()]);
      expect((await s[who].ok(GET, { id })).proposal).toBeNull();
    }
  });

  it('filing again replaces it on the record; the earlier file is kept, still downloadable', async () => {
    const id = await agreed();
    const first = (await upload(s.desk, id, pdfBytes(100), { name: '協定書 第1版.pdf' })).body.attachment.id as string;
    const second = (await upload(s.desk, id, pdfBytes(200), { name: '協定書 訂正版.pdf' })).body.attachment.id as string;
    const seen = (await s.member.ok(GET, { id })).proposal;
    expect(seen.agreementRecord.document).toMatchObject({ id: second, fileName: '協定書 訂正版.pdf' });
    const em = server.db.orm.em.fork();
    const rows = await em.find(Attachment, { proposal: id }, { orderBy: { uploadedAt: 'asc' } });
    expect(rows.map((r) => [r.id, r.purpose, r.deletedAt])).toEqual([
      [first, AttachmentPurpose.AGREEMENT_DOCUMENT, null],
      [second, AttachmentPurpose.AGREEMENT_DOCUMENT, null],
    ]);
    expect((await download(s.member, first)).status).toBe(200);
  });

  it('refused for the sections and the proposer (FORBIDDEN), another organisation (NOT_FOUND), the public, without the CSRF header; nothing changes', async () => {
    const id = await agreed();
    const before = await snapshot(id);
    const expected: Record<Exclude<Who, 'desk'>, [number, string]> = {
      lead: [403, 'FORBIDDEN'],
      supporting: [403, 'FORBIDDEN'],
      member: [403, 'FORBIDDEN'],
      unmatched: [404, 'NOT_FOUND'],
      otherMember: [404, 'NOT_FOUND'],
      public: [401, 'UNAUTHENTICATED'],
    };
    for (const [who, [status, code]] of Object.entries(expected)) {
      const got = await upload(s[who as Who], id, pdfBytes(10));
      expect([who, got.status, codeOf(got.body)]).toEqual([who, status, code]);
    }
    const noCsrf = await upload(s.desk, id, pdfBytes(10), { csrf: false });
    expect([noCsrf.status, codeOf(noCsrf.body)]).toEqual([403, 'FORBIDDEN']);
    expect(await snapshot(id)).toEqual(before);
  });

  it('only a PDF: a PNG (even named .pdf) is refused with the field code NOT_ACCEPTED; nothing changes', async () => {
    const id = await agreed();
    const before = await snapshot(id);
    const got = await upload(s.desk, id, pngBytes(), { name: 'scan.pdf' });
    expect([got.status, codeOf(got.body), got.body.errors[0].extensions.fields]).toEqual([400, 'BAD_USER_INPUT', [expect.objectContaining({ field: 'file', code: 'NOT_ACCEPTED' })]]);
    expect(await snapshot(id)).toEqual(before);
  });

  it('needs the agreement record first (CONFLICT ILLEGAL_STATE); nothing changes', async () => {
    const id = await agreed(false);
    const before = await snapshot(id);
    const got = await upload(s.desk, id, pdfBytes(10));
    expect([got.status, codeOf(got.body), got.body.errors[0].extensions.reason]).toEqual([409, 'CONFLICT', 'ILLEGAL_STATE']);
    expect(got.body.errors[0].message).toContain('Record the agreement');
    expect(await snapshot(id)).toEqual(before);
  });

  it('the agreement document cannot be deleted through the attachment mutation (by nobody)', async () => {
    const id = await agreed();
    const filed = (await upload(s.desk, id, pdfBytes(10))).body.attachment.id as string;
    const before = await snapshot(id);
    for (const who of ['member', 'desk'] as const) {
      const result = await s[who].request(DELETE, { id: filed });
      expect([who, result.errors?.[0]?.extensions?.code]).toEqual([who, 'NOT_FOUND']);
    }
    expect(await snapshot(id)).toEqual(before);
    expect((await download(s.member, filed)).status).toBe(200);
  });

  it('live: a proposer watching proposalEvents sees the filed document arrive', async () => {
    const id = await agreed();
    const { liveCursor } = await s.member.ok<{ liveCursor: string }>('{ liveCursor }');
    const client = s.member.websocket(server.wsUrl);
    const live = subscribe<{ proposalEvents: { kind: string; proposalId: string; proposal: { agreementRecord: { document: { fileName: string } | null } | null } | null } }>(client, EVENTS, {
      after: liveCursor,
    });
    try {
      await upload(s.desk, id, pdfBytes(10), { name: '署名済み協定書.pdf' });
      const mine = () => live.collected.items.map((r) => r.data!.proposalEvents).filter((e) => e.proposalId === id && e.kind === 'AGREEMENT_RECORDED');
      await live.collected.until(() => mine().some((e) => e.proposal?.agreementRecord?.document?.fileName === '署名済み協定書.pdf'));
      expect(mine().at(-1)!.proposal!.agreementRecord!.document!.fileName).toBe('署名済み協定書.pdf');
    } finally {
      live.stop();
      await client.dispose();
    }
  });
});
