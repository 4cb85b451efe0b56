import { Role } from '../src/identity/account.entity.js';
import type { Section } from '../src/sections/section.entity.js';
import { HttpSession } from './graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from './factories.js';
import { createMember, createOrganisation } from './proposal-factories.js';
import type { TestServer } from './test-server.js';

/** Everyone a partnership's tests ask: the desk, the lead, supporting, pending and unmatched sections, the proposer, another organisation's member, the public. */
export type CastMember = 'desk' | 'lead' | 'supporting' | 'pending' | 'unmatched' | 'member' | 'otherMember' | 'public';
export const CAST: CastMember[] = ['desk', 'lead', 'supporting', 'pending', 'unmatched', 'member', 'otherMember', 'public'];

export interface PartnershipCast {
  sections: Record<'lead' | 'support' | 'pending' | 'none', Section>;
  sessions: Record<CastMember, HttpSession>;
}

/** Signs the cast in on `server`; `label` names its sections and organisations (e.g. 事例, 報告). */
export async function partnershipCast(server: TestServer, label: string): Promise<PartnershipCast> {
  const em = server.db.orm.em.fork();
  const [lead, none] = (await createDepartmentWithSections(em, [`防災${label}テスト課`, `無関係${label}テスト課`])) as [Section, Section];
  const [support, pending] = (await createDepartmentWithSections(em, [`環境${label}テスト課`, `未承諾${label}テスト課`])) as [Section, Section];
  const organisation = await createOrganisation(em, `${label}テスト株式会社`);
  const other = await createOrganisation(em, `他社${label}テスト`);
  const login = (account: { email: string }) => new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
  return {
    sections: { lead, support, pending, none },
    sessions: {
      desk: await login(await createAccount(em, Role.DESK)),
      lead: await login(await createAccount(em, Role.SECTION, lead)),
      supporting: await login(await createAccount(em, Role.SECTION, support)),
      pending: await login(await createAccount(em, Role.SECTION, pending)),
      unmatched: await login(await createAccount(em, Role.SECTION, none)),
      member: await login(await createMember(em, organisation)),
      otherMember: await login(await createMember(em, other)),
      public: new HttpSession(server.httpUrl),
    },
  };
}
