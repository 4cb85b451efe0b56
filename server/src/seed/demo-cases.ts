import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, Role } from '../identity/account.entity.js';
import type { AccountViewer } from '../identity/viewer.js';
import { Membership } from '../organisations/membership.entity.js';
import { Match } from '../matches/match.entity.js';
import { matchProposal, transitionMatch } from '../matches/match.service.js';
import { DecisionWardCost, PartnershipForm } from '../partnerships/partnership-decision.entity.js';
import type { PartnershipDecisionInput } from '../partnerships/partnership.input.js';
import { recordAgreement, startProposalWork } from '../partnerships/partnership.service.js';
import { Proposal, ProposalKind, WardCost } from '../proposals/proposal.entity.js';
import type { ProposalDraftInput } from '../proposals/proposal.input.js';
import { createProposalDraft, submitProposal, transitionProposal } from '../proposals/proposal.service.js';
import { ContinuationIntent, ImplementationReport } from '../reports/implementation-report.entity.js';
import type { ReportInput } from '../reports/report.input.js';
import { acceptReport, saveReport, startReport, submitReport } from '../reports/report.service.js';
import { Section } from '../sections/section.entity.js';
import type { CaseCompositionShape } from '../publication/case.validation.js';
import { composeCase, giveCaseConsent, publishCase } from '../publication/case.service.js';
import { PublicCase } from '../publication/public-case.entity.js';

/**
 * Demo cases (事例): partnerships taken the whole way through the services — proposed, matched,
 * agreed, carried out, reported, accepted — then composed by the desk, consented to by the
 * proposer and published, so every row (timeline, report, consent, snapshot, search text, audit)
 * is what the real acts write. Two are PUBLISHED (different fields and fiscal years); one is
 * REPORTED with the desk's DRAFT page awaiting the proposer's consent.
 */
interface DemoCase {
  memberEmail: string;
  leadSection: string;
  proposal: Omit<ProposalDraftInput, 'kind'>;
  decision: Omit<PartnershipDecisionInput, 'form' | 'wardCost'>;
  report: Omit<ReportInput, 'periodStart' | 'periodEnd'>;
  page: Omit<CaseCompositionShape, 'blocks'> & { blocks: CaseCompositionShape['blocks'] };
  publish: boolean;
}

export const DEMO_CASES: DemoCase[] = [
  {
    memberEmail: 'proposer@demo.renkei.jp',
    leadSection: '防災危機管理課',
    proposal: {
      title: 'マンション居住者向け在宅避難支援アプリの実証',
      wardIssue: '区内の集合住宅に住む世帯が増え、発災時に避難所へ行かず自宅で過ごす「在宅避難」の備えが十分に広がっていない。',
      content: 'スマートフォンアプリで、家庭の備蓄品の点検、在宅避難の手順、マンション内の安否確認を一体で行える仕組みを区内3棟で試行する。',
      expectedEffects: '家庭備蓄の充実と、管理組合による安否確認の迅速化。',
      askOfWard: '防災講話への職員派遣、区の防災情報との連携、区報での周知。',
      ownResources: 'アプリの開発・運用、説明会の運営、利用状況の分析。',
      schedule: '令和6年6月から令和7年3月まで。',
      wardCost: WardCost.NONE,
      wardCostReason: '',
    },
    decision: {
      startDate: '2024-06-01',
      endDate: '2025-03-31',
      scope: '区内の分譲マンション3棟での在宅避難支援アプリの試行と、居住者向け説明会の開催。',
      wardResponsibilities: '防災講話への職員派遣、区の防災情報の提供、区報・区ホームページでの周知。',
      proposerResponsibilities: 'アプリの提供と運用、説明会の運営、利用状況の報告。',
      indicators: [
        { name: '利用登録世帯数', target: '300世帯' },
        { name: '安否確認の完了までの時間', target: '訓練で60分以内' },
      ],
    },
    report: {
      activities: '区内のマンション3棟で説明会を計6回開催し、アプリを導入した。令和7年1月の防災訓練では、アプリによる安否確認を実施した。',
      indicatorResults: [
        { name: '利用登録世帯数', actual: '342世帯' },
        { name: '安否確認の完了までの時間', actual: '訓練で42分', note: '管理組合役員が声かけを併用' },
      ],
      peopleReached: 780,
      wardCostYen: 0,
      partnerContribution: 'アプリの開発・提供と運用、説明会の講師派遣。',
      partnerContributionYen: 2400000,
      issues: '高齢の居住者ではアプリの登録に支援が必要だった。',
      nextSteps: '他の集合住宅への展開と、紙の点検表との併用を検討する。',
      continuation: ContinuationIntent.CONTINUE,
    },
    page: {
      title: 'マンションの在宅避難をアプリで支援',
      summary: '区内の分譲マンション3棟で、備蓄品の点検と安否確認を一体で行えるアプリを試行しました。防災訓練では342世帯が登録し、安否確認を42分で完了しました。',
      blocks: [
        { kind: 'PROPOSAL_FIELD', field: 'wardIssue' },
        { kind: 'REPORT_PART', part: 'activities' },
        { kind: 'REPORT_PART', part: 'indicatorResults' },
        { kind: 'REPORT_PART', part: 'peopleReached' },
        { kind: 'REPORT_PART', part: 'partnerContribution' },
        { kind: 'REPORT_PART', part: 'nextSteps' },
      ],
      fieldCodes: ['disaster-crime-prevention'],
      fiscalYear: 2024,
    },
    publish: true,
  },
  {
    memberEmail: 'npo@demo.renkei.jp',
    leadSection: '環境政策課',
    proposal: {
      title: '親子で学ぶ荒川河川敷の生きもの観察会',
      wardIssue: '身近な自然にふれる機会が少なく、子どもが地域の生きものや水辺の環境を知るきっかけが限られている。',
      content: '荒川河川敷で、親子向けの生きもの観察会と、観察した生きものを絵本風の記録にまとめるワークショップを開く。',
      expectedEffects: '親子の環境への関心の高まりと、子育て家庭どうしのつながり。',
      askOfWard: '会場の調整、区の環境学習資料の提供、区報での参加者募集。',
      ownResources: '観察会の講師（保護者ボランティアと自然観察指導員）、教材、保険。',
      schedule: '令和7年5月から10月まで、月1回。',
      wardCost: WardCost.NONE,
      wardCostReason: '',
    },
    decision: {
      startDate: '2025-05-01',
      endDate: '2025-10-31',
      scope: '荒川河川敷での親子向け生きもの観察会（全6回）と記録づくりのワークショップ。',
      wardResponsibilities: '会場の調整、環境学習資料の提供、区報・区ホームページでの周知。',
      proposerResponsibilities: '観察会の企画・運営、講師の手配、参加者の保険加入、実施結果の報告。',
      indicators: [{ name: '参加した親子の組数', target: '延べ120組' }],
    },
    report: {
      activities: '荒川河川敷で観察会を6回開催し、毎回の観察記録を親子で絵本風の冊子にまとめた。冊子は区立図書館で展示した。',
      indicatorResults: [{ name: '参加した親子の組数', actual: '延べ138組' }],
      peopleReached: 352,
      wardCostYen: 0,
      partnerContribution: '講師の派遣、教材と保険の手配、冊子の制作。',
      partnerContributionYen: 480000,
      issues: '雨天による中止が1回あり、予備日の設定が必要。',
      nextSteps: '次年度は区内の公園の池でも実施する。',
      continuation: ContinuationIntent.CONTINUE,
    },
    page: {
      title: '親子で荒川の生きものを観察し、絵本にまとめました',
      summary: 'いたばし子育てネットと環境政策課が連携し、荒川河川敷で親子向けの生きもの観察会を全6回開催しました。延べ138組の親子が参加しました。',
      blocks: [
        { kind: 'PROPOSAL_FIELD', field: 'wardIssue' },
        { kind: 'PROPOSAL_FIELD', field: 'content' },
        { kind: 'REPORT_PART', part: 'activities' },
        { kind: 'REPORT_PART', part: 'indicatorResults' },
        { kind: 'REPORT_PART', part: 'issues' },
      ],
      fieldCodes: ['environmental-education', 'child-rearing'],
      fiscalYear: 2025,
    },
    publish: true,
  },
  {
    memberEmail: 'proposer@demo.renkei.jp',
    leadSection: '環境政策課',
    proposal: {
      title: '区立公園の落ち葉を堆肥にする資源循環の試行',
      wardIssue: '区立公園の落ち葉は可燃ごみとして処理されており、処理費用と環境負荷が課題になっている。',
      content: '区立公園2か所で集めた落ち葉を、地域の農園と協力して堆肥化し、区民の花壇や学校園で使う。',
      expectedEffects: '可燃ごみの削減と、区民が資源循環を体験する機会の創出。',
      askOfWard: '公園での落ち葉の保管場所の提供、区報での周知。',
      ownResources: '堆肥化の設備と技術指導、運搬。',
      schedule: '令和7年11月から令和8年3月まで。',
      wardCost: WardCost.NONE,
      wardCostReason: '',
    },
    decision: {
      startDate: '2025-11-01',
      endDate: '2026-03-31',
      scope: '区立公園2か所の落ち葉の堆肥化と、できた堆肥の区民への配布。',
      wardResponsibilities: '落ち葉の保管場所の提供、区報での周知。',
      proposerResponsibilities: '堆肥化の設備と運搬、技術指導、実施結果の報告。',
      indicators: [{ name: '堆肥化した落ち葉の量', target: '5トン' }],
    },
    report: {
      activities: '区立公園2か所で落ち葉を回収し、地域の農園で堆肥化した。できた堆肥は区民と小学校2校に配布した。',
      indicatorResults: [{ name: '堆肥化した落ち葉の量', actual: '6.2トン' }],
      peopleReached: 210,
      wardCostYen: 0,
      partnerContribution: '堆肥化の設備と運搬、技術指導。',
      partnerContributionYen: 650000,
      issues: '落ち葉に混じるごみの分別に手間がかかった。',
      nextSteps: '回収する公園を増やし、分別の呼びかけを強化する。',
      continuation: ContinuationIntent.CONTINUE,
    },
    page: {
      title: '公園の落ち葉を堆肥に　資源循環の試行',
      summary: '区立公園2か所の落ち葉6.2トンを地域の農園と堆肥化し、区民と小学校に配布しました。',
      blocks: [
        { kind: 'REPORT_PART', part: 'activities' },
        { kind: 'REPORT_PART', part: 'indicatorResults' },
      ],
      fieldCodes: ['cleaning-recycling', 'environmental-education'],
      fiscalYear: 2025,
    },
    publish: false,
  },
];

async function viewerOf(em: EntityManager, email: string): Promise<AccountViewer | null> {
  const account = await em.findOne(Account, { email, disabledAt: null });
  if (!account) return null;
  const membership = account.role === Role.PROPOSER ? await em.findOne(Membership, { account: account.id, leftAt: null }) : null;
  return { kind: 'account', accountId: account.id, role: account.role, sectionId: account.section?.id ?? null, organisationId: membership?.organisation.id ?? null };
}

/** One demo case, from the proposal to the page; returns whether it was created. */
async function seedCase(em: EntityManager, seed: DemoCase, desk: AccountViewer): Promise<boolean> {
  const member = await viewerOf(em, seed.memberEmail);
  const section = await em.findOne(Section, { name: seed.leadSection, retiredAt: null });
  const staffAccount = section ? await em.findOne(Account, { section: section.id, role: Role.SECTION, disabledAt: null }, { orderBy: { email: 'asc' } }) : null;
  const staff = staffAccount ? await viewerOf(em, staffAccount.email) : null;
  if (!member?.organisationId || !section || !staff) return false;
  // Idempotent: a demo case's proposal already in its organisation is not made twice.
  if (await em.count(Proposal, { organisation: member.organisationId, title: seed.proposal.title })) return false;

  let p = await createProposalDraft(em, member, { kind: ProposalKind.FREE, ...seed.proposal } as ProposalDraftInput, null);
  p = await submitProposal(em, member, p.id, p.version, { notSolelyCommercial: true, notPoliticalOrReligious: true, noAntisocialTies: true }, null);
  p = await transitionProposal(em, desk, p.id, p.version, 'acceptForReview');
  p = await transitionProposal(em, desk, p.id, p.version, 'startDialogue');
  p = await matchProposal(em, desk, p.id, p.version, [section.id], section.id);
  const match = await em.fork().findOneOrFail(Match, { proposal: p.id, section: section.id });
  await transitionMatch(em, staff, match.id, match.version, 'accept');
  p = (await em.fork().findOneOrFail(Proposal, { id: p.id })) as Proposal;
  p = await recordAgreement(em, desk, p.id, p.version, { ...seed.decision, form: PartnershipForm.AGREEMENT, wardCost: DecisionWardCost.NONE } as PartnershipDecisionInput);
  p = await startProposalWork(em, staff, p.id, p.version);
  await startReport(em, staff, p.id);
  let report = await em.fork().findOneOrFail(ImplementationReport, { proposal: p.id });
  await saveReport(em, staff, report.id, report.version, { ...seed.report, periodStart: seed.decision.startDate, periodEnd: seed.decision.endDate } as ReportInput);
  report = await em.fork().findOneOrFail(ImplementationReport, { id: report.id });
  await submitReport(em, staff, report.id, report.version);
  report = await em.fork().findOneOrFail(ImplementationReport, { id: report.id });
  await acceptReport(em, desk, report.id, report.version);

  await composeCase(em, desk, p.id, seed.page);
  if (!seed.publish) return true;
  await giveCaseConsent(em, member, p.id);
  const page = await em.fork().findOneOrFail(PublicCase, { proposal: p.id });
  await publishCase(em, desk, p.id, page.version);
  return true;
}

/**
 * The demo cases. Needs the demo accounts, organisations and sections (seeded before it); a case
 * whose people are missing is skipped, and one already there is not made again. Returns how many
 * it created.
 */
export async function seedDemoCases(em: EntityManager): Promise<number> {
  const deskAccount = await em.findOne(Account, { role: Role.DESK, disabledAt: null }, { orderBy: { email: 'asc' } });
  const desk = deskAccount ? await viewerOf(em, deskAccount.email) : null;
  if (!desk) return 0;
  let created = 0;
  for (const seed of DEMO_CASES) if (await seedCase(em.fork(), seed, desk)) created += 1;
  return created;
}
