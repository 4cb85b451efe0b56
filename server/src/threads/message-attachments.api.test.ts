import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, type Account } from '../identity/account.entity.js';
import type { Section } from '../sections/section.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, type GraphqlResult } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';
import { exeBytes, pdfBytes, pngBytes } from '../attachments/file-fixtures.js';
import { listStoredKeys } from '../attachments/local-disk-storage.js';

/**
 * Files on messages, over HTTP against the real platform and PostgreSQL: upload into a thread,
 * link when posting, download by exactly the thread's readers; and a protected message's text
 * never reaching notifications or mail.
 */

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id matches { id version section { id } } } }`;
const ACCEPT = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id version } }`;

const FILES = 'attachments { id fileName mediaType sizeBytes downloadPath purpose }';
const START = `mutation($p: ID!, $input: StartThreadInput!) { startThread(proposalId: $p, input: $input) { id messages { edges { node { id ${FILES} } } } } }`;
const POST = `mutation($t: ID!, $b: String!, $files: [ID!], $k: String) { postMessage(threadId: $t, body: $b, attachmentIds: $files, idempotencyKey: $k) { id version ${FILES} } }`;
const DELETE = `mutation($m: ID!, $v: Int!) { deleteMessage(messageId: $m, expectedVersion: $v) { id deleted ${FILES} } }`;
const EDIT = `mutation($m: ID!, $b: String!, $v: Int!) { editMessage(messageId: $m, body: $b, expectedVersion: $v) { id version } }`;
const THREAD = `query($id: ID!) { thread(id: $id) { id messages { edges { node { id ${FILES} } } } } }`;
const PROPOSAL_FILES = `query($id: ID!) { proposal(id: $id) { id attachments { id } } }`;
const REQUEST_PROTECTION = `mutation($p: ID!, $item: ProtectedItemInput!, $r: String!) { requestProtection(proposalId: $p, item: $item, reason: $r) { id state } }`;
const CAN_PROTECT = `query($id: ID!) { thread(id: $id) { messages { edges { node { id viewerCanRequestProtection protection } } } } }`;
const NOTIFICATIONS = `{ notifications(first: 50) { edges { node { id kind actorName link proposal { id title } thread { id title } } } } }`;

let server: TestServer;
let baseUrl: string;
let storageDir: string;

type Who = 'desk' | 'lead' | 'support' | 'unmatched' | 'member' | 'member2' | 'otherMember' | 'public';
const s = {} as Record<Who, HttpSession>;
const a = {} as Record<Exclude<Who, 'public'>, Account>;
const sec = {} as Record<'lead' | 'support' | 'unmatched', Section>;

const codeOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.code;
const fieldsOf = (result: GraphqlResult) => (result.errors?.[0]?.extensions?.fields ?? []).map((f) => `${f.field}:${f.code}`);

async function login(account: Account): Promise<HttpSession> {
  return new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
}

/** A proposal in dialogue with the lead and supporting sections ACCEPTED. */
async function proposalInDialogue(): Promise<string> {
  const draft = (await s.member.ok(CREATE, { input: COMPLETE_DRAFT })).createProposalDraft;
  const submitted = (await s.member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
  const reviewed = (await s.desk.ok(REVIEW, { id: submitted.id, v: submitted.version })).acceptProposalForReview;
  const dialogue = (await s.desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
  const matched = (await s.desk.ok(MATCH, { id: dialogue.id, v: dialogue.version, s: [sec.lead.id, sec.support.id], lead: sec.lead.id })).matchProposal;
  for (const match of matched.matches as Array<{ id: string; version: number; section: { id: string } }>) {
    await (match.section.id === sec.lead.id ? s.lead : s.support).ok(ACCEPT, { id: match.id, v: match.version });
  }
  return dialogue.id;
}

async function startThread(who: HttpSession, proposalId: string, audience: 'SHARED' | 'INTERNAL', body = '最初のメッセージ'): Promise<{ id: string; firstMessageId: string }> {
  const thread = (await who.ok(START, { p: proposalId, input: { audience, title: `${audience} のスレッド`, body } })).startThread;
  return { id: thread.id, firstMessageId: thread.messages.edges[0].node.id };
}

interface Uploaded {
  status: number;
  body: any;
}

async function uploadTo(url: string, session: HttpSession, bytes: Uint8Array, name = '資料.pdf', csrf = true): Promise<Uploaded> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      ...(csrf ? { 'x-renkei-request': '1' } : {}),
      'x-file-name': encodeURIComponent(name),
      ...(session.cookie ? { cookie: session.cookie } : {}),
    },
    body: new Uint8Array(bytes),
  });
  return { status: response.status, body: await response.json() };
}

const upload = (session: HttpSession, threadId: string, bytes: Uint8Array = pdfBytes(), name?: string, csrf?: boolean) => uploadTo(`${baseUrl}/api/threads/${threadId}/attachments`, session, bytes, name, csrf);

async function uploadId(session: HttpSession, threadId: string, bytes: Uint8Array = pdfBytes(), name?: string): Promise<string> {
  const result = await upload(session, threadId, bytes, name);
  if (result.status !== 201) throw new Error(`upload failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body.attachment.id as string;
}

async function download(session: HttpSession, id: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}/api/attachments/${id}`, { headers: session.cookie ? { cookie: session.cookie } : {} });
  // Base64 of the body: the bytes compared exactly, the answer to a refusal compared as a whole.
  return { status: response.status, text: Buffer.from(await response.arrayBuffer()).toString('base64') };
}

/** The stored rows of a proposal's message files and messages: to prove a refusal changed nothing. */
async function stored(proposalId: string) {
  const sql = server.db.orm.em.fork().getConnection();
  const files = await sql.execute<Array<{ id: string; message_id: string | null; thread_id: string | null }>>(
    `select id, message_id, thread_id from attachment where proposal_id = ? and purpose = 'MESSAGE' order by id`,
    [proposalId],
  );
  const messages = await sql.execute<Array<{ id: string }>>('select id from message where proposal_id = ? order by id', [proposalId]);
  return { files, messages: messages.length, keys: listStoredKeys(storageDir).length };
}

beforeAll(async () => {
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-message-files-'));
  server = await startTestServer({ ATTACHMENTS_DIR: storageDir });
  baseUrl = server.httpUrl.replace(/\/graphql$/, '');
  const em = server.db.orm.em.fork();
  [sec.lead, sec.support] = (await createDepartmentWithSections(em, ['添付主担当課', '添付支援課'])) as [Section, Section];
  [sec.unmatched] = (await createDepartmentWithSections(em, ['添付無関係課'])) as [Section];
  const organisation = await createOrganisation(em, '添付テスト株式会社');
  const other = await createOrganisation(em, '添付他社');
  a.desk = await createAccount(em, Role.DESK);
  a.lead = await createAccount(em, Role.SECTION, sec.lead);
  a.support = await createAccount(em, Role.SECTION, sec.support);
  a.unmatched = await createAccount(em, Role.SECTION, sec.unmatched);
  a.member = await createMember(em, organisation);
  a.member2 = await createMember(em, organisation);
  a.otherMember = await createMember(em, other);
  for (const who of Object.keys(a) as Array<keyof typeof a>) s[who] = await login(a[who]);
  s.public = new HttpSession(server.httpUrl);
});

afterAll(async () => {
  await server?.stop();
  if (storageDir) fs.rmSync(storageDir, { recursive: true, force: true });
});

describe('files on messages in a SHARED thread', () => {
  it('the uploader alone fetches an unlinked upload; once posted, every reader of the thread does, nobody else; the proposal’s list never shows it', async () => {
    const proposalId = await proposalInDialogue();
    const thread = await startThread(s.desk, proposalId, 'SHARED');
    const bytes = pdfBytes(100);
    const uploaded = await upload(s.member, thread.id, bytes, '見積書.pdf');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.attachment).toMatchObject({ fileName: '見積書.pdf', mediaType: 'application/pdf', sizeBytes: bytes.length });
    const fileId = uploaded.body.attachment.id as string;

    // Before posting: its uploader's alone.
    expect((await download(s.member, fileId)).status).toBe(200);
    for (const who of ['member2', 'desk', 'lead', 'support', 'unmatched', 'otherMember', 'public'] as const) {
      expect([who, (await download(s[who], fileId)).status]).toEqual([who, 404]);
    }

    const posted = (await s.member.ok(POST, { t: thread.id, b: '見積書を添付します。', files: [fileId] })).postMessage;
    expect(posted.attachments).toEqual([{ id: fileId, fileName: '見積書.pdf', mediaType: 'application/pdf', sizeBytes: bytes.length, downloadPath: `/api/attachments/${fileId}`, purpose: 'MESSAGE' }]);

    for (const who of ['desk', 'lead', 'support', 'member', 'member2'] as const) {
      const got = await download(s[who], fileId);
      expect([who, got.status, got.text]).toEqual([who, 200, bytes.toString('base64')]);
      const seen = (await s[who].ok(THREAD, { id: thread.id })).thread.messages.edges.map((e: any) => e.node.attachments.map((f: any) => f.id));
      expect([who, seen]).toEqual([who, [[], [fileId]]]);
    }
    for (const who of ['unmatched', 'otherMember', 'public'] as const) {
      expect([who, (await download(s[who], fileId)).status]).toEqual([who, 404]);
    }
    // Never among the proposal's own material — the purpose filter is in the SQL, for every role.
    for (const who of ['desk', 'lead', 'member'] as const) {
      expect([who, (await s[who].ok(PROPOSAL_FILES, { id: proposalId })).proposal.attachments]).toEqual([who, []]);
    }
  });

  it('a retry of the same post (idempotency key) keeps the files on the first message', async () => {
    const proposalId = await proposalInDialogue();
    const thread = await startThread(s.member, proposalId, 'SHARED');
    const fileId = await uploadId(s.member, thread.id, pngBytes(), '図.png');
    const key = randomUUID();
    const first = (await s.member.ok(POST, { t: thread.id, b: '図です', files: [fileId], k: key })).postMessage;
    const again = (await s.member.ok(POST, { t: thread.id, b: '図です', files: [fileId], k: key })).postMessage;
    expect(again.id).toBe(first.id);
    expect(again.attachments.map((f: any) => [f.id, f.mediaType])).toEqual([[fileId, 'image/png']]);
  });

  it('startThread links files uploaded onto the proposal for its first message', async () => {
    const proposalId = await proposalInDialogue();
    const pre = await uploadTo(`${baseUrl}/api/proposals/${proposalId}/thread-attachments`, s.member, pdfBytes(), '概要.pdf');
    expect(pre.status).toBe(201);
    const fileId = pre.body.attachment.id as string;
    expect((await download(s.desk, fileId)).status).toBe(404);
    // Strangers to the proposal cannot upload for a new thread on it; a thread-less upload is not linkable by postMessage.
    for (const who of ['otherMember', 'unmatched'] as const) {
      expect([who, (await uploadTo(`${baseUrl}/api/proposals/${proposalId}/thread-attachments`, s[who], pdfBytes())).status]).toEqual([who, 404]);
    }
    const existing = await startThread(s.member, proposalId, 'SHARED');
    expect(fieldsOf(await s.member.request(POST, { t: existing.id, b: '別スレッドへ', files: [fileId] }))).toEqual(['attachmentIds:UNKNOWN_REFERENCE']);
    const started = (await s.member.ok(START, { p: proposalId, input: { audience: 'SHARED', title: '概要', body: '添付します', attachmentIds: [fileId] } })).startThread;
    expect(started.messages.edges[0].node.attachments.map((f: any) => f.id)).toEqual([fileId]);
    expect((await download(s.desk, fileId)).status).toBe(200);
    expect((await download(s.otherMember, fileId)).status).toBe(404);
    // Already on a message: it cannot be taken again.
    const refused = await s.member.request(START, { p: proposalId, input: { audience: 'SHARED', title: '再利用', body: '本文', attachmentIds: [fileId] } });
    expect(fieldsOf(refused)).toEqual(['input.attachmentIds:UNKNOWN_REFERENCE']);
  });

  it('a deleted message’s files are no longer listed nor downloadable', async () => {
    const proposalId = await proposalInDialogue();
    const thread = await startThread(s.desk, proposalId, 'SHARED');
    const fileId = await uploadId(s.member, thread.id);
    const posted = (await s.member.ok(POST, { t: thread.id, b: '消す予定', files: [fileId] })).postMessage;
    expect((await download(s.desk, fileId)).status).toBe(200);
    const deleted = (await s.member.ok(DELETE, { m: posted.id, v: posted.version })).deleteMessage;
    expect(deleted).toMatchObject({ deleted: true, attachments: [] });
    for (const who of ['desk', 'lead', 'member'] as const) expect([who, (await download(s[who], fileId)).status]).toEqual([who, 404]);
  });
});

describe('files in an INTERNAL thread', () => {
  it('reach the desk and matched sections; a proposer gets the same answer as for a missing file, and cannot upload into it', async () => {
    const proposalId = await proposalInDialogue();
    const internal = await startThread(s.lead, proposalId, 'INTERNAL', '庁内資料');
    const bytes = pdfBytes(50);
    const fileId = await uploadId(s.lead, internal.id, bytes, '庁内検討メモ.pdf');
    await s.lead.ok(POST, { t: internal.id, b: '庁内のメモです', files: [fileId] });
    for (const who of ['desk', 'lead', 'support'] as const) {
      const got = await download(s[who], fileId);
      expect([who, got.status, got.text]).toEqual([who, 200, bytes.toString('base64')]);
    }
    const missing = await download(s.member, randomUUID());
    for (const who of ['member', 'member2', 'otherMember', 'unmatched'] as const) {
      const got = await download(s[who], fileId);
      expect([who, got.status, got.text]).toEqual([who, missing.status, missing.text]);
      expect(Buffer.from(got.text, 'base64').toString('utf8')).not.toContain('庁内検討メモ');
    }
    // Uploading into it: the same answer as into a thread that does not exist; nothing stored.
    const before = await stored(proposalId);
    const intoInternal = await upload(s.member, internal.id);
    const intoMissing = await upload(s.member, randomUUID());
    expect(intoInternal).toEqual(intoMissing);
    expect(intoInternal.status).toBe(404);
    expect(await stored(proposalId)).toEqual(before);
    expect(JSON.stringify((await s.member.ok(PROPOSAL_FILES, { id: proposalId })).proposal)).not.toContain(fileId);
  });
});

describe('refused files', () => {
  it('someone else’s upload, one from another thread or one already posted: a field error, nothing saved', async () => {
    const proposalId = await proposalInDialogue();
    const thread = await startThread(s.desk, proposalId, 'SHARED');
    const otherThread = await startThread(s.desk, proposalId, 'SHARED');
    const mine = await uploadId(s.member, thread.id);
    const colleagues = await uploadId(s.member2, thread.id);
    const elsewhere = await uploadId(s.member, otherThread.id);
    const before = await stored(proposalId);
    for (const files of [[colleagues], [elsewhere], [mine, colleagues], [randomUUID()], ['not-a-uuid']]) {
      const refused = await s.member.request(POST, { t: thread.id, b: '添付', files });
      expect([files, codeOf(refused), fieldsOf(refused)]).toEqual([files, 'BAD_USER_INPUT', ['attachmentIds:UNKNOWN_REFERENCE']]);
    }
    expect(await stored(proposalId)).toEqual(before);
    // The colleague's own file stays theirs alone, and usable by them.
    expect((await download(s.member, colleagues)).status).toBe(404);
    await s.member.ok(POST, { t: thread.id, b: '私の添付', files: [mine] });
    const again = await s.member2.request(POST, { t: thread.id, b: '同じ添付を再利用', files: [mine] });
    expect(fieldsOf(again)).toEqual(['attachmentIds:UNKNOWN_REFERENCE']);
  });

  it('more than ten files on one message: TOO_MANY, nothing saved', async () => {
    const proposalId = await proposalInDialogue();
    const thread = await startThread(s.member, proposalId, 'SHARED');
    const ids: string[] = [];
    for (let i = 0; i < 11; i += 1) ids.push(await uploadId(s.member, thread.id, pdfBytes(i), `資料${i}.pdf`));
    const before = await stored(proposalId);
    const refused = await s.member.request(POST, { t: thread.id, b: '11件', files: ids });
    expect(fieldsOf(refused)).toEqual(['attachmentIds:TOO_MANY']);
    const twice = await s.member.request(POST, { t: thread.id, b: '重複', files: [ids[0], ids[0]] });
    expect(fieldsOf(twice)).toEqual(['attachmentIds:INVALID']);
    expect(await stored(proposalId)).toEqual(before);
    const ten = (await s.member.ok(POST, { t: thread.id, b: '10件', files: ids.slice(0, 10) })).postMessage;
    expect(ten.attachments).toHaveLength(10);
  });

  it('the proposal’s rules: a type not allowed, a missing CSRF header and strangers are refused before anything is stored', async () => {
    const proposalId = await proposalInDialogue();
    const thread = await startThread(s.member, proposalId, 'SHARED');
    const before = await stored(proposalId);
    const exe = await upload(s.member, thread.id, exeBytes(), 'setup.pdf');
    expect([exe.status, exe.body.errors[0].extensions.fields[0].code]).toEqual([400, 'NOT_ACCEPTED']);
    expect((await upload(s.member, thread.id, pdfBytes(), 'a.pdf', false)).status).toBe(403);
    expect((await upload(s.public, thread.id)).status).toBe(401);
    for (const who of ['otherMember', 'unmatched'] as const) expect([who, (await upload(s[who], thread.id)).status]).toEqual([who, 404]);
    expect(await stored(proposalId)).toEqual(before);
  });
});

describe('a protected message in notifications and mail', () => {
  it('its text is nowhere in the notification table, the notification view or the mail outbox', async () => {
    const SECRET = `独自工法の詳細-${randomUUID()}`;
    const proposalId = await proposalInDialogue();
    const thread = await startThread(s.desk, proposalId, 'SHARED');
    const leadPost = (await s.lead.ok(POST, { t: thread.id, b: '拝見します' })).postMessage;
    const mention = `@[${a.lead.displayName}](account:${a.lead.id})`;
    const posted = (await s.member.ok(POST, { t: thread.id, b: `${mention} ${SECRET}` })).postMessage;
    const offered = async (who: HttpSession) =>
      Object.fromEntries((await who.ok(CAN_PROTECT, { id: thread.id })).thread.messages.edges.map((e: any) => [e.node.id, [e.node.viewerCanRequestProtection, e.node.protection]]));
    // Offered to the proposer's side on its own side's messages only; never to the ward.
    expect(await offered(s.member2)).toEqual({ [thread.firstMessageId]: [false, null], [leadPost.id]: [false, null], [posted.id]: [true, null] });
    expect(Object.values(await offered(s.desk)).map(([can]) => can)).toEqual([false, false, false]);
    await s.member.ok(REQUEST_PROTECTION, { p: proposalId, item: { kind: 'MESSAGE', messageId: posted.id }, r: '独自のノウハウ' });
    expect((await offered(s.member2))[posted.id]).toEqual([false, 'REQUESTED']);
    expect((await offered(s.lead))[posted.id]).toEqual([false, 'REQUESTED']);
    // Edited while protected, mentioning someone new: told again, still without the text.
    const deskMention = `@[${a.desk.displayName}](account:${a.desk.id})`;
    await s.member.ok(EDIT, { m: posted.id, b: `${mention} ${deskMention} ${SECRET} 追記`, v: posted.version });

    const sql = server.db.orm.em.fork().getConnection();
    const rows = await sql.execute<Array<{ row: string }>>('select row_to_json(n)::text as row from notification n where proposal_id = ?', [proposalId]);
    expect(rows.length).toBeGreaterThan(0);
    for (const { row } of rows) expect(row).not.toContain(SECRET);
    const mails = await sql.execute<Array<{ row: string }>>('select row_to_json(m)::text as row from mail_message m');
    for (const { row } of mails) expect(row).not.toContain(SECRET);
    const events = await sql.execute<Array<{ row: string }>>(`select row_to_json(e)::text as row from domain_event e where topic = 'notification'`);
    for (const { row } of events) expect(row).not.toContain(SECRET);
    for (const who of ['desk', 'lead', 'support', 'member2'] as const) {
      const view = JSON.stringify(await s[who].ok(NOTIFICATIONS));
      expect([who, view.includes(SECRET)]).toEqual([who, false]);
    }
    const leadView = (await s.lead.ok(NOTIFICATIONS)).notifications.edges.map((e: any) => e.node.kind);
    expect(leadView).toContain('MENTION');
  });
});
