import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../logging/logger.js';
import { Account, Role } from '../identity/account.entity.js';
import { hashPassword } from '../identity/password.js';
import { Challenge, ChallengeStatus } from '../challenges/challenge.entity.js';
import { seedOrganisationChart } from './organisation-chart.js';
import { seedDemoOrganisations } from './demo-organisations.js';
import { seedDemoProposals } from './demo-proposals.js';
import { seedDemoMeetings } from './demo-meetings.js';
import { seedDemoThreads } from './demo-threads.js';
import { seedDemoCases } from './demo-cases.js';

/** Demo only: every demo account's password, listed in the README. Never used outside demo seeding. */
export const DEMO_PASSWORD = 'renkei-demo-2026';

export const DEMO_ACCOUNTS = [
  { email: 'desk1@demo.renkei.jp', displayName: '連携 一郎', role: Role.DESK, section: '経営改革推進課' },
  { email: 'desk2@demo.renkei.jp', displayName: '連携 花子', role: Role.DESK, section: '経営改革推進課' },
  { email: 'kankyo@demo.renkei.jp', displayName: '環境 太郎', role: Role.SECTION, section: '環境政策課' },
  { email: 'bousai@demo.renkei.jp', displayName: '防災 次郎', role: Role.SECTION, section: '防災危機管理課' },
  { email: 'proposer@demo.renkei.jp', displayName: '提案 三郎', role: Role.PROPOSER, section: null },
] as const;

interface DemoChallenge {
  title: string;
  description: string;
  background: string;
  section: string;
  fields: string[];
  status: ChallengeStatus;
  published: boolean;
  period: [string, string] | null;
  contact: string;
}

const DEMO_CHALLENGES: DemoChallenge[] = [
  {
    title: '災害時の要配慮者への情報伝達を確実にしたい',
    description: '高齢者や障がいのある方、日本語が得意でない方に、避難情報を確実かつ速やかに届ける仕組みを民間の技術と知見で実現したい。',
    background: '防災行政無線や区のホームページだけでは情報が届きにくい区民がいる。令和元年の台風第19号では避難情報が十分に伝わらなかった事例があった。',
    section: '防災危機管理課',
    fields: ['disaster-crime-prevention', 'elderly-welfare'],
    status: ChallengeStatus.OPEN,
    published: true,
    period: ['2026-10-01', '2027-03-31'],
    contact: '危機管理部 防災危機管理課 防災計画係 03-0000-0001',
  },
  {
    title: '家庭から出る食品ロスを減らしたい',
    description: '家庭系ごみに含まれる食品ロスの削減に向け、区民の行動変容につながる啓発や仕組みの提案を求めます。',
    background: '区の組成調査では家庭系可燃ごみの約4割が生ごみで、その一部は手つかずの食品である。',
    section: '資源循環推進課',
    fields: ['cleaning-recycling', 'environmental-education'],
    status: ChallengeStatus.OPEN,
    published: true,
    period: ['2026-09-01', '2027-02-28'],
    contact: '資源環境部 資源循環推進課 03-0000-0002',
  },
  {
    title: '絵本を通じた多文化共生のまちづくり',
    description: '「絵本のまち板橋」の資源を活かし、外国にルーツのある子どもと家庭が地域とつながるきっかけをつくりたい。',
    background: 'ボローニャ・ブックフェアとの縁から区には世界の絵本が集まっているが、活用の場が限られている。',
    section: '中央図書館',
    fields: ['picture-books', 'equality-diversity'],
    status: ChallengeStatus.OPEN,
    published: true,
    period: ['2026-11-01', '2027-01-31'],
    contact: '教育委員会事務局 中央図書館 03-0000-0003',
  },
  {
    title: '子育て世帯の孤立を防ぐ地域の居場所づくり',
    description: '乳幼児を育てる家庭が気軽に立ち寄り、相談できる居場所を地域の民間資源と連携してつくりたい。',
    background: '転入世帯の増加により、身近に頼れる人がいない子育て家庭が増えている。',
    section: '子ども政策課',
    fields: ['child-rearing'],
    status: ChallengeStatus.CLOSED,
    published: true,
    period: ['2026-04-01', '2026-08-31'],
    contact: '子ども家庭部 子ども政策課 03-0000-0004',
  },
  {
    title: '商店街のにぎわい創出とキャッシュレス化',
    description: '区内商店街の回遊性を高め、キャッシュレス決済の導入を後押しする仕組みを検討中です。',
    background: '（内部検討中）商店街連合会との調整を経て公開予定。',
    section: '産業振興課',
    fields: ['town-vitality'],
    status: ChallengeStatus.DRAFT,
    published: false,
    period: null,
    contact: '産業経済部 産業振興課 03-0000-0005',
  },
];

/**
 * Demo data for a first start: the organisation chart, one account per role and a few
 * challenges. Runs once (it does nothing when any account exists).
 */
export async function seedDemoData(em: EntityManager, logger: Logger): Promise<void> {
  const sections = await seedOrganisationChart(em);
  if ((await em.count(Account, {})) > 0) return;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const accounts = DEMO_ACCOUNTS.map((seed) => new Account(seed.email, seed.displayName, passwordHash, seed.role, seed.section ? sections.get(seed.section)! : null));
  em.persist(accounts);
  const author = accounts[0]!;
  DEMO_CHALLENGES.forEach((seed, index) => {
    const challenge = new Challenge(
      {
        title: seed.title,
        description: seed.description,
        background: seed.background,
        owningSection: sections.get(seed.section) ?? null,
        fieldCodes: seed.fields,
        periodStart: seed.period?.[0] ?? null,
        periodEnd: seed.period?.[1] ?? null,
        contact: seed.contact,
      },
      author.id,
    );
    challenge.status = seed.status;
    challenge.publishedAt = seed.published ? new Date() : null;
    challenge.createdAt = new Date(Date.now() - (DEMO_CHALLENGES.length - index) * 86_400_000);
    em.persist(challenge);
  });
  await em.flush();
  const organisations = await seedDemoOrganisations(em, passwordHash);
  const proposals = await seedDemoProposals(em);
  const meetings = await seedDemoMeetings(em);
  const threads = await seedDemoThreads(em);
  const cases = await seedDemoCases(em);
  logger.info({ accounts: accounts.length, challenges: DEMO_CHALLENGES.length, organisations, proposals, meetings, threads, cases }, 'demo data seeded');
}
