import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, Role } from '../identity/account.entity.js';
import { corporateNumberCheckDigit } from '../organisations/corporate-number.js';
import { Membership } from '../organisations/membership.entity.js';
import { Organisation, OrganisationKind } from '../organisations/organisation.entity.js';

/** A fictitious 法人番号 with a correct check digit (the 9999 registry prefix is not one the NTA uses). */
function demoCorporateNumber(base: string): string {
  return `${corporateNumberCheckDigit(base)}${base}`;
}

interface DemoOrganisation {
  memberEmail: string;
  memberDisplayName: string;
  organisation: Omit<Organisation, 'id' | 'verifiedAt' | 'suspendedAt' | 'suspensionReason' | 'version' | 'createdAt'>;
  verified: boolean;
}

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  {
    memberEmail: 'proposer@demo.renkei.jp',
    memberDisplayName: '提案 三郎',
    verified: true,
    organisation: {
      name: '株式会社いたばしラボ',
      nameKana: 'カブシキガイシャ イタバシラボ',
      kind: OrganisationKind.COMPANY,
      corporateNumber: demoCorporateNumber('999901000001'), // 7999901000001
      address: '東京都板橋区板橋一丁目1番1号 いたばしビル3階',
      representative: '代表取締役 板橋 太郎',
      contactName: '提案 三郎',
      contactEmail: 'proposer@demo.renkei.jp',
      contactPhone: '03-0000-1001',
    },
  },
  {
    memberEmail: 'npo@demo.renkei.jp',
    memberDisplayName: '子育 さくら（いたばし子育てネット）',
    verified: false,
    organisation: {
      name: '特定非営利活動法人 いたばし子育てネット',
      nameKana: 'トクテイヒエイリカツドウホウジン イタバシコソダテネット',
      kind: OrganisationKind.NPO,
      corporateNumber: demoCorporateNumber('999905000002'), // 2999905000002
      address: '東京都板橋区大山町2番2号',
      representative: '理事長 大山 みどり',
      contactName: '子育 さくら',
      contactEmail: 'npo@demo.renkei.jp',
      contactPhone: '03-0000-2002',
    },
  },
];

/**
 * The demo proposers' organisations, each with its member (created when missing, with the demo
 * password's hash). Idempotent: an organisation whose 法人番号 is already registered is skipped.
 */
export async function seedDemoOrganisations(em: EntityManager, passwordHash: string): Promise<number> {
  let created = 0;
  for (const seed of DEMO_ORGANISATIONS) {
    if (await em.count(Organisation, { corporateNumber: seed.organisation.corporateNumber })) continue;
    let member = await em.findOne(Account, { email: seed.memberEmail });
    if (!member) {
      member = new Account(seed.memberEmail, seed.memberDisplayName, passwordHash, Role.PROPOSER);
      em.persist(member);
    }
    if (await em.count(Membership, { account: member.id, leftAt: null })) continue;
    const organisation = em.create(Organisation, { ...seed.organisation });
    if (seed.verified) organisation.verifiedAt = new Date();
    em.persist([organisation, new Membership(organisation, member)]);
    created += 1;
  }
  await em.flush();
  return created;
}
