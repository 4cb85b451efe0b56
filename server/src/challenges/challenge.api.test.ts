import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import { Challenge } from './challenge.entity.js';
import { DomainEvent } from '../events/domain-event.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { CHALLENGE_FIELDS_FRAGMENT, CHALLENGE_INPUT, TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import type { Section } from '../sections/section.entity.js';

const CREATE = `mutation($input: ChallengeInput!, $key: String) { createChallenge(input: $input, idempotencyKey: $key) { ${CHALLENGE_FIELDS_FRAGMENT} } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: ChallengeInput!) { updateChallenge(id: $id, expectedVersion: $v, input: $input) { ${CHALLENGE_FIELDS_FRAGMENT} } }`;
const OPEN = `mutation($id: ID!, $v: Int!) { openChallenge(id: $id, expectedVersion: $v) { ${CHALLENGE_FIELDS_FRAGMENT} } }`;
const PUBLISH = `mutation($id: ID!, $v: Int!) { publishChallenge(id: $id, expectedVersion: $v) { ${CHALLENGE_FIELDS_FRAGMENT} } }`;
const UNPUBLISH = `mutation($id: ID!, $v: Int!, $r: String!) { unpublishChallenge(id: $id, expectedVersion: $v, reason: $r) { ${CHALLENGE_FIELDS_FRAGMENT} } }`;
const GET = `query($id: ID!) { challenge(id: $id) { ${CHALLENGE_FIELDS_FRAGMENT} } }`;
const LIST = `query($first: Int!, $after: String, $filter: ChallengeFilter) { challenges(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id title } } } }`;

let server: TestServer;
let desk: HttpSession;
let otherDesk: HttpSession;
let sectionStaff: HttpSession;
let otherSectionStaff: HttpSession;
let proposer: HttpSession;
let visitor: HttpSession;
let owning: Section;
let other: Section;

async function signIn(role: Role, section: Section | null = null): Promise<HttpSession> {
  const account = await createAccount(server.db.orm.em.fork(), role, section);
  return new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
}

async function countRows(): Promise<{ challenges: number; events: number }> {
  const em = server.db.orm.em.fork();
  return { challenges: await em.count(Challenge, {}), events: await em.count(DomainEvent, {}) };
}

async function createDraft(title = CHALLENGE_INPUT.title): Promise<{ id: string; version: number }> {
  const data = await desk.ok(CREATE, { input: { ...CHALLENGE_INPUT, title, owningSectionId: owning.id } });
  return data.createChallenge;
}

async function createPublished(title: string): Promise<{ id: string; version: number }> {
  const draft = await createDraft(title);
  const opened = (await desk.ok(OPEN, { id: draft.id, v: draft.version })).openChallenge;
  return (await desk.ok(PUBLISH, { id: opened.id, v: opened.version })).publishChallenge;
}

beforeAll(async () => {
  server = await startTestServer();
  [owning, other] = (await createDepartmentWithSections(server.db.orm.em.fork(), ['環境政策課', '産業振興課'])) as [Section, Section];
  desk = await signIn(Role.DESK);
  otherDesk = await signIn(Role.DESK);
  sectionStaff = await signIn(Role.SECTION, owning!);
  otherSectionStaff = await signIn(Role.SECTION, other!);
  proposer = await signIn(Role.PROPOSER);
  visitor = new HttpSession(server.httpUrl);
});

afterAll(async () => {
  await server?.stop();
});

describe('who sees a challenge', () => {
  it('keeps a draft from the public, proposers and other sections, but shows it to the desk and its owning section', async () => {
    const draft = await createDraft('下書きの課題（非公開）');
    for (const outsider of [visitor, proposer, otherSectionStaff]) {
      expect((await outsider.ok(GET, { id: draft.id })).challenge).toBeNull();
      const list = await outsider.ok(LIST, { first: 100 });
      expect(list.challenges.edges.map((edge: any) => edge.node.id)).not.toContain(draft.id);
    }
    expect((await desk.ok(GET, { id: draft.id })).challenge.title).toBe('下書きの課題（非公開）');
    expect((await sectionStaff.ok(GET, { id: draft.id })).challenge.id).toBe(draft.id);
  });

  it('shows a published open challenge to everyone, and counts only what each viewer may see', async () => {
    const before = (await visitor.ok(LIST, { first: 100 })).challenges.totalCount;
    const deskBefore = (await desk.ok(LIST, { first: 100 })).challenges.totalCount;
    const published = await createPublished('公開された課題');
    await createDraft('もう一つの下書き');
    const after = await visitor.ok(LIST, { first: 100 });
    expect(after.challenges.totalCount).toBe(before + 1);
    expect(after.challenges.edges.map((edge: any) => edge.node.id)).toContain(published.id);
    expect((await desk.ok(LIST, { first: 100 })).challenges.totalCount).toBe(deskBefore + 2);
    const seen = await visitor.ok(GET, { id: published.id });
    expect(seen.challenge.viewerCan).toEqual({ edit: false, open: false, close: false, publish: false, unpublish: false });
  });

  it('pages with a cursor without repeating or skipping', async () => {
    for (let i = 0; i < 5; i += 1) await createDraft(`ページ送り ${i}`);
    const all = (await desk.ok(LIST, { first: 100 })).challenges;
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = (await desk.ok(LIST, { first: 2, after })).challenges;
      seen.push(...page.edges.map((edge: any) => edge.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all.edges.map((edge: any) => edge.node.id));
    expect(new Set(seen).size).toBe(all.totalCount);
  });

  it('hides an unpublished challenge again', async () => {
    const published = await createPublished('一度公開して取り下げる課題');
    expect((await visitor.ok(GET, { id: published.id })).challenge).not.toBeNull();
    await desk.ok(UNPUBLISH, { id: published.id, v: published.version, r: '内容を見直すため' });
    expect((await visitor.ok(GET, { id: published.id })).challenge).toBeNull();
  });
});

describe('changing a challenge', () => {
  it('refuses a stale edit with CONFLICT and keeps the newer text', async () => {
    const draft = await createDraft('版の確認');
    const first = (await desk.ok(UPDATE, { id: draft.id, v: draft.version, input: { ...CHALLENGE_INPUT, title: '一人目の編集', owningSectionId: owning.id } })).updateChallenge;
    expect(first.version).toBe(draft.version + 1);
    const stale = await otherDesk.request(UPDATE, { id: draft.id, v: draft.version, input: { ...CHALLENGE_INPUT, title: '二人目の古い編集', owningSectionId: owning.id } });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'STALE_VERSION', currentVersion: draft.version + 1 });
    expect((await desk.ok(GET, { id: draft.id })).challenge.title).toBe('一人目の編集');
  });

  it('answers bad input with per-field codes and writes nothing', async () => {
    const before = await countRows();
    const result = await desk.request(CREATE, {
      input: { ...CHALLENGE_INPUT, title: 'あ'.repeat(201), description: '  ', fieldCodes: ['no-such-field'], periodStart: '2027-04-01', periodEnd: '2027-03-01', owningSectionId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const fields = Object.fromEntries((result.errors?.[0]?.extensions?.fields ?? []).map((f) => [f.field, f.code]));
    expect(fields).toMatchObject({ title: 'TOO_LONG', description: 'REQUIRED', fieldCodes: 'UNKNOWN_REFERENCE', periodEnd: 'OUT_OF_ORDER' });
    const unknownSection = await desk.request(CREATE, { input: { ...CHALLENGE_INPUT, owningSectionId: '00000000-0000-4000-8000-000000000000' } });
    expect(unknownSection.errors?.[0]?.extensions?.fields).toEqual([expect.objectContaining({ field: 'owningSectionId', code: 'UNKNOWN_REFERENCE' })]);
    expect(await countRows()).toEqual(before);
  });

  it('refuses to publish without an owning section, and writes nothing', async () => {
    const draft = (await desk.ok(CREATE, { input: { ...CHALLENGE_INPUT, owningSectionId: null } })).createChallenge;
    const opened = (await desk.ok(OPEN, { id: draft.id, v: draft.version })).openChallenge;
    const before = await countRows();
    const result = await desk.request(PUBLISH, { id: opened.id, v: opened.version });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ field: 'owningSectionId', code: 'REQUIRED' })] });
    expect((await desk.ok(GET, { id: draft.id })).challenge.published).toBe(false);
    expect(await countRows()).toEqual(before);
  });

  it('answers an illegal transition with CONFLICT', async () => {
    const draft = await createDraft('遷移の確認');
    const result = await desk.request(`mutation($id: ID!, $v: Int!) { closeChallenge(id: $id, expectedVersion: $v) { id } }`, { id: draft.id, v: draft.version });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ILLEGAL_STATE' });
  });

  it('makes unknown, malformed and invisible ids look the same', async () => {
    const draft = await createDraft('見えない課題');
    const answers = await Promise.all(
      ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', draft.id].map((id) => proposer.request(UPDATE, { id, v: 1, input: { ...CHALLENGE_INPUT } })),
    );
    for (const answer of answers) {
      expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const looks = await Promise.all(['00000000-0000-4000-8000-000000000000', 'not-a-uuid', draft.id].map((id) => proposer.request(GET, { id })));
    expect(looks.map((look) => look.data?.challenge)).toEqual([null, null, null]);
  });

  it('lets only the desk change challenges', async () => {
    const published = await createPublished('権限の確認');
    const anonymous = await visitor.request(CREATE, { input: CHALLENGE_INPUT });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const session of [proposer, sectionStaff]) {
      const create = await session.request(CREATE, { input: CHALLENGE_INPUT });
      expect(create.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const edit = await session.request(UPDATE, { id: published.id, v: published.version, input: CHALLENGE_INPUT });
      expect(edit.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await visitor.ok(GET, { id: published.id })).challenge.title).toBe('権限の確認');
  });

  it('returns the first result for a retried create with the same idempotency key', async () => {
    const before = await countRows();
    const key = 'retry-key-0001';
    const [a, b] = await Promise.all([
      desk.ok(CREATE, { input: { ...CHALLENGE_INPUT, title: '再送された作成' }, key }),
      desk.ok(CREATE, { input: { ...CHALLENGE_INPUT, title: '再送された作成' }, key }),
    ]);
    const c = await desk.ok(CREATE, { input: { ...CHALLENGE_INPUT, title: '再送された作成' }, key });
    expect(a.createChallenge.id).toBe(b.createChallenge.id);
    expect(c.createChallenge.id).toBe(a.createChallenge.id);
    expect(await countRows()).toEqual({ challenges: before.challenges + 1, events: before.events + 1 });
  });
});
