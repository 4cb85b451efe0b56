import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Account, Role } from '../identity/account.entity.js';
import { DomainEvent } from '../events/domain-event.entity.js';
import { Membership } from '../organisations/membership.entity.js';
import { Organisation, OrganisationKind } from '../organisations/organisation.entity.js';
import { Proposal, ProposalState } from '../proposals/proposal.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, subscribe } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount } from '../../test/factories.js';
import { Attachment } from './attachment.entity.js';
import { listStoredKeys } from './local-disk-storage.js';
import { exeBytes, jpegBytes, ooxmlBytes, pdfBytes, pngBytes, zipBytes, ascii } from './file-fixtures.js';

let server: TestServer;
let baseUrl: string;
let storageDir: string;
let orgA: Organisation;
let orgB: Organisation;
let memberA: HttpSession;
let colleagueA: HttpSession;
let memberB: HttpSession;
let desk: HttpSession;
let visitor: HttpSession;
let accountA: Account;

async function createOrganisation(name: string): Promise<Organisation> {
  const em = server.db.orm.em.fork();
  const organisation = Object.assign(new Organisation(), {
    name,
    nameKana: 'テスト',
    kind: OrganisationKind.COMPANY,
    corporateNumber: null,
    address: '東京都板橋区板橋二丁目66番1号',
    representative: '代表 太郎',
    contactName: '担当 花子',
    contactEmail: 'contact@example.jp',
    contactPhone: '03-0000-0000',
  });
  await em.persist(organisation).flush();
  return organisation;
}

async function signInMember(organisation: Organisation): Promise<{ session: HttpSession; account: Account }> {
  const em = server.db.orm.em.fork();
  const account = await createAccount(em, Role.PROPOSER);
  await em.persist(new Membership(em.getReference(Organisation, organisation.id), account)).flush();
  return { session: await new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD), account };
}

async function createProposal(organisation: Organisation, options: { submitted?: boolean; state?: ProposalState } = {}): Promise<string> {
  const em = server.db.orm.em.fork();
  const proposal = new Proposal(em.getReference(Organisation, organisation.id), accountA.id);
  proposal.title = '公園の見守り';
  if (options.submitted) proposal.submittedAt = new Date();
  if (options.state) proposal.state = options.state;
  await em.persist(proposal).flush();
  return proposal.id;
}

async function setProposal(id: string, changes: { state: ProposalState; submitted: boolean }): Promise<void> {
  const em = server.db.orm.em.fork();
  const proposal = await em.findOneOrFail(Proposal, { id });
  proposal.state = changes.state;
  proposal.submittedAt = changes.submitted ? (proposal.submittedAt ?? new Date()) : null;
  await em.flush();
}

interface UploadOptions {
  name?: string | null;
  csrf?: boolean;
  headers?: Record<string, string>;
}

async function upload(session: HttpSession, proposalId: string, bytes: Uint8Array, options: UploadOptions = {}): Promise<{ status: number; body: any }> {
  const name = options.name === undefined ? 'file.pdf' : options.name;
  const response = await fetch(`${baseUrl}/api/proposals/${proposalId}/attachments`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      ...(options.csrf === false ? {} : { 'x-renkei-request': '1' }),
      ...(name === null ? {} : { 'x-file-name': encodeURIComponent(name) }),
      ...(session.cookie ? { cookie: session.cookie } : {}),
      ...options.headers,
    },
    body: new Uint8Array(bytes),
  });
  return { status: response.status, body: await response.json() };
}

async function download(session: HttpSession, id: string): Promise<Response> {
  return fetch(`${baseUrl}/api/attachments/${id}`, { headers: session.cookie ? { cookie: session.cookie } : {} });
}

async function state(proposalId?: string): Promise<{ rows: number; live: number; files: string[]; events: number }> {
  const em = server.db.orm.em.fork();
  const where = proposalId ? { proposal: proposalId } : {};
  return {
    rows: await em.count(Attachment, where),
    live: await em.count(Attachment, { ...where, deletedAt: null }),
    files: listStoredKeys(storageDir),
    events: await em.count(DomainEvent, { topic: 'proposal' }),
  };
}

function fieldCode(body: any): string | undefined {
  return body?.errors?.[0]?.extensions?.fields?.[0]?.code;
}

beforeAll(async () => {
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-attachments-'));
  server = await startTestServer({ ATTACHMENTS_DIR: storageDir });
  baseUrl = server.httpUrl.replace(/\/graphql$/, '');
  orgA = await createOrganisation('板橋テスト株式会社');
  orgB = await createOrganisation('他社株式会社');
  ({ session: memberA, account: accountA } = await signInMember(orgA));
  ({ session: colleagueA } = await signInMember(orgA));
  ({ session: memberB } = await signInMember(orgB));
  const deskAccount = await createAccount(server.db.orm.em.fork(), Role.DESK);
  desk = await new HttpSession(server.httpUrl).login(deskAccount.email, TEST_PASSWORD);
  visitor = new HttpSession(server.httpUrl);
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(storageDir, { recursive: true, force: true });
});

describe('upload and download', () => {
  it('a member uploads a PDF: stored under a random sharded key outside the served files, one row, one event', async () => {
    const proposalId = await createProposal(orgA);
    const before = await state();
    const bytes = pdfBytes(1000);
    const { status, body } = await upload(memberA, proposalId, bytes, { name: '提案書 (案).pdf' });
    expect(status).toBe(201);
    expect(body.attachment).toEqual({ id: expect.any(String), fileName: '提案書 (案).pdf', mediaType: 'application/pdf', sizeBytes: bytes.length, uploadedAt: expect.any(String) });
    const after = await state();
    expect(after.rows).toBe(before.rows + 1);
    expect(after.events).toBe(before.events + 1);
    expect(after.files).toHaveLength(before.files.length + 1);
    const row = await server.db.orm.em.fork().findOneOrFail(Attachment, { id: body.attachment.id });
    expect(row.storageKey).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const stored = path.join(storageDir, row.storageKey.slice(0, 2), row.storageKey.slice(2, 4), row.storageKey);
    expect(fs.readFileSync(stored).equals(bytes)).toBe(true);
    expect(row.uploadedBy).toBe(accountA.id);
    const event = await server.db.orm.em.fork().findOneOrFail(DomainEvent, { topic: 'proposal', kind: 'ATTACHMENT_ADDED', aggregateId: proposalId });
    expect(JSON.stringify(event.payload)).not.toContain('提案書');
  });

  it('a member downloads it as an attachment with nosniff, private and no-store; a colleague too', async () => {
    const proposalId = await createProposal(orgA);
    const bytes = pdfBytes(50);
    const { body } = await upload(memberA, proposalId, bytes, { name: '板橋区 "提案".pdf' });
    for (const session of [memberA, colleagueA]) {
      const response = await download(session, body.attachment.id);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="___ ____.pdf"; filename*=UTF-8''${encodeURIComponent('板橋区 "提案".pdf')}`);
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    }
  });

  it('the type is the content’s: a PNG named .pdf is stored and served as image/png (and named .png)', async () => {
    const proposalId = await createProposal(orgA);
    const { status, body } = await upload(memberA, proposalId, pngBytes(), { name: 'map.pdf', headers: { 'content-type': 'application/pdf' } });
    expect(status).toBe(201);
    expect(body.attachment).toMatchObject({ mediaType: 'image/png', fileName: 'map.png' });
    const response = await download(memberA, body.attachment.id);
    expect(response.headers.get('content-type')).toBe('image/png');
  });

  it('Office documents are accepted: docx, xlsx, pptx, JPEG', async () => {
    const proposalId = await createProposal(orgA);
    const results = [];
    for (const [bytes, name] of [
      [ooxmlBytes('docx'), 'a.docx'],
      [ooxmlBytes('xlsx'), 'b.xlsx'],
      [ooxmlBytes('pptx'), 'c.pptx'],
      [jpegBytes(), 'd.jpg'],
    ] as const) {
      results.push(await upload(memberA, proposalId, bytes, { name }));
    }
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(results.map((r) => r.body.attachment.mediaType)).toEqual([
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      'image/jpeg',
    ]);
  });

  it('the desk downloads once the proposal is submitted, and not before', async () => {
    const proposalId = await createProposal(orgA);
    const { body } = await upload(memberA, proposalId, pdfBytes());
    expect((await download(desk, body.attachment.id)).status).toBe(404);
    await setProposal(proposalId, { state: ProposalState.SUBMITTED, submitted: true });
    const response = await download(desk, body.attachment.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('another organisation’s member and the public get 404, exactly as for a missing attachment', async () => {
    const proposalId = await createProposal(orgA, { submitted: true, state: ProposalState.SUBMITTED });
    await setProposal(proposalId, { state: ProposalState.DRAFT, submitted: true });
    const { body } = await upload(memberA, proposalId, pdfBytes());
    const missing = await download(memberB, '00000000-0000-4000-8000-000000000000');
    const missingBody = await missing.json();
    for (const session of [memberB, visitor]) {
      const response = await download(session, body.attachment.id);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual(missingBody);
    }
    expect((await download(memberB, 'not-a-uuid')).status).toBe(404);
    expect(missingBody.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('every download re-checks access: a member who leaves loses it at once', async () => {
    const { session, account } = await signInMember(orgA);
    const proposalId = await createProposal(orgA);
    const { body } = await upload(session, proposalId, pdfBytes());
    expect((await download(session, body.attachment.id)).status).toBe(200);
    const em = server.db.orm.em.fork();
    const membership = await em.findOneOrFail(Membership, { account: account.id, leftAt: null });
    membership.leftAt = new Date();
    await em.flush();
    expect((await download(session, body.attachment.id)).status).toBe(404);
  });
});

describe('who may upload', () => {
  it('another organisation’s member gets 404, the same as for a missing proposal; the public must sign in', async () => {
    const proposalId = await createProposal(orgA);
    const before = await state();
    const other = await upload(memberB, proposalId, pdfBytes());
    const missing = await upload(memberB, '00000000-0000-4000-8000-000000000000', pdfBytes());
    expect(other.status).toBe(404);
    expect(other.body).toEqual(missing.body);
    const publicUpload = await upload(visitor, proposalId, pdfBytes());
    expect(publicUpload.status).toBe(401);
    expect(publicUpload.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await state()).toEqual(before);
  });

  it('once submitted the proposal’s attachments are fixed: FORBIDDEN for its members; the desk may not upload', async () => {
    const proposalId = await createProposal(orgA, { submitted: true, state: ProposalState.SUBMITTED });
    const before = await state();
    const member = await upload(memberA, proposalId, pdfBytes());
    expect(member.status).toBe(403);
    expect(member.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await upload(desk, proposalId, pdfBytes())).status).toBe(403);
    expect(await state()).toEqual(before);
  });

  it('without the X-Renkei-Request header (a cross-site form could post) the upload is refused', async () => {
    const proposalId = await createProposal(orgA);
    const before = await state();
    const { status, body } = await upload(memberA, proposalId, pdfBytes(), { csrf: false });
    expect(status).toBe(403);
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await upload(memberA, proposalId, pdfBytes(), { headers: { 'x-renkei-request': '0' } })).status).toBe(403);
    expect(await state()).toEqual(before);
  });
});

describe('bad input: a clear error, nothing stored', () => {
  it.each([
    ['a 13 MB executable renamed .pdf', () => exeBytes(13 * 1024 * 1024), 'image.pdf'],
    ['a macro-enabled .xlsm', () => ooxmlBytes('xlsm', { vbaProject: true }), '予算.xlsm'],
    ['the same workbook renamed .xlsx', () => ooxmlBytes('xlsm', { vbaProject: true }), '予算.xlsx'],
    ['a ZIP that is not an Office document', () => zipBytes([{ name: 'setup.exe', data: exeBytes(100) }]), 'docs.zip'],
    ['HTML', () => ascii('<!doctype html><script>fetch("/graphql")</script>'), 'page.pdf'],
    ['SVG', () => ascii('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'logo.png'],
  ])('%s → NOT_ACCEPTED', async (_label, bytes, name) => {
    const proposalId = await createProposal(orgA);
    const before = await state();
    const { status, body } = await upload(memberA, proposalId, bytes(), { name });
    expect(status).toBe(400);
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'file', code: 'NOT_ACCEPTED' }] });
    expect(await state()).toEqual(before);
  });

  it.each([
    ['no X-File-Name', null, 'INVALID'],
    ['a blank name', '   ', 'INVALID'],
    ['a control character', 'a\u0000b.pdf', 'INVALID'],
    ['a right-to-left override', 'invoice\u202Efdp.exe', 'INVALID'],
    ['201 characters', `${'あ'.repeat(197)}.pdf`, 'TOO_LONG'],
  ])('%s → %s', async (_label, name, code) => {
    const proposalId = await createProposal(orgA);
    const before = await state();
    const { status, body } = await upload(memberA, proposalId, pdfBytes(), { name });
    expect(status).toBe(400);
    expect(fieldCode(body)).toBe(code);
    expect(await state()).toEqual(before);
  });

  it('a header that is not percent-encoded UTF-8 → INVALID; a path is cut to its last segment', async () => {
    const proposalId = await createProposal(orgA);
    const bad = await upload(memberA, proposalId, pdfBytes(), { name: null, headers: { 'x-file-name': '%E3%81' } });
    expect(fieldCode(bad.body)).toBe('INVALID');
    const withPath = await upload(memberA, proposalId, pdfBytes(), { name: 'C:\\Users\\me\\..\\提案.pdf' });
    expect(withPath.body.attachment.fileName).toBe('提案.pdf');
  });

  it('an empty body → INVALID', async () => {
    const proposalId = await createProposal(orgA);
    const { status, body } = await upload(memberA, proposalId, new Uint8Array(0));
    expect(status).toBe(400);
    expect(fieldCode(body)).toBe('INVALID');
  });

  it('an 11th attachment → 409 TOO_MANY; removing one makes room', async () => {
    const proposalId = await createProposal(orgA);
    for (let i = 0; i < 10; i++) expect((await upload(memberA, proposalId, pngBytes(), { name: `p${i}.png` })).status).toBe(201);
    const before = await state();
    const eleventh = await upload(memberA, proposalId, pngBytes(), { name: 'p10.png' });
    expect(eleventh.status).toBe(409);
    expect(eleventh.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'file', code: 'TOO_MANY' }] });
    expect(await state()).toEqual(before);
    const first = await server.db.orm.em.fork().findOneOrFail(Attachment, { proposal: proposalId }, { orderBy: { uploadedAt: 'asc' } });
    await memberA.ok('mutation($id: ID!) { deleteAttachment(id: $id) }', { id: first.id });
    expect((await upload(memberA, proposalId, pngBytes(), { name: 'p10.png' })).status).toBe(201);
  });

  it('concurrent uploads cannot make an 11th: the count is taken under a lock on the proposal', async () => {
    const proposalId = await createProposal(orgA);
    for (let i = 0; i < 8; i++) await upload(memberA, proposalId, pngBytes(), { name: `p${i}.png` });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => upload(i % 2 ? colleagueA : memberA, proposalId, pdfBytes(i), { name: `c${i}.pdf` })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409, 409]);
    const after = await state(proposalId);
    expect(after.live).toBe(10);
    // Every refused upload removed the bytes it had stored.
    const em = server.db.orm.em.fork();
    const keys = new Set((await em.find(Attachment, {}, { fields: ['storageKey'] })).map((row) => row.storageKey));
    expect(after.files.filter((file) => !keys.has(file))).toEqual([]);
  });

  it('a commit that fails removes the stored bytes: nothing half-saved', async () => {
    const proposalId = await createProposal(orgA);
    const connection = server.db.orm.em.getConnection();
    await connection.execute(`create function refuse_attachment() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`);
    await connection.execute(`create trigger refuse_attachment before insert on attachment for each row execute function refuse_attachment()`);
    try {
      const before = await state();
      const { status, body } = await upload(memberA, proposalId, pdfBytes());
      expect(status).toBe(500);
      expect(body.errors[0].extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) });
      expect(JSON.stringify(body)).not.toContain('disk full');
      expect(await state()).toEqual(before);
    } finally {
      await connection.execute('drop trigger refuse_attachment on attachment');
      await connection.execute('drop function refuse_attachment()');
    }
    expect((await upload(memberA, proposalId, pdfBytes())).status).toBe(201);
  });
});

describe('size limit: 20 MB, refused without reading the rest', () => {
  /** Posts with node:http so the test controls how much of the body is ever sent. */
  function rawUpload(proposalId: string, headers: Record<string, string | number>, send: (req: http.ClientRequest, answered: () => boolean) => void): Promise<{ status: number; body: any; sent: number }> {
    return new Promise((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = http.request(`${baseUrl}/api/proposals/${proposalId}/attachments`, {
        method: 'POST',
        headers: { 'x-renkei-request': '1', 'x-file-name': 'big.pdf', 'content-type': 'application/octet-stream', cookie: memberA.cookie!, ...headers },
      });
      const write = req.write.bind(req);
      req.write = ((chunk: Buffer, ...rest: never[]) => {
        sent += chunk.length;
        return write(chunk, ...rest);
      }) as typeof req.write;
      req.on('response', (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), sent }));
      });
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      send(req, () => answered);
    });
  }

  it('a declared Content-Length over 20 MB is answered 413 before the body is sent', async () => {
    const proposalId = await createProposal(orgA);
    const before = await state();
    const result = await rawUpload(proposalId, { 'content-length': 21 * 1024 * 1024 }, (req) => {
      req.write(pdfBytes(1024 * 1024)); // 1 MB, then nothing: the server must not wait for the rest
    });
    expect(result.status).toBe(413);
    expect(result.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'file', code: 'TOO_LONG' }] });
    expect(result.sent).toBeLessThan(2 * 1024 * 1024);
    expect(await state()).toEqual(before);
  });

  it('a chunked body is cut off just past 20 MB: 413, the client is stopped long before it has sent 200 MB', async () => {
    const proposalId = await createProposal(orgA);
    const before = await state();
    const chunk = Buffer.concat([pdfBytes(), Buffer.alloc(256 * 1024 - pdfBytes().length, 0x20)]);
    const result = await rawUpload(proposalId, { 'transfer-encoding': 'chunked' }, (req, answered) => {
      let total = 0;
      const pump = (): void => {
        while (!answered() && !req.destroyed && total < 200 * 1024 * 1024) {
          total += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered() && !req.destroyed) req.end();
      };
      req.on('error', () => undefined);
      pump();
    });
    expect(result.status).toBe(413);
    expect(fieldCode(result.body)).toBe('TOO_LONG');
    // 20 MB read, a few more discarded while the answer reaches the client, then the connection is closed.
    expect(result.sent).toBeLessThan(40 * 1024 * 1024);
    expect(await state()).toEqual(before);
  });

  it('exactly 20 MB is accepted', async () => {
    const proposalId = await createProposal(orgA);
    const { status, body } = await upload(memberA, proposalId, pdfBytes(20 * 1024 * 1024 - pdfBytes().length));
    expect(status).toBe(201);
    expect(body.attachment.sizeBytes).toBe(20 * 1024 * 1024);
  });
});

describe('GraphQL', () => {
  const LIST = 'query { proposals(first: 50) { edges { node { id attachments { id fileName mediaType sizeBytes downloadPath } } } } }';

  it('Proposal.attachments lists the live ones, oldest first, in one query for a whole page', async () => {
    const ids = [await createProposal(orgB), await createProposal(orgB), await createProposal(orgB)];
    await upload(memberB, ids[0]!, pdfBytes(), { name: 'one.pdf' });
    await upload(memberB, ids[0]!, pngBytes(), { name: 'two.png' });
    await upload(memberB, ids[2]!, jpegBytes(), { name: 'three.jpg' });
    const connection = server.db.orm.em.getConnection();
    const spy = vi.spyOn(connection, 'execute');
    const data = await memberB.ok(LIST);
    const attachmentQueries = spy.mock.calls.filter(([sql]) => typeof sql === 'string' && /from "attachment"/.test(sql));
    spy.mockRestore();
    const byId = new Map(data.proposals.edges.map((edge: any) => [edge.node.id, edge.node.attachments]));
    expect((byId.get(ids[0]) as any[]).map((a) => a.fileName)).toEqual(['one.pdf', 'two.png']);
    expect(byId.get(ids[1])).toEqual([]);
    expect((byId.get(ids[2]) as any[])[0]).toMatchObject({ fileName: 'three.jpg', mediaType: 'image/jpeg', downloadPath: expect.stringMatching(/^\/api\/attachments\//) });
    expect(attachmentQueries).toHaveLength(1);
  });

  it('deleteAttachment: a member removes it (soft), the bytes go, the download is 404, an event is recorded', async () => {
    const proposalId = await createProposal(orgA);
    const { body } = await upload(memberA, proposalId, pdfBytes());
    const id = body.attachment.id;
    const row = await server.db.orm.em.fork().findOneOrFail(Attachment, { id });
    const before = await state();
    expect((await memberA.ok('mutation($id: ID!) { deleteAttachment(id: $id) }', { id })).deleteAttachment).toBe(true);
    const after = await state();
    expect(after.rows).toBe(before.rows);
    expect(after.live).toBe(before.live - 1);
    expect(after.files).not.toContain(row.storageKey);
    expect(after.events).toBe(before.events + 1);
    expect((await server.db.orm.em.fork().findOneOrFail(Attachment, { id })).deletedAt).toBeInstanceOf(Date);
    expect((await download(memberA, id)).status).toBe(404);
    const again = await memberA.request('mutation($id: ID!) { deleteAttachment(id: $id) }', { id });
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('deleteAttachment by another organisation or the desk on a draft: NOT_FOUND; on a submitted proposal: FORBIDDEN; the public: UNAUTHENTICATED', async () => {
    const proposalId = await createProposal(orgA);
    const { body } = await upload(memberA, proposalId, pdfBytes());
    const id = body.attachment.id;
    const DELETE = 'mutation($id: ID!) { deleteAttachment(id: $id) }';
    expect((await memberB.request(DELETE, { id })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await desk.request(DELETE, { id })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await visitor.request(DELETE, { id })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await setProposal(proposalId, { state: ProposalState.SUBMITTED, submitted: true });
    expect((await desk.request(DELETE, { id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await memberA.request(DELETE, { id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await download(memberA, id)).status).toBe(200);
    expect((await memberA.request(DELETE, { id: 'nope' })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

/** Attachment events go on the proposal topic, so views of the proposal refresh live. */
describe('live views', () => {
  it('a member watching the proposal sees ATTACHMENT_ADDED and ATTACHMENT_REMOVED; another organisation sees nothing', async () => {
    const proposalId = await createProposal(orgA);
    const SUB = 'subscription { proposalEvents { kind proposalId proposal { id attachments { fileName } } } }';
    const watcher = colleagueA.websocket(server.wsUrl);
    const stranger = memberB.websocket(server.wsUrl);
    const mine = subscribe(watcher, SUB);
    const theirs = subscribe(stranger, SUB);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const { body } = await upload(memberA, proposalId, pdfBytes(), { name: 'live.pdf' });
      await mine.collected.until((items) => items.some((item) => item.data?.proposalEvents?.kind === 'ATTACHMENT_ADDED'));
      const added = mine.collected.items.find((item) => item.data?.proposalEvents?.kind === 'ATTACHMENT_ADDED')!;
      expect(added.data!.proposalEvents).toEqual({ kind: 'ATTACHMENT_ADDED', proposalId, proposal: { id: proposalId, attachments: [{ fileName: 'live.pdf' }] } });
      await memberA.ok('mutation($id: ID!) { deleteAttachment(id: $id) }', { id: body.attachment.id });
      await mine.collected.until((items) => items.some((item) => item.data?.proposalEvents?.kind === 'ATTACHMENT_REMOVED'));
      expect(mine.collected.items.every((item) => !item.errors)).toBe(true);
      expect(theirs.collected.items).toEqual([]);
    } finally {
      mine.stop();
      theirs.stop();
      await watcher.dispose();
      await stranger.dispose();
    }
  });
});

describe('storage', () => {
  it('keys are random and unrelated to the name', async () => {
    const proposalId = await createProposal(orgA);
    const a = await upload(memberA, proposalId, pdfBytes(), { name: 'same.pdf' });
    const b = await upload(memberA, proposalId, pdfBytes(), { name: 'same.pdf' });
    const em = server.db.orm.em.fork();
    const [ra, rb] = [await em.findOneOrFail(Attachment, { id: a.body.attachment.id }), await em.findOneOrFail(Attachment, { id: b.body.attachment.id })];
    expect(ra.storageKey).not.toBe(rb.storageKey);
    expect(ra.sha256).toBe(rb.sha256);
    expect(ra.storageKey).not.toContain('same');
  });
});
