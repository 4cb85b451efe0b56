import { randomBytes, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import { DomainEvent } from '../events/domain-event.entity.js';
import { ormConfig } from '../db/orm.js';
import { Department } from './department.entity.js';
import { Section } from './section.entity.js';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, type GraphqlResult } from '../../test/graphql-client.js';
import { CHALLENGE_INPUT, TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';

const SECTION_FIELDS = 'id name retired version isDesk department { id name }';
const DEPARTMENTS = `{ departments { id name sections { id name retired version } } }`;
const DEPARTMENTS_WITH_RETIRED = `{ departments { id name sections(includeRetired: true) { id name retired version } } }`;
const CREATE = `mutation($d: ID!, $name: String!) { createSection(departmentId: $d, name: $name) { ${SECTION_FIELDS} } }`;
const RENAME = `mutation($id: ID!, $v: Int!, $name: String!) { renameSection(id: $id, expectedVersion: $v, name: $name) { ${SECTION_FIELDS} } }`;
const RETIRE = `mutation($id: ID!, $v: Int!) { retireSection(id: $id, expectedVersion: $v) { ${SECTION_FIELDS} } }`;
const CREATE_CHALLENGE = `mutation($input: ChallengeInput!) { createChallenge(input: $input) { id owningSection { id } } }`;

type SectionView = { id: string; name: string; retired: boolean; version: number; isDesk: boolean; department: { id: string; name: string } };
type DepartmentView = { id: string; name: string; sections: Array<{ id: string; name: string; retired: boolean; version: number }> };

/** Every SQL statement the platform's ORM sends, for the N+1 guard. */
const statements: string[] = [];
let db: TestDatabase;
let countingOrm: MikroORM;
let server: TestServer;
let department: Department;
let otherDepartment: Department;
let deskSection: Section;
let desk: HttpSession;
let sectionStaff: HttpSession;
let proposer: HttpSession;
let visitor: HttpSession;

async function signIn(role: Role, section: Section | null = null): Promise<HttpSession> {
  const account = await createAccount(db.orm.em.fork(), role, section);
  return new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
}

async function newDepartment(sectionNames: string[]): Promise<{ department: Department; sections: Section[] }> {
  const sections = await createDepartmentWithSections(db.orm.em.fork(), sectionNames);
  return { department: sections[0]!.department, sections };
}

async function counts(): Promise<{ sections: number; events: number }> {
  const em = db.orm.em.fork();
  return { sections: await em.count(Section, {}), events: await em.count(DomainEvent, {}) };
}

async function departmentView(session: HttpSession, id: string, includeRetired = false): Promise<DepartmentView> {
  const data = await session.ok<{ departments: DepartmentView[] }>(includeRetired ? DEPARTMENTS_WITH_RETIRED : DEPARTMENTS);
  const found = data.departments.find((d) => d.id === id);
  if (!found) throw new Error(`department ${id} not listed`);
  return found;
}

function errorOf(result: GraphqlResult): { code?: string; fields?: Array<{ field: string; code: string }>; [key: string]: unknown } {
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  return result.errors![0]!.extensions ?? {};
}

async function createSectionAsDesk(name: string, departmentId = department.id): Promise<SectionView> {
  return (await desk.ok<{ createSection: SectionView }>(CREATE, { d: departmentId, name })).createSection;
}

beforeAll(async () => {
  db = await createTestDatabase();
  // The platform runs on its own ORM that reports every statement it sends.
  countingOrm = await MikroORM.init({
    ...ormConfig(db.url, 5),
    debug: ['query'],
    colors: false,
    logger: (message: string) => statements.push(message),
  });
  server = await startTestServer({}, { ...db, orm: countingOrm, dispose: async () => undefined });

  ({ department } = await newDepartment(['環境政策課', '産業振興課']));
  ({ department: otherDepartment } = await newDepartment(['区民文化課']));
  const em = db.orm.em.fork();
  const deskDepartment = new Department(`政策経営部 ${randomBytes(3).toString('hex')}`, 0);
  deskSection = new Section(deskDepartment, '経営改革推進課', 1);
  deskSection.isDesk = true;
  em.persist([deskDepartment, deskSection]);
  await em.flush();

  desk = await signIn(Role.DESK, deskSection);
  const [staffSection] = await em.find(Section, { department: department.id }, { orderBy: { sortOrder: 'asc' } });
  sectionStaff = await signIn(Role.SECTION, staffSection!);
  proposer = await signIn(Role.PROPOSER);
  visitor = new HttpSession(server.httpUrl);
});

afterAll(async () => {
  await server?.stop();
  await countingOrm?.close();
  await db?.dispose();
});

describe('the organisation chart is public', () => {
  it('lists departments with their active sections, in order, to anyone', async () => {
    const listed = await departmentView(visitor, department.id);
    expect(listed.name).toBe(department.name);
    expect(listed.sections.map((s) => s.name)).toEqual(['環境政策課', '産業振興課']);
    expect(listed.sections.every((s) => s.retired === false && s.version === 1)).toBe(true);
    // Each department gets its own sections, not its neighbour's.
    expect((await departmentView(visitor, otherDepartment.id)).sections.map((s) => s.name)).toEqual(['区民文化課']);
  });

  it('costs a fixed number of SQL statements whatever the number of departments', async () => {
    const QUERY = `{ departments { id name sections { id name version department { id name } } all: sections(includeRetired: true) { id retired } } }`;
    const statementsFor = async (): Promise<number> => {
      statements.length = 0;
      await visitor.ok(QUERY);
      return statements.filter((line) => line.includes('[query]')).length;
    };
    const before = await statementsFor();
    const departmentsBefore = (await visitor.ok<{ departments: unknown[] }>(DEPARTMENTS)).departments.length;
    for (let i = 0; i < 6; i += 1) await newDepartment([`追加の課 ${i}-1`, `追加の課 ${i}-2`, `追加の課 ${i}-3`]);
    const departmentsAfter = (await visitor.ok<{ departments: unknown[] }>(DEPARTMENTS)).departments.length;
    expect(departmentsAfter).toBe(departmentsBefore + 6);
    const after = await statementsFor();
    expect(before).toBeGreaterThan(0); // the counter works
    expect(after, statements.join('\n')).toBe(before);
    // One for the departments, one per sections(includeRetired) variant.
    expect(after).toBeLessThanOrEqual(3);
  });
});

describe('the desk manages sections', () => {
  it('creates a section under a department, trimmed, and it appears in the chart', async () => {
    const before = await counts();
    const created = await createSectionAsDesk('  新設の課  ');
    expect(created).toMatchObject({ name: '新設の課', retired: false, version: 1, isDesk: false, department: { id: department.id } });
    expect((await departmentView(visitor, department.id)).sections.map((s) => s.id)).toContain(created.id);
    const after = await counts();
    expect(after).toEqual({ sections: before.sections + 1, events: before.events + 1 });
    const event = await db.orm.em.fork().findOneOrFail(DomainEvent, { aggregateId: created.id });
    expect(event).toMatchObject({ topic: 'section', kind: 'CREATED' });
  });

  it('allows the same name in another department, and again once the first is retired', async () => {
    const first = await createSectionAsDesk('同名の課');
    const elsewhere = await createSectionAsDesk('同名の課', otherDepartment.id);
    expect(elsewhere.department.id).toBe(otherDepartment.id);
    await desk.ok(RETIRE, { id: first.id, v: first.version });
    const again = await createSectionAsDesk('同名の課');
    expect(again.id).not.toBe(first.id);
  });

  it('renames with the expected version, and refuses a stale version with CONFLICT without writing', async () => {
    const created = await createSectionAsDesk('改名前の課');
    const renamed = (await desk.ok<{ renameSection: SectionView }>(RENAME, { id: created.id, v: created.version, name: ' 改名後の課 ' })).renameSection;
    expect(renamed).toMatchObject({ id: created.id, name: '改名後の課', version: created.version + 1 });

    const before = await counts();
    const stale = await desk.request(RENAME, { id: created.id, v: created.version, name: '古い版からの改名' });
    expect(errorOf(stale)).toMatchObject({ code: 'CONFLICT', currentVersion: renamed.version });
    expect(stale.data ?? null).toBeNull();
    expect(await counts()).toEqual(before);
    const listed = (await departmentView(visitor, department.id)).sections.find((s) => s.id === created.id);
    expect(listed).toMatchObject({ name: '改名後の課', version: renamed.version });
  });

  it('retires a section: it leaves the chart, shows with includeRetired, and can no longer own a challenge', async () => {
    const created = await createSectionAsDesk('廃止予定の課');
    // Before retiring, a challenge may name it.
    const ok = await desk.ok(CREATE_CHALLENGE, { input: { ...CHALLENGE_INPUT, title: '廃止前の課題', owningSectionId: created.id } });
    expect(ok.createChallenge.owningSection.id).toBe(created.id);

    const retired = (await desk.ok<{ retireSection: SectionView }>(RETIRE, { id: created.id, v: created.version })).retireSection;
    expect(retired).toMatchObject({ id: created.id, retired: true, version: created.version + 1 });

    expect((await departmentView(visitor, department.id)).sections.map((s) => s.id)).not.toContain(created.id);
    const withRetired = (await departmentView(visitor, department.id, true)).sections.find((s) => s.id === created.id);
    expect(withRetired).toMatchObject({ retired: true, name: '廃止予定の課' });

    const before = await counts();
    const refused = await desk.request(CREATE_CHALLENGE, { input: { ...CHALLENGE_INPUT, title: '廃止後の課題', owningSectionId: created.id } });
    expect(errorOf(refused)).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(errorOf(refused).fields).toEqual([expect.objectContaining({ field: 'owningSectionId', code: 'UNKNOWN_REFERENCE' })]);

    // Retiring twice is a conflict of state; a stale version is a conflict too.
    const again = await desk.request(RETIRE, { id: created.id, v: retired.version });
    expect(errorOf(again).code).toBe('CONFLICT');
    const stale = await desk.request(RETIRE, { id: created.id, v: created.version });
    expect(errorOf(stale)).toMatchObject({ code: 'CONFLICT', currentVersion: retired.version });
    expect(await counts()).toEqual(before);
  });

  it('never retires the desk’s own section', async () => {
    const before = await counts();
    const result = await desk.request(RETIRE, { id: deskSection.id, v: deskSection.version });
    expect(errorOf(result).code).toBe('CONFLICT');
    expect(await counts()).toEqual(before);
    const listed = (await departmentView(visitor, deskSection.department.id)).sections.find((s) => s.id === deskSection.id);
    expect(listed).toMatchObject({ retired: false, version: deskSection.version });
  });
});

describe('who may change the chart', () => {
  it('refuses section staff and proposers with FORBIDDEN and the public with UNAUTHENTICATED, writing nothing', async () => {
    const target = await createSectionAsDesk('権限確認の課');
    const before = await counts();
    for (const [session, code] of [
      [sectionStaff, 'FORBIDDEN'],
      [proposer, 'FORBIDDEN'],
      [visitor, 'UNAUTHENTICATED'],
    ] as const) {
      expect(errorOf(await session.request(CREATE, { d: department.id, name: '無断の課' })).code).toBe(code);
      expect(errorOf(await session.request(RENAME, { id: target.id, v: target.version, name: '無断の改名' })).code).toBe(code);
      expect(errorOf(await session.request(RETIRE, { id: target.id, v: target.version })).code).toBe(code);
    }
    expect(await counts()).toEqual(before);
    const listed = (await departmentView(visitor, department.id)).sections.find((s) => s.id === target.id);
    expect(listed).toMatchObject({ name: '権限確認の課', retired: false, version: target.version });
  });
});

describe('bad input', () => {
  const tooLong = '課'.repeat(101);

  it.each([
    ['blank', '', 'REQUIRED'],
    ['only spaces', ' \u3000 ', 'REQUIRED'],
    ['101 characters', tooLong, 'TOO_LONG'],
  ])('refuses a %s name on create and rename with BAD_USER_INPUT, writing nothing', async (_label, name, fieldCode) => {
    const target = await createSectionAsDesk(`入力確認の課 ${randomBytes(2).toString('hex')}`);
    const before = await counts();
    for (const result of [await desk.request(CREATE, { d: department.id, name }), await desk.request(RENAME, { id: target.id, v: target.version, name })]) {
      const error = errorOf(result);
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.fields).toEqual([expect.objectContaining({ field: 'name', code: fieldCode })]);
    }
    expect(await counts()).toEqual(before);
  });

  it('accepts a name of exactly 100 characters', async () => {
    const created = await createSectionAsDesk('課'.repeat(100));
    expect(created.name).toHaveLength(100);
  });

  it('refuses a name already used by an active section of the same department, on create and on rename', async () => {
    const existing = await createSectionAsDesk('重複確認の課');
    const other = await createSectionAsDesk('重複させる課');
    const before = await counts();

    const onCreate = errorOf(await desk.request(CREATE, { d: department.id, name: ' 重複確認の課 ' }));
    expect(onCreate.code).toBe('BAD_USER_INPUT');
    expect(onCreate.fields).toEqual([expect.objectContaining({ field: 'name' })]);

    const onRename = errorOf(await desk.request(RENAME, { id: other.id, v: other.version, name: '重複確認の課' }));
    expect(onRename.code).toBe('BAD_USER_INPUT');
    expect(onRename.fields).toEqual([expect.objectContaining({ field: 'name' })]);

    expect(await counts()).toEqual(before);
    const names = (await departmentView(visitor, department.id)).sections.map((s) => s.name);
    expect(names.filter((n) => n === '重複確認の課')).toHaveLength(1);
    expect(names).toContain('重複させる課');
    // Renaming a section to its own name is not a duplicate.
    const same = (await desk.ok<{ renameSection: SectionView }>(RENAME, { id: existing.id, v: existing.version, name: '重複確認の課' })).renameSection;
    expect(same.name).toBe('重複確認の課');
  });

  // BUG (reported, not fixed): the duplicate check is a count before the insert, under READ
  // COMMITTED and with no unique index behind it, so concurrent creations of one name all pass it
  // (seen: 4–5 of 5 succeed). Needs a partial unique index on section (department_id, name) where
  // retired_at is null (mapping its violation to this field error), or a lock on the department row.
  it('refuses concurrent creations of one name in one department but one', async () => {
    for (let round = 0; round < 5; round += 1) {
      const name = `同時作成の課 ${round} ${randomBytes(2).toString('hex')}`;
      const results = await Promise.all(Array.from({ length: 5 }, () => desk.request(CREATE, { d: department.id, name })));
      expect(results.filter((r) => r.data?.createSection)).toHaveLength(1);
      for (const refused of results.filter((r) => !r.data?.createSection)) expect(errorOf(refused).fields).toEqual([expect.objectContaining({ field: 'name' })]);
    }
  });

  it('refuses an unknown department on create as an unknown reference', async () => {
    const before = await counts();
    for (const d of [randomUUID(), 'not-a-uuid']) {
      const error = errorOf(await desk.request(CREATE, { d, name: '行き先のない課' }));
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.fields).toEqual([expect.objectContaining({ field: 'departmentId', code: 'UNKNOWN_REFERENCE' })]);
    }
    expect(await counts()).toEqual(before);
  });

  it('answers unknown and malformed section ids with NOT_FOUND', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      expect(errorOf(await desk.request(RENAME, { id, v: 1, name: '存在しない課' })).code).toBe('NOT_FOUND');
      expect(errorOf(await desk.request(RETIRE, { id, v: 1 })).code).toBe('NOT_FOUND');
    }
  });
});
