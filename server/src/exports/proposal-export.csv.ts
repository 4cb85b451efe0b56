import { MatchState } from '../matches/match.entity.js';
import { OrganisationKind } from '../organisations/organisation.entity.js';
import { DecisionWardCost, PartnershipForm } from '../partnerships/partnership-decision.entity.js';
import { ProposalKind, WardCost, type ProposalState } from '../proposals/proposal.entity.js';
import { PROPOSAL_STATE_LABELS } from '../proposals/proposal-state-labels.js';
import { isProtectableField, type ProtectableField } from '../protection/protection.policy.js';
import { CaseState } from '../publication/public-case.entity.js';
import { ReportState } from '../reports/implementation-report.entity.js';
import { formatJstDate, toCsv } from '../shared/csv.js';
import { exportColumn, type ExportColumnId } from './proposal-export.columns.js';

/**
 * Rows of the proposal export → CSV (pure). Values are written as the desk says them, in
 * Japanese; the file is UTF-8 with a BOM, CRLF and RFC 4180 quoting, formulas made inert
 * (shared/csv.ts). A protected field's text is replaced by a fixed marker unless the desk chose
 * to include protected content — the marker says something was left out, never what.
 */

export const PROTECTED_MARKER = '（アイデア保護のため省略）';

/** One proposal with what the columns need, read by the service in a fixed number of statements. */
export interface ExportRow {
  referenceNumber: string | null;
  title: string;
  state: ProposalState;
  kind: ProposalKind;
  challengeTitle: string | null;
  submittedAt: Date | null;
  stateEnteredAt: Date;
  organisationName: string;
  organisationKind: OrganisationKind;
  deskOwnerName: string | null;
  /** Every match, oldest first, lead marked. */
  matches: ReadonlyArray<{ sectionName: string; state: MatchState; lead: boolean }>;
  agreementForm: PartnershipForm | null;
  /** As proposed, and as agreed once there is a decision. */
  proposedWardCost: WardCost;
  proposedWardCostEstimate: number | null;
  decidedWardCost: DecisionWardCost | null;
  decidedWardCostAmount: number | null;
  content: Record<ProtectableField, string>;
  /** Fields protected now (requested or agreed): protection.redaction's protectedFieldNames. */
  protectedFields: readonly ProtectableField[];
  reportState: ReportState | null;
  peopleReached: number | null;
  partnerContributionYen: number | null;
  caseState: CaseState | null;
}

const KIND_JA: Record<ProposalKind, string> = { FREE: 'フリー提案', CHALLENGE: '行政課題への提案' };
const ORGANISATION_KIND_JA: Record<OrganisationKind, string> = {
  COMPANY: '株式会社などの企業',
  UNIVERSITY: '大学・研究機関',
  NPO: 'NPO法人',
  ASSOCIATION: '一般社団・財団法人',
  OTHER: 'その他の団体',
};
const MATCH_STATE_JA: Record<MatchState, string> = { PENDING: '打診中', ACCEPTED: '受諾', DECLINED: '辞退', WITHDRAWN: '取り下げ' };
const FORM_JA: Record<PartnershipForm, string> = { NO_AGREEMENT: '協定によらない', AGREEMENT: '協定', CONTRACT: '契約' };
const REPORT_STATE_JA: Record<ReportState, string> = { DRAFT: '下書き', SUBMITTED: '提出済み', RETURNED: '修正依頼あり', ACCEPTED: '受理済み' };
const CASE_STATE_JA: Record<CaseState, string> = { DRAFT: '作成中（非公開）', PUBLISHED: '公開中', WITHDRAWN: '公開停止' };

const ACTIVE = new Set<MatchState>([MatchState.PENDING, MatchState.ACCEPTED]);
/** The lead (主担当) while the match is active: a declined or withdrawn lead leads nothing. */
const isLead = (match: { state: MatchState; lead: boolean }) => match.lead && ACTIVE.has(match.state);
const number = (value: number | null) => (value === null ? '' : String(value));

function wardCostJa(row: ExportRow): string {
  // Once agreed, the decision is what holds; before that, what the proposer said.
  if (row.decidedWardCost) return row.decidedWardCost === DecisionWardCost.NONE ? 'なし' : `あり（${number(row.decidedWardCostAmount)}円）`;
  return row.proposedWardCost === WardCost.NONE ? 'なし（提案時）' : `見込み ${number(row.proposedWardCostEstimate)}円（提案時）`;
}

const VALUES: Record<Exclude<ExportColumnId, ProtectableField>, (row: ExportRow) => string> = {
  referenceNumber: (row) => row.referenceNumber ?? '',
  title: (row) => row.title,
  state: (row) => PROPOSAL_STATE_LABELS[row.state].ja,
  kind: (row) => KIND_JA[row.kind],
  challenge: (row) => row.challengeTitle ?? '',
  submittedDate: (row) => formatJstDate(row.submittedAt),
  stateEnteredDate: (row) => formatJstDate(row.stateEnteredAt),
  organisationName: (row) => row.organisationName,
  organisationKind: (row) => ORGANISATION_KIND_JA[row.organisationKind],
  deskOwner: (row) => row.deskOwnerName ?? '',
  leadSection: (row) => row.matches.find(isLead)?.sectionName ?? '',
  // The lead section first, then the others as they were matched.
  matchedSections: (row) => [...row.matches].sort((a, b) => Number(isLead(b)) - Number(isLead(a))).map((match) => `${match.sectionName}（${MATCH_STATE_JA[match.state]}${isLead(match) ? '・主担当' : ''}）`).join('、'),
  agreementForm: (row) => (row.agreementForm ? FORM_JA[row.agreementForm] : ''),
  wardCost: wardCostJa,
  reportState: (row) => (row.reportState ? REPORT_STATE_JA[row.reportState] : ''),
  peopleReached: (row) => number(row.peopleReached),
  partnerContributionYen: (row) => number(row.partnerContributionYen),
  caseState: (row) => (row.caseState ? CASE_STATE_JA[row.caseState] : ''),
};

export function cellValue(row: ExportRow, column: ExportColumnId, includeProtected: boolean): string {
  if (isProtectableField(column)) return !includeProtected && row.protectedFields.includes(column) ? PROTECTED_MARKER : row.content[column];
  return VALUES[column](row);
}

/** The header (Japanese labels) and one line per row, in the chosen columns' order. */
export function proposalExportCsv(rows: readonly ExportRow[], columns: readonly ExportColumnId[], includeProtected: boolean): string {
  const header = columns.map((id) => exportColumn(id)!.labelJa);
  return toCsv([header, ...rows.map((row) => columns.map((column) => cellValue(row, column, includeProtected)))]);
}
