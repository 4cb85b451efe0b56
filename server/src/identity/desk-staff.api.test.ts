import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account, Role } from './account.entity.js';
import type { Section } from '../sections/section.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { createMember, createOrganisation } from '../../test/proposal-factories.js';

const DESK_STAFF = `{ deskStaff { id displayName } }`;

let server: TestServer;
let desk: Account;
let colleague: Account;
let disabled: Account;
const s: Record<'desk' | 'section' | 'member' | 'public', HttpSession> = {} as never;

beforeAll(async () => {
  server = await startTestServer();
  const em = server.db.orm.em.fork();
  const [section] = (await createDepartmentWithSections(em, ['担当者テスト課'])) as [Section];
  desk = await createAccount(em, Role.DESK);
  colleague = await createAccount(em, Role.DESK);
  disabled = await createAccount(em, Role.DESK);
  disabled.disabledAt = new Date();
  await em.flush();
  const login = async (account: { email: string }) => new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
  s.desk = await login(desk);
  s.section = await login(await createAccount(em, Role.SECTION, section));
  s.member = await login(await createMember(em, await createOrganisation(em)));
  s.public = new HttpSession(server.httpUrl);
});

afterAll(async () => {
  await server?.stop();
});

describe('deskStaff (the choices for a desk owner, 担当者)', () => {
  it('lists the enabled desk accounts, not disabled ones nor other roles', async () => {
    const staff = (await s.desk.ok<{ deskStaff: Array<{ id: string; displayName: string }> }>(DESK_STAFF)).deskStaff;
    const ids = staff.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining([desk.id, colleague.id]));
    expect(ids).not.toContain(disabled.id);
    const em = server.db.orm.em.fork();
    expect(await em.count(Account, { id: { $in: ids }, role: { $ne: Role.DESK } })).toBe(0);
    expect(staff.find((m) => m.id === desk.id)!.displayName).toBe(desk.displayName);
  });

  it('is for the desk only: sections and proposers are FORBIDDEN, the public UNAUTHENTICATED', async () => {
    for (const [who, code] of [['section', 'FORBIDDEN'], ['member', 'FORBIDDEN'], ['public', 'UNAUTHENTICATED']] as const) {
      const result = await s[who].request(DESK_STAFF);
      expect([who, result.errors?.[0]?.extensions?.code, result.data?.deskStaff ?? null]).toEqual([who, code, null]);
    }
  });
});
