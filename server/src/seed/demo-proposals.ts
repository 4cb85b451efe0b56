import type { EntityManager } from '@mikro-orm/postgresql';
import { Challenge } from '../challenges/challenge.entity.js';
import { Account, Role } from '../identity/account.entity.js';
import { Membership } from '../organisations/membership.entity.js';
import { ProposalTransition } from '../proposals/proposal-transition.entity.js';
import { Proposal, ProposalKind, ProposalState, WardCost, type ProposalContent } from '../proposals/proposal.entity.js';
import { issueReferenceNumber } from '../proposals/proposal.service.js';
import { Match, MatchState } from '../matches/match.entity.js';
import { Section } from '../sections/section.entity.js';
import { DecisionWardCost, PartnershipDecision, PartnershipForm, type PartnershipIndicator } from '../partnerships/partnership-decision.entity.js';
import { ProgressNote } from '../partnerships/progress-note.entity.js';

const DAY = 86_400_000;

interface DemoProposal {
  memberEmail: string;
  /** The title of a published challenge it answers, or null for a free proposal. */
  challengeTitle: string | null;
  content: Omit<ProposalContent, 'kind' | 'challenge' | 'hopedSectionIds'>;
  /** The path it has taken, with days ago; the first step is the creation of the draft. */
  steps: Array<{ to: ProposalState; daysAgo: number; by: 'member' | 'desk' | 'lead'; reason?: string }>;
  /** Sections it is matched to (by name), for a proposal in dialogue or later. */
  matches?: Array<{ section: string; lead: boolean; state: MatchState; daysAgo: number; decidedDaysAgo?: number }>;
  /** The decision recorded with AGREED (no cost, as the principle). */
  decision?: { form: PartnershipForm; startDate: string; endDate: string; scope: string; wardResponsibilities: string; proposerResponsibilities: string; indicators: PartnershipIndicator[] };
  /** Progress notes written by the lead section's staff. */
  notes?: Array<{ text: string; milestone: boolean; daysAgo: number }>;
}

/** YYYY-MM-DD in Asia/Tokyo, `days` ago. */
function tokyoDateDaysAgo(days: number): string {
  return new Date(Date.now() - days * DAY + 9 * 3_600_000).toISOString().slice(0, 10);
}

const DEMO_PROPOSALS: DemoProposal[] = [
  {
    memberEmail: 'proposer@demo.renkei.jp',
    challengeTitle: '災害時の要配慮者への情報伝達を確実にしたい',
    content: {
      title: 'やさしい日本語と多言語の音声プッシュ通知による避難情報の伝達',
      wardIssue: '高齢者や日本語が得意でない区民に避難情報が届きにくい。',
      content: '区の防災情報を自動でやさしい日本語と多言語に変換し、固定電話への音声発信とスマートフォン通知で届ける実証を行う。',
      expectedEffects: '要配慮者への情報到達率の向上。避難行動の早期化。',
      askOfWard: '避難情報の配信データの提供、町会・自治会への周知の協力。',
      wardCost: WardCost.NONE,
      wardCostEstimate: null,
      wardCostReason: '',
      ownResources: '音声合成・翻訳エンジン、配信基盤、運用人員2名。',
      schedule: '令和9年4月から9月まで実証、10月に効果検証。',
    },
    steps: [
      { to: ProposalState.DRAFT, daysAgo: 9, by: 'member' },
      { to: ProposalState.SUBMITTED, daysAgo: 4, by: 'member' },
    ],
  },
  {
    memberEmail: 'proposer@demo.renkei.jp',
    challengeTitle: null,
    content: {
      title: '区立公園の遊具点検をAI画像解析で効率化',
      wardIssue: '公園遊具の点検は目視に頼り、点検記録の集約に時間がかかる。',
      content: '職員がスマートフォンで撮影した遊具の写真から劣化箇所をAIで検出し、点検台帳を自動で作成する。',
      expectedEffects: '点検時間の短縮と、劣化の見落とし防止。',
      askOfWard: '対象公園3か所での試行と、過去の点検記録の提供。',
      wardCost: WardCost.NONE,
      wardCostEstimate: null,
      wardCostReason: '',
      ownResources: '画像解析モデルとアプリ、導入支援。',
      schedule: '3か月の試行。',
    },
    steps: [
      { to: ProposalState.DRAFT, daysAgo: 30, by: 'member' },
      { to: ProposalState.SUBMITTED, daysAgo: 28, by: 'member' },
      // Long enough under review to be over the desk's starting target (10 business days): the demo shows a flag.
      { to: ProposalState.UNDER_REVIEW, daysAgo: 25, by: 'desk' },
    ],
  },
  {
    memberEmail: 'proposer@demo.renkei.jp',
    challengeTitle: null,
    content: {
      title: '商店街の空き店舗を使った子ども向けプログラミング教室',
      wardIssue: '',
      content: '（下書き）',
      expectedEffects: '',
      askOfWard: '',
      wardCost: WardCost.NONE,
      wardCostEstimate: null,
      wardCostReason: '',
      ownResources: '',
      schedule: '',
    },
    steps: [{ to: ProposalState.DRAFT, daysAgo: 1, by: 'member' }],
  },
  {
    memberEmail: 'proposer@demo.renkei.jp',
    challengeTitle: null,
    content: {
      title: '避難所となる区立施設への太陽光発電と蓄電池の共同設置',
      wardIssue: '大規模停電時に避難所の電源が確保できず、脱炭素の取組とも別々に進んでいる。',
      content: '区立施設の屋根に太陽光発電と蓄電池を当社負担で設置し、平常時は施設で自家消費、災害時は避難所の非常用電源として使う。',
      expectedEffects: '避難所の停電対策と、区有施設の温室効果ガス排出の削減を同時に進められる。',
      askOfWard: '対象施設の選定と屋根の使用許可、防災訓練での活用の協力。',
      wardCost: WardCost.NONE,
      wardCostEstimate: null,
      wardCostReason: '',
      ownResources: '設備一式と設置工事、10年間の保守。',
      schedule: '令和9年度に2施設で設置、以後順次。',
    },
    steps: [
      { to: ProposalState.DRAFT, daysAgo: 40, by: 'member' },
      { to: ProposalState.SUBMITTED, daysAgo: 35, by: 'member' },
      { to: ProposalState.UNDER_REVIEW, daysAgo: 33, by: 'desk' },
      { to: ProposalState.IN_DIALOGUE, daysAgo: 20, by: 'desk' },
    ],
    // Two departments (危機管理部 and 資源環境部): the coordination the desk exists for.
    matches: [
      { section: '防災危機管理課', lead: true, state: MatchState.ACCEPTED, daysAgo: 12, decidedDaysAgo: 10 },
      { section: '環境政策課', lead: false, state: MatchState.PENDING, daysAgo: 5 },
    ],
  },
  {
    memberEmail: 'npo@demo.renkei.jp',
    challengeTitle: null,
    content: {
      title: '転入子育て世帯向けの地域案内ウォーク',
      wardIssue: '転入したばかりの子育て世帯が地域の資源を知らず孤立しやすい。',
      content: '月1回、地域の子育て支援施設や公園を巡るウォークを開催し、先輩保護者が案内する。',
      expectedEffects: '転入世帯の孤立防止と、地域の支援へのつながり。',
      askOfWard: '区の転入手続き窓口でのチラシ配布。',
      wardCost: WardCost.NONE,
      wardCostEstimate: null,
      wardCostReason: '',
      ownResources: 'ボランティアの案内役10名、保険。',
      schedule: '通年、月1回。',
    },
    steps: [
      { to: ProposalState.DRAFT, daysAgo: 6, by: 'member' },
      { to: ProposalState.SUBMITTED, daysAgo: 2, by: 'member' },
    ],
  },
  {
    memberEmail: 'npo@demo.renkei.jp',
    challengeTitle: null,
    content: {
      title: '子育て世帯向けの親子防災教室と備蓄品点検',
      wardIssue: '乳幼児のいる世帯の家庭備蓄や避難の準備が進んでいない。',
      content: '児童館や地域センターで親子向けの防災教室を開き、ミルク・おむつ等の乳幼児向け備蓄の点検表を配る。',
      expectedEffects: '子育て世帯の家庭備蓄率の向上と、避難所での乳幼児への配慮の理解。',
      askOfWard: '会場の提供、防災マップ等の資料提供、区報での周知。',
      wardCost: WardCost.NONE,
      wardCostEstimate: null,
      wardCostReason: '',
      ownResources: '講師（防災士の資格を持つ保護者5名）、教材、保険。',
      schedule: '年6回、2年間。',
    },
    steps: [
      { to: ProposalState.DRAFT, daysAgo: 90, by: 'member' },
      { to: ProposalState.SUBMITTED, daysAgo: 85, by: 'member' },
      { to: ProposalState.UNDER_REVIEW, daysAgo: 83, by: 'desk' },
      { to: ProposalState.IN_DIALOGUE, daysAgo: 70, by: 'desk' },
      { to: ProposalState.AGREED, daysAgo: 40, by: 'desk' },
      { to: ProposalState.IN_PROGRESS, daysAgo: 30, by: 'lead' },
    ],
    matches: [{ section: '防災危機管理課', lead: true, state: MatchState.ACCEPTED, daysAgo: 65, decidedDaysAgo: 63 }],
    decision: {
      form: PartnershipForm.AGREEMENT,
      startDate: tokyoDateDaysAgo(30),
      endDate: tokyoDateDaysAgo(30 - 730),
      scope: '区内の児童館・地域センターでの親子防災教室（年6回、2年間）と、乳幼児向け備蓄品点検表の作成・配布。',
      wardResponsibilities: '会場の調整、防災マップ等の資料提供、区報・区ホームページでの周知。',
      proposerResponsibilities: '講師の派遣、教材の作成、参加者の募集と保険の手配、実施結果の報告。',
      indicators: [
        { name: '教室の参加世帯数', target: '2年間で延べ300世帯' },
        { name: '参加世帯の家庭備蓄率', target: '参加前後で20ポイント向上' },
      ],
    },
    notes: [
      { text: '第1回の親子防災教室を仲町児童館で開催。18世帯が参加。', milestone: true, daysAgo: 20 },
      { text: '備蓄品点検表の初版を作成し、防災危機管理課で内容を確認。', milestone: false, daysAgo: 10 },
    ],
  },
];

/**
 * Demo proposals for the demo organisations, in different states, with their timelines and
 * 受付番号. Needs the demo organisations (seeded by demo-organisations.ts) and does nothing for
 * one that is missing; a demo proposal already there is skipped, so it can run again safely.
 * Returns how many it created.
 */
export async function seedDemoProposals(em: EntityManager): Promise<number> {
  const desk = await em.findOne(Account, { role: Role.DESK }, { orderBy: { email: 'asc' } });
  if (!desk) return 0;
  return em.transactional(async (tx) => {
    let created = 0;
    for (const seed of DEMO_PROPOSALS) {
      const membership = await tx.findOne(Membership, { account: { email: seed.memberEmail }, leftAt: null }, { populate: ['organisation', 'account'] });
      if (!membership) continue;
      // Idempotent: a demo proposal already in its organisation is not made twice.
      if (await tx.count(Proposal, { organisation: membership.organisation.id, title: seed.content.title })) continue;
      const challenge = seed.challengeTitle ? await tx.findOne(Challenge, { title: seed.challengeTitle, publishedAt: { $ne: null } }) : null;
      if (seed.challengeTitle && !challenge) continue;
      const proposal = new Proposal(membership.organisation, membership.account.id);
      proposal.setContent({ ...seed.content, kind: challenge ? ProposalKind.CHALLENGE : ProposalKind.FREE, challenge, hopedSectionIds: [] });
      const leadName = seed.matches?.find((m) => m.lead)?.section;
      const leadSection = leadName ? await tx.findOne(Section, { name: leadName, retiredAt: null }) : null;
      const leadStaff = leadSection ? await tx.findOne(Account, { section: leadSection.id, role: Role.SECTION, disabledAt: null }, { orderBy: { email: 'asc' } }) : null;
      // A proposal carried out by its lead section needs that section and its staff.
      if (seed.steps.some((step) => step.by === 'lead') && !leadStaff) continue;
      let from: ProposalState | null = null;
      for (const step of seed.steps) {
        const at = new Date(Date.now() - step.daysAgo * DAY);
        const actor = step.by === 'desk' ? desk.id : step.by === 'lead' ? leadStaff!.id : membership.account.id;
        if (from === null) proposal.createdAt = at;
        if (step.to === ProposalState.SUBMITTED) {
          proposal.referenceNumber ??= await issueReferenceNumber(tx, at);
          proposal.submittedAt ??= at;
          proposal.pledgesAffirmedAt = at;
          proposal.pledgesAffirmedBy = actor;
        }
        proposal.state = step.to;
        proposal.stateEnteredAt = at;
        proposal.updatedAt = at;
        const transition = new ProposalTransition(proposal, from, step.to, actor, step.reason ?? null);
        transition.at = at;
        tx.persist(transition);
        from = step.to;
      }
      tx.persist(proposal);
      for (const seedMatch of seed.matches ?? []) {
        const section = await tx.findOne(Section, { name: seedMatch.section, retiredAt: null });
        if (!section) continue;
        const match = new Match(proposal, section, desk.id);
        match.state = seedMatch.state;
        match.lead = seedMatch.lead;
        match.createdAt = new Date(Date.now() - seedMatch.daysAgo * DAY);
        if (seedMatch.decidedDaysAgo !== undefined) {
          match.decidedAt = new Date(Date.now() - seedMatch.decidedDaysAgo * DAY);
          const staff = await tx.findOne(Account, { section: section.id, role: Role.SECTION, disabledAt: null }, { orderBy: { email: 'asc' } });
          match.decidedBy = staff?.id ?? desk.id;
        }
        tx.persist(match);
      }
      if (seed.decision) {
        const decision = new PartnershipDecision(proposal, desk.id);
        Object.assign(decision, seed.decision, { wardCost: DecisionWardCost.NONE, wardCostAmount: null, procurementRoute: null });
        const agreedStep = seed.steps.find((step) => step.to === ProposalState.AGREED);
        if (agreedStep) decision.decidedAt = new Date(Date.now() - agreedStep.daysAgo * DAY);
        tx.persist(decision);
      }
      for (const seedNote of seed.notes ?? []) {
        const note = new ProgressNote(proposal, leadStaff?.id ?? desk.id, leadStaff ? leadSection : null);
        Object.assign(note, { text: seedNote.text, milestone: seedNote.milestone, happenedOn: tokyoDateDaysAgo(seedNote.daysAgo), createdAt: new Date(Date.now() - seedNote.daysAgo * DAY) });
        tx.persist(note);
      }
      await tx.flush();
      created += 1;
    }
    return created;
  });
}
