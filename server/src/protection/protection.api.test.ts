import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfBytes } from '../attachments/file-fixtures.js';
import { DomainEvent } from '../events/domain-event.entity.js';
import { Account, Role } from '../identity/account.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import type { Section } from '../sections/section.entity.js';
import { Audience } from '../shared/audience.js';
import { Message } from '../threads/message.entity.js';
import { Thread } from '../threads/thread.entity.js';
import { Writable } from 'node:stream';
import { loadConfig } from '../config/env.js';
import { startPlatform } from '../http/platform.js';
import { createLogger } from '../logging/logger.js';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { HttpSession, subscribe, type GraphqlResult } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';
import { ProtectionRequest } from './protection-request.entity.js';

const ENTRY = `id itemKind fieldName reason state version requestedAt requestedByName decidedAt decidedByName decisionReason attachment { id fileName protection } messageId messagePostedAt messageAuthorName`;
const REGISTER = `query($id: ID!) { proposal(id: $id) { id protectedFields protectionRegister { ${ENTRY} } attachments { id protection } viewerCanProtection { request decide exportRegister } protectionRegisterCsvPath } }`;
const REQUEST = `mutation($pid: ID!, $item: ProtectedItemInput!, $reason: String!, $key: String) { requestProtection(proposalId: $pid, item: $item, reason: $reason, idempotencyKey: $key) { ${ENTRY} } }`;
const DECIDE = `mutation($id: ID!, $d: ProtectionDecision!, $r: String!, $v: Int!) { decideProtection(requestId: $id, decision: $d, reason: $r, expectedVersion: $v) { ${ENTRY} } }`;
const EVENTS = `subscription($after: String) { proposalEvents(after: $after) { kind proposalId proposal { id protectedFields } } }`;

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id version matches { id version section { id } } } }`;
const ACCEPT = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id } }`;

/** The protected text itself: it must never appear outside the proposal's audience, nor in the register's export. */
const SECRET_CONTENT = '独自開発の発電キット（特許出願中）を避難所に設置する 秘密XYZ';

type Who = 'desk' | 'lead' | 'pending' | 'unmatched' | 'member' | 'colleague' | 'otherMember' | 'public';
const SEEING: Who[] = ['desk', 'lead', 'pending', 'member', 'colleague'];
const NOT_SEEING: Who[] = ['unmatched', 'otherMember', 'public'];

/** The real platform, as startTestServer builds it, but with every log line kept: protected content must never be logged. */
let server: { db: TestDatabase; httpUrl: string; wsUrl: string; stop(): Promise<void> };
const logLines: string[] = [];
let baseUrl: string;
let storageDir: string;
let secLead: Section;
let secPending: Section;
let secNone: Section;
const s: Record<Who, HttpSession> = {} as never;
const ids: Record<Who, string> = {} as never;

const codeOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.code;
const reasonOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.reason;
const fieldsOf = (result: GraphqlResult) => (result.errors?.[0]?.extensions?.fields ?? []).map((f) => `${f.field}:${f.code}`).sort();
const key = () => `k-${Math.random().toString(36).slice(2, 12)}`;

async function uploadAttachment(proposalId: string, name: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/proposals/${proposalId}/attachments`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-renkei-request': '1', 'x-file-name': encodeURIComponent(name), cookie: s.member.cookie! },
    body: new Uint8Array(pdfBytes()),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { attachment: { id: string } }).attachment.id;
}

/** A proposal in dialogue with an attachment, the lead section ACCEPTED and a second section PENDING. */
async function inDialogue(title = '避難所の電源確保'): Promise<{ id: string; attachmentId: string }> {
  const draft = (await s.member.ok(CREATE, { input: { ...COMPLETE_DRAFT, title, content: SECRET_CONTENT } })).createProposalDraft;
  const attachmentId = await uploadAttachment(draft.id, '事業計画書.pdf');
  const current = (await s.member.ok(`query($id: ID!) { proposal(id: $id) { version } }`, { id: draft.id })).proposal;
  const submitted = (await s.member.ok(SUBMIT, { id: draft.id, v: current.version, p: ALL_PLEDGES })).submitProposal;
  const reviewed = (await s.desk.ok(REVIEW, { id: submitted.id, v: submitted.version })).acceptProposalForReview;
  const dialogue = (await s.desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
  const matched = (await s.desk.ok(MATCH, { id: dialogue.id, v: dialogue.version, s: [secLead.id, secPending.id], lead: secLead.id })).matchProposal;
  const lead = matched.matches.find((m: { section: { id: string } }) => m.section.id === secLead.id);
  await s.lead.ok(ACCEPT, { id: lead.id, v: lead.version });
  return { id: matched.id, attachmentId };
}

async function snapshot(proposalId: string) {
  const em = server.db.orm.em.fork();
  return {
    entries: await em.find(ProtectionRequest, { proposal: proposalId }, { orderBy: { id: 'asc' } }).then((rows) => rows.map((r) => `${r.id}:${r.state}:${r.version}`)),
    events: await em.count(DomainEvent, { topic: 'proposal', aggregateId: proposalId }),
  };
}

const contentField = { kind: 'FIELD', fieldName: 'content' };

beforeAll(async () => {
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-protection-'));
  const db = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug', CLIENT_DIST: '/nonexistent', ATTACHMENTS_DIR: storageDir });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const platform = await startPlatform(config, db.orm, db.url, createLogger('debug', sink));
  server = {
    db,
    httpUrl: `http://127.0.0.1:${platform.port}/graphql`,
    wsUrl: `ws://127.0.0.1:${platform.port}/graphql`,
    async stop() {
      await platform.stop();
      await db.dispose();
    },
  };
  baseUrl = server.httpUrl.replace(/\/graphql$/, '');
  const em = server.db.orm.em.fork();
  [secLead, secPending, secNone] = (await createDepartmentWithSections(em, ['保護テスト主担当課', '保護テスト協議中課', '保護テスト無関係課'])) as [Section, Section, Section];
  const organisation = await createOrganisation(em, '保護テスト株式会社');
  const other = await createOrganisation(em, '保護テスト他社');
  const accounts: Record<Who, Account | null> = {
    desk: await createAccount(em, Role.DESK),
    lead: await createAccount(em, Role.SECTION, secLead),
    pending: await createAccount(em, Role.SECTION, secPending),
    unmatched: await createAccount(em, Role.SECTION, secNone),
    member: await createMember(em, organisation),
    colleague: await createMember(em, organisation),
    otherMember: await createMember(em, other),
    public: null,
  };
  for (const [who, account] of Object.entries(accounts) as Array<[Who, Account | null]>) {
    s[who] = account ? await new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD) : new HttpSession(server.httpUrl);
    if (account) ids[who] = account.id;
  }
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(storageDir, { recursive: true, force: true });
});

describe('asking for protection', () => {
  it('a member asks; the field is protected at once (REQUESTED) and the register names who and when', async () => {
    const { id } = await inDialogue();
    const entry = (await s.member.ok(REQUEST, { pid: id, item: contentField, reason: '  法人の競争上の地位  ', key: key() })).requestProtection;
    expect(entry).toMatchObject({ itemKind: 'FIELD', fieldName: 'content', reason: '法人の競争上の地位', state: 'REQUESTED', decidedAt: null, decidedByName: null });
    expect(entry.requestedByName).not.toBe('');
    const seen = (await s.desk.ok(REGISTER, { id })).proposal;
    expect(seen.protectedFields).toEqual(['content']);
    expect(seen.protectionRegister.map((e: { id: string }) => e.id)).toEqual([entry.id]);
    expect(seen.viewerCanProtection).toEqual({ request: false, decide: true, exportRegister: true });
    expect((await s.member.ok(REGISTER, { id })).proposal.viewerCanProtection).toEqual({ request: true, decide: false, exportRegister: false });
  });

  it('refuses the desk, sections, another organisation and the public — and saves nothing', async () => {
    const { id } = await inDialogue();
    const before = await snapshot(id);
    const expected: Record<Exclude<Who, 'member' | 'colleague'>, string> = { desk: 'FORBIDDEN', lead: 'FORBIDDEN', pending: 'FORBIDDEN', unmatched: 'NOT_FOUND', otherMember: 'NOT_FOUND', public: 'UNAUTHENTICATED' };
    for (const [who, code] of Object.entries(expected) as Array<[Who, string]>) {
      const result = await s[who].request(REQUEST, { pid: id, item: contentField, reason: '法人の競争上の地位' });
      expect(codeOf(result), who).toBe(code);
      // A refusal names nothing of the proposal.
      expect(JSON.stringify(result)).not.toContain(SECRET_CONTENT);
    }
    expect(await snapshot(id)).toEqual(before);
  });

  it('lets a colleague protect too; a second ask for the same item is a DUPLICATE; a retry with the same key returns the first', async () => {
    const { id } = await inDialogue();
    const k = key();
    const first = (await s.colleague.ok(REQUEST, { pid: id, item: { kind: 'FIELD', fieldName: 'ownResources' }, reason: '独自のノウハウ', key: k })).requestProtection;
    const retry = (await s.colleague.ok(REQUEST, { pid: id, item: { kind: 'FIELD', fieldName: 'ownResources' }, reason: '独自のノウハウ', key: k })).requestProtection;
    expect(retry.id).toBe(first.id);
    const before = await snapshot(id);
    const again = await s.member.request(REQUEST, { pid: id, item: { kind: 'FIELD', fieldName: 'ownResources' }, reason: '重ねて' });
    expect([codeOf(again), reasonOf(again)]).toEqual(['CONFLICT', 'DUPLICATE']);
    expect(await snapshot(id)).toEqual(before);
  });

  it('refuses bad input with coded field errors, and a draft with ILLEGAL_STATE', async () => {
    const { id } = await inDialogue();
    const before = await snapshot(id);
    expect(fieldsOf(await s.member.request(REQUEST, { pid: id, item: { kind: 'FIELD', fieldName: 'title' }, reason: '' }))).toEqual(['item.fieldName:INVALID', 'reason:REQUIRED']);
    expect(fieldsOf(await s.member.request(REQUEST, { pid: id, item: contentField, reason: 'あ'.repeat(2001) }))).toEqual(['reason:TOO_LONG']);
    expect(await snapshot(id)).toEqual(before);
    const draft = (await s.member.ok(CREATE, { input: { ...COMPLETE_DRAFT, title: '下書きの提案' } })).createProposalDraft;
    const onDraft = await s.member.request(REQUEST, { pid: draft.id, item: contentField, reason: '法人の競争上の地位' });
    expect([codeOf(onDraft), reasonOf(onDraft)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
  });

  it('protects the proposer’s attachment (its badge state shows on the attachment) but not another proposal’s', async () => {
    const { id, attachmentId } = await inDialogue();
    const other = await inDialogue('別の提案');
    const foreign = await s.member.request(REQUEST, { pid: id, item: { kind: 'ATTACHMENT', attachmentId: other.attachmentId }, reason: '技術資料' });
    expect(fieldsOf(foreign)).toEqual(['item.attachmentId:UNKNOWN_REFERENCE']);
    const entry = (await s.member.ok(REQUEST, { pid: id, item: { kind: 'ATTACHMENT', attachmentId }, reason: '技術資料' })).requestProtection;
    expect(entry.attachment).toEqual({ id: attachmentId, fileName: '事業計画書.pdf', protection: 'REQUESTED' });
    for (const who of SEEING) expect((await s[who].ok(REGISTER, { id })).proposal.attachments, who).toEqual([{ id: attachmentId, protection: 'REQUESTED' }]);
    expect((await s.member.ok(REGISTER, { id: other.id })).proposal.attachments[0].protection).toBeNull();
  });

  it("protects a message written on the proposer's side, never the ward's nor one in an INTERNAL thread", async () => {
    const { id } = await inDialogue();
    const em = server.db.orm.em.fork();
    const proposal = em.getReference(Proposal, id);
    const shared = new Thread(proposal, Audience.SHARED, ids.desk);
    shared.title = '設置場所について';
    const internal = new Thread(proposal, Audience.INTERNAL, ids.desk);
    internal.title = '庁内の検討';
    const write = (thread: Thread, authorId: string, body: string) => Object.assign(new Message(thread, authorId), { body, bodyHtml: `<p>${body}</p>` });
    const byColleague = write(shared, ids.colleague, '社外秘の価格表です');
    const byDesk = write(shared, ids.desk, '承知しました');
    const inInternal = write(internal, ids.desk, '庁内メモ');
    em.persist([shared, internal, byColleague, byDesk, inInternal]);
    await em.flush();

    const item = (messageId: string) => ({ kind: 'MESSAGE', messageId });
    expect(fieldsOf(await s.member.request(REQUEST, { pid: id, item: item(byDesk.id), reason: '価格情報' }))).toEqual(['item.messageId:INVALID']);
    // An INTERNAL message looks exactly like a missing one to the proposer.
    expect(fieldsOf(await s.member.request(REQUEST, { pid: id, item: item(inInternal.id), reason: '価格情報' }))).toEqual(['item.messageId:UNKNOWN_REFERENCE']);
    const entry = (await s.member.ok(REQUEST, { pid: id, item: item(byColleague.id), reason: '価格情報' })).requestProtection;
    expect(entry).toMatchObject({ itemKind: 'MESSAGE', messageId: byColleague.id, state: 'REQUESTED' });
    expect(entry.messagePostedAt).not.toBeNull();
    expect(entry.messageAuthorName).not.toBeNull();
    // The register names the message, never quotes it.
    expect(JSON.stringify(entry)).not.toContain('社外秘の価格表です');
  });
});

describe('the desk decides', () => {
  it('agrees with a reason; deciding again is a CONFLICT (ILLEGAL_STATE) and changes nothing', async () => {
    const { id } = await inDialogue();
    const entry = (await s.member.ok(REQUEST, { pid: id, item: contentField, reason: '法人の競争上の地位' })).requestProtection;
    const agreed = (await s.desk.ok(DECIDE, { id: entry.id, d: 'AGREED', r: '公にすると法人の正当な利益を害するおそれ', v: entry.version })).decideProtection;
    expect(agreed).toMatchObject({ state: 'AGREED', decisionReason: '公にすると法人の正当な利益を害するおそれ' });
    expect(agreed.decidedByName).not.toBeNull();
    expect(agreed.decidedAt).not.toBeNull();
    const before = await snapshot(id);
    const twice = await s.desk.request(DECIDE, { id: entry.id, d: 'DECLINED', r: 'やはり', v: agreed.version });
    expect([codeOf(twice), reasonOf(twice)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    expect(await snapshot(id)).toEqual(before);
    expect((await s.lead.ok(REGISTER, { id })).proposal.protectedFields).toEqual(['content']);
  });

  it('refuses anyone but the desk (sections and the proposer see it: FORBIDDEN; others: NOT_FOUND), a stale version and a missing reason', async () => {
    const { id } = await inDialogue();
    const entry = (await s.member.ok(REQUEST, { pid: id, item: contentField, reason: '法人の競争上の地位' })).requestProtection;
    const before = await snapshot(id);
    const expected: Partial<Record<Who, string>> = { lead: 'FORBIDDEN', pending: 'FORBIDDEN', unmatched: 'FORBIDDEN', member: 'FORBIDDEN', otherMember: 'FORBIDDEN', public: 'UNAUTHENTICATED' };
    for (const [who, code] of Object.entries(expected)) expect(codeOf(await s[who as Who].request(DECIDE, { id: entry.id, d: 'AGREED', r: '理由', v: entry.version })), who).toBe(code);
    const stale = await s.desk.request(DECIDE, { id: entry.id, d: 'AGREED', r: '理由', v: entry.version + 5 });
    expect([codeOf(stale), reasonOf(stale)]).toEqual(['CONFLICT', 'STALE_VERSION']);
    expect(fieldsOf(await s.desk.request(DECIDE, { id: entry.id, d: 'AGREED', r: ' ', v: entry.version }))).toEqual(['reason:REQUIRED']);
    expect(codeOf(await s.desk.request(DECIDE, { id: '00000000-0000-4000-8000-000000000000', d: 'AGREED', r: '理由', v: 1 }))).toBe('NOT_FOUND');
    expect(await snapshot(id)).toEqual(before);
  });

  it('after a decline the item is no longer protected and may be asked for again', async () => {
    const { id } = await inDialogue();
    const entry = (await s.member.ok(REQUEST, { pid: id, item: contentField, reason: '法人の競争上の地位' })).requestProtection;
    await s.desk.ok(DECIDE, { id: entry.id, d: 'DECLINED', r: '一般的な内容のため', v: entry.version });
    expect((await s.member.ok(REGISTER, { id })).proposal.protectedFields).toEqual([]);
    const again = (await s.member.ok(REQUEST, { pid: id, item: contentField, reason: '具体的な手法を含むため' })).requestProtection;
    expect(again.state).toBe('REQUESTED');
    const register = (await s.member.ok(REGISTER, { id })).proposal.protectionRegister;
    expect(register.map((e: { state: string }) => e.state)).toEqual(['DECLINED', 'REQUESTED']);
    expect((await s.member.ok(REGISTER, { id })).proposal.protectedFields).toEqual(['content']);
  });
});

describe('who sees the register', () => {
  it('exactly those who see the proposal', async () => {
    const { id } = await inDialogue();
    await s.member.ok(REQUEST, { pid: id, item: contentField, reason: '法人の競争上の地位' });
    for (const who of SEEING) expect((await s[who].ok(REGISTER, { id })).proposal.protectionRegister, who).toHaveLength(1);
    for (const who of NOT_SEEING) {
      const result = await s[who].request(REGISTER, { id });
      expect(result.data?.proposal ?? null, who).toBeNull();
      expect(JSON.stringify(result), who).not.toContain('法人の競争上の地位');
    }
  });
});

describe('live', () => {
  it('a proposer and a matched section watching proposalEvents see the request and the decision; an unmatched section sees nothing', async () => {
    const { id } = await inDialogue();
    const watch = async (who: Who) => {
      const { liveCursor } = await s[who].ok<{ liveCursor: string }>('{ liveCursor }');
      const client = s[who].websocket(server.wsUrl);
      return { client, ...subscribe<{ proposalEvents: { kind: string; proposalId: string; proposal: { protectedFields: string[] } | null } }>(client, EVENTS, { after: liveCursor }) };
    };
    const member = await watch('member');
    const lead = await watch('lead');
    const unmatched = await watch('unmatched');
    try {
      const entry = (await s.member.ok(REQUEST, { pid: id, item: contentField, reason: '法人の競争上の地位' })).requestProtection;
      await s.desk.ok(DECIDE, { id: entry.id, d: 'AGREED', r: '同意', v: entry.version });
      for (const watcher of [member, lead]) {
        const about = (items: typeof watcher.collected.items) => items.map((i) => i.data!.proposalEvents).filter((e) => e.proposalId === id && e.kind.startsWith('PROTECTION_'));
        const events = about(await watcher.collected.until((items) => about(items).length >= 2));
        expect(events.map((e) => [e.kind, e.proposal?.protectedFields])).toEqual([
          ['PROTECTION_REQUESTED', ['content']],
          ['PROTECTION_DECIDED', ['content']],
        ]);
      }
      // Give the unmatched section's stream the same chance, then check it got nothing about this proposal.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(unmatched.collected.items.filter((i) => i.data?.proposalEvents.proposalId === id)).toEqual([]);
      // Events carry ids and visibility facts only: neither the reason nor the content.
      const rows = await server.db.orm.em.fork().find(DomainEvent, { topic: 'proposal', aggregateId: id, kind: { $like: 'PROTECTION_%' } });
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(JSON.stringify(row.payload)).not.toContain('法人の競争上の地位');
        expect(JSON.stringify(row.payload)).not.toContain(SECRET_CONTENT);
      }
    } finally {
      for (const w of [member, lead, unmatched]) {
        w.stop();
        await w.client.dispose();
      }
    }
  });
});

describe('the CSV export', () => {
  const csvOf = (who: Who, proposalId: string) => fetch(`${baseUrl}/api/proposals/${proposalId}/protection-register.csv`, { headers: s[who].cookie ? { cookie: s[who].cookie! } : {} });

  it('gives the desk the register: BOM, RFC 4180 quoting, formulas made inert, items named not quoted', async () => {
    const { id, attachmentId } = await inDialogue();
    const entry = (await s.member.ok(REQUEST, { pid: id, item: contentField, reason: '=HYPERLINK("http://evil.example"),"競争上の地位"' })).requestProtection;
    await s.desk.ok(DECIDE, { id: entry.id, d: 'AGREED', r: '+同意する\n（条例第7条第2号）', v: entry.version });
    await s.member.ok(REQUEST, { pid: id, item: { kind: 'ATTACHMENT', attachmentId }, reason: '技術資料' });
    const response = await csvOf('desk', id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="protection-register-\d{4}-\d{4}\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('対象の種類,対象,申請理由,申請者,申請日時,状態,決定者,決定日時,決定理由');
    expect(lines[1]).toMatch(/^提案の項目,提案内容,"'=HYPERLINK\(""http:\/\/evil\.example""\),""競争上の地位""",[^,]+,\d{4}-\d{2}-\d{2} \d{2}:\d{2},保護に同意,[^,]+,\d{4}-\d{2}-\d{2} \d{2}:\d{2},"'\+同意する\n（条例第7条第2号）"$/);
    expect(lines[2]).toMatch(/^添付ファイル,事業計画書\.pdf,技術資料,[^,]+,[^,]+,申請中（決定まで保護）,,,$/);
    expect(text).not.toContain(SECRET_CONTENT);
  });

  it('refuses sections and the proposer (403) and answers whoever cannot see the proposal as if it did not exist (404)', async () => {
    const { id } = await inDialogue();
    for (const who of ['lead', 'pending', 'member', 'colleague'] as Who[]) expect((await csvOf(who, id)).status, who).toBe(403);
    const missing = await csvOf('unmatched', '00000000-0000-4000-8000-000000000000');
    const missingBody = await missing.text();
    expect(missing.status).toBe(404);
    for (const who of ['unmatched', 'otherMember', 'public'] as Who[]) {
      const response = await csvOf(who, id);
      expect(response.status, who).toBe(404);
      expect(await response.text(), who).toBe(missingBody);
    }
  });
});

describe('server logs', () => {
  it('never carry protected content or the register’s reasons, whatever was asked, decided, refused or exported', async () => {
    const { id } = await inDialogue();
    const entry = (await s.member.ok(REQUEST, { pid: id, item: contentField, reason: '記録されない理由ABC' })).requestProtection;
    await s.member.request(REQUEST, { pid: id, item: contentField, reason: '記録されない理由ABC' });
    await s.otherMember.request(REQUEST, { pid: id, item: contentField, reason: '記録されない理由ABC' });
    await s.desk.ok(DECIDE, { id: entry.id, d: 'AGREED', r: '記録されない決定理由DEF', v: entry.version });
    await s.desk.request(DECIDE, { id: entry.id, d: 'AGREED', r: '記録されない決定理由DEF', v: entry.version });
    await fetch(`${baseUrl}/api/proposals/${id}/protection-register.csv`, { headers: { cookie: s.desk.cookie! } });
    await fetch(`${baseUrl}/api/proposals/${id}/protection-register.csv`, { headers: { cookie: s.member.cookie! } });
    expect(logLines.length).toBeGreaterThan(0);
    const log = logLines.join('');
    for (const secret of [SECRET_CONTENT, '記録されない理由ABC', '記録されない決定理由DEF']) expect(log).not.toContain(secret);
  });
});
