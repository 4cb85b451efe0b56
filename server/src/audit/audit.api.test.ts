import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, type Account } from '../identity/account.entity.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { HttpSession } from '../../test/graphql-client.js';
import { createMember, createOrganisation } from '../../test/proposal-factories.js';
import { statementCount } from '../../test/statement-count.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { AuditEntry } from './audit-entry.entity.js';
import { recordAudit } from './audit.js';

const TRAIL = `query($first: Int!, $after: String, $action: String) {
  auditTrail(first: $first, after: $after, action: $action) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id at action subjectKind subjectId reason details { key value } actor { accountId displayName role sectionName departmentName organisationName } } }
  }
}`;

let server: TestServer;
let desk: Account;
let sectionStaff: Account;
const s = {} as Record<'desk' | 'section' | 'proposer' | 'anonymous', HttpSession>;

beforeAll(async () => {
  server = await startTestServer();
  const em = server.db.orm.em.fork();
  const [section] = await createDepartmentWithSections(em, ['防災課']);
  desk = await createAccount(em, Role.DESK);
  sectionStaff = await createAccount(em, Role.SECTION, section!);
  const member = await createMember(em, await createOrganisation(em));
  for (const key of ['desk', 'section', 'proposer', 'anonymous'] as const) s[key] = new HttpSession(server.httpUrl);
  await s.desk.login(desk.email, TEST_PASSWORD);
  await s.section.login(sectionStaff.email, TEST_PASSWORD);
  await s.proposer.login(member.email, TEST_PASSWORD);
});

afterAll(async () => {
  await server?.stop();
});

/** Rows written as services write them: in a transaction, in order, a millisecond apart. */
async function record(count: number, action: 'CASE_PUBLISHED' | 'PROPOSALS_EXPORTED', actorId: string | null = desk.id): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await server.db.orm.em.fork().transactional(async (tx) => {
      recordAudit(tx, action === 'PROPOSALS_EXPORTED'
        ? { actorId, action, subjectKind: 'proposals', subjectId: null, details: { columns: ['title', 'state'], filter: { states: ['SUBMITTED'] }, includeProtected: false, rowCount: i } }
        : { actorId, action, subjectKind: 'case', subjectId: `case-${i}`, reason: null });
    });
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('the audit_entry table', () => {
  it('refuses UPDATE and DELETE in the database itself', async () => {
    await record(1, 'CASE_PUBLISHED');
    const connection = server.db.orm.em.fork().getConnection();
    await expect(connection.execute(`update audit_entry set reason = 'changed'`)).rejects.toThrow(/append-only/);
    await expect(connection.execute(`delete from audit_entry`)).rejects.toThrow(/append-only/);
    const rows = await connection.execute<Array<{ n: string }>>(`select count(*) as n from audit_entry where reason = 'changed'`);
    expect(Number(rows[0]!.n)).toBe(0);
  });
});

describe('auditTrail', () => {
  it('lists the trail newest first for the desk, with who, what, subject and details, page by page', async () => {
    await record(3, 'PROPOSALS_EXPORTED');
    await record(2, 'CASE_PUBLISHED', sectionStaff.id);
    await record(1, 'CASE_PUBLISHED', null);
    const first = (await s.desk.ok(TRAIL, { first: 4 })).auditTrail;
    expect(first.totalCount).toBe(7);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const nodes = first.edges.map((edge: { node: unknown }) => edge.node);
    expect(nodes.map((node: { action: string }) => node.action)).toEqual(['CASE_PUBLISHED', 'CASE_PUBLISHED', 'CASE_PUBLISHED', 'PROPOSALS_EXPORTED']);
    expect(nodes[0].actor).toBeNull();
    expect(nodes[1].actor).toMatchObject({ accountId: sectionStaff.id, role: 'SECTION', sectionName: '防災課', organisationName: null });
    expect(nodes[3]).toMatchObject({ subjectKind: 'proposals', actor: { accountId: desk.id, role: 'DESK' } });
    expect(nodes[3].details).toEqual([
      { key: 'columns', value: 'title, state' },
      { key: 'filter', value: 'states=SUBMITTED' },
      { key: 'includeProtected', value: 'false' },
      { key: 'rowCount', value: '2' },
    ]);
    const rest = (await s.desk.ok(TRAIL, { first: 4, after: first.pageInfo.endCursor })).auditTrail;
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const ids = [...first.edges, ...rest.edges].map((edge: { node: { id: string } }) => Number(edge.node.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(7);
  });

  it('filters by action, and lists the actions that occur', async () => {
    const exports = (await s.desk.ok(TRAIL, { first: 10, action: 'PROPOSALS_EXPORTED' })).auditTrail;
    expect(exports.totalCount).toBe(3);
    expect(exports.edges.every((edge: { node: { action: string } }) => edge.node.action === 'PROPOSALS_EXPORTED')).toBe(true);
    expect((await s.desk.ok(`{ auditActions }`)).auditActions).toEqual(['CASE_PUBLISHED', 'PROPOSALS_EXPORTED']);
  });

  it('is the desk’s alone', async () => {
    for (const who of ['section', 'proposer'] as const) {
      expect((await s[who].request(TRAIL, { first: 5 })).errors?.[0]?.extensions?.code, who).toBe('FORBIDDEN');
      expect((await s[who].request(`{ auditActions }`)).errors?.[0]?.extensions?.code, who).toBe('FORBIDDEN');
    }
    expect((await s.anonymous.request(TRAIL, { first: 5 })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('costs the same number of statements for a page of 2 as for a page of 20', async () => {
    await record(20, 'PROPOSALS_EXPORTED', sectionStaff.id);
    const two = await statementCount(() => s.desk.ok(TRAIL, { first: 2 }));
    const twenty = await statementCount(() => s.desk.ok(TRAIL, { first: 20 }));
    expect(twenty.result.auditTrail.edges).toHaveLength(20);
    expect(twenty.n).toBe(two.n);
  });
});

// The entity is imported so the suite fails to compile if the table's shape changes under it.
void AuditEntry;
