import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { Role, type Account } from '../src/identity/account.entity.js';
import { Membership } from '../src/organisations/membership.entity.js';
import { Organisation, OrganisationKind } from '../src/organisations/organisation.entity.js';
import { createAccount } from './factories.js';

/** An organisation row, created directly (the registration flow is the organisations domain's). */
export async function createOrganisation(em: EntityManager, name = `テスト株式会社 ${randomBytes(3).toString('hex')}`, kind = OrganisationKind.COMPANY): Promise<Organisation> {
  const organisation = new Organisation();
  Object.assign(organisation, {
    name,
    nameKana: 'テストカブシキガイシャ',
    kind,
    corporateNumber: null,
    address: '東京都板橋区板橋二丁目66番1号',
    representative: '代表 太郎',
    contactName: '担当 花子',
    contactEmail: `contact-${randomBytes(3).toString('hex')}@example.jp`,
    contactPhone: '03-0000-0000',
  });
  em.persist(organisation);
  await em.flush();
  return organisation;
}

/** A proposer account with an active membership of `organisation`. */
export async function createMember(em: EntityManager, organisation: Organisation): Promise<Account> {
  const account = await createAccount(em, Role.PROPOSER);
  em.persist(new Membership(organisation, account));
  await em.flush();
  return account;
}

/** Ends a membership directly in the database, as leaving or removal would. */
export async function endMembership(em: EntityManager, accountId: string): Promise<void> {
  await em.nativeUpdate(Membership, { account: accountId, leftAt: null }, { leftAt: new Date() });
}

export const COMPLETE_DRAFT = {
  kind: 'FREE',
  title: '公園での防災ワークショップ',
  wardIssue: '地域の防災意識が低い',
  content: '公園で親子向けの防災ワークショップを開く',
  expectedEffects: '家庭の備えが進む',
  askOfWard: '公園の使用許可と広報',
  ownResources: '講師とキット',
  schedule: '2027年度上期',
  wardCost: 'NONE',
  wardCostReason: '',
};

export const ALL_PLEDGES = { notSolelyCommercial: true, notPoliticalOrReligious: true, noAntisocialTies: true };
