import { PROTECTABLE_FIELDS, type ProtectableField } from '../protection/protection.policy.js';

/**
 * The columns the desk may choose for the proposal export (提案一覧のCSV出力), in their default
 * order. Pure: ids are what the route's `columns=` takes, what the audit trail records and what
 * the client remembers. `protectedContent` marks the proposer's prose that may be protected
 * (アイデア保護): left out of the file unless the desk explicitly includes it.
 */

export type ExportColumnGroup = 'proposal' | 'organisation' | 'responsibility' | 'partnership' | 'content' | 'report';

export interface ExportColumn {
  id: ExportColumnId;
  group: ExportColumnGroup;
  labelJa: string;
  labelEn: string;
  protectedContent: boolean;
}

const FACT_COLUMNS = [
  { id: 'referenceNumber', group: 'proposal', labelJa: '受付番号', labelEn: 'Reference number' },
  { id: 'title', group: 'proposal', labelJa: '件名', labelEn: 'Title' },
  { id: 'state', group: 'proposal', labelJa: '状態', labelEn: 'State' },
  { id: 'kind', group: 'proposal', labelJa: '提案の種類', labelEn: 'Kind' },
  { id: 'challenge', group: 'proposal', labelJa: '行政課題', labelEn: 'Challenge' },
  { id: 'submittedDate', group: 'proposal', labelJa: '受付日', labelEn: 'Submitted (date, JST)' },
  { id: 'stateEnteredDate', group: 'proposal', labelJa: '現在の状態になった日', labelEn: 'State entered (date, JST)' },
  { id: 'organisationName', group: 'organisation', labelJa: '団体名', labelEn: 'Organisation' },
  { id: 'organisationKind', group: 'organisation', labelJa: '団体の種類', labelEn: 'Organisation kind' },
  { id: 'deskOwner', group: 'responsibility', labelJa: 'デスク担当者', labelEn: 'Desk owner' },
  { id: 'leadSection', group: 'responsibility', labelJa: '主担当課', labelEn: 'Lead section' },
  { id: 'matchedSections', group: 'responsibility', labelJa: 'マッチングした課（状態）', labelEn: 'Matched sections (state)' },
  { id: 'agreementForm', group: 'partnership', labelJa: '連携の形態', labelEn: 'Form of partnership' },
  { id: 'wardCost', group: 'partnership', labelJa: '区の費用負担', labelEn: 'Cost to the ward' },
] as const;

const CONTENT_LABELS: Record<ProtectableField, { labelJa: string; labelEn: string }> = {
  wardIssue: { labelJa: '解決したい課題', labelEn: 'Issue to solve' },
  content: { labelJa: '提案内容', labelEn: 'Proposal' },
  expectedEffects: { labelJa: '期待される効果', labelEn: 'Expected effects' },
  askOfWard: { labelJa: '区に求める協力', labelEn: 'Ask of the ward' },
  wardCostReason: { labelJa: '費用負担が必要な理由', labelEn: 'Reason for ward cost' },
  ownResources: { labelJa: '提案者が提供する資源', labelEn: 'Own resources' },
  schedule: { labelJa: 'スケジュール', labelEn: 'Schedule' },
};

const REPORT_COLUMNS = [
  { id: 'reportState', group: 'report', labelJa: '実施報告書の状態', labelEn: 'Report state' },
  { id: 'peopleReached', group: 'report', labelJa: '参加者数・対象者数', labelEn: 'People reached' },
  { id: 'partnerContributionYen', group: 'report', labelJa: '提案者の貢献額（円）', labelEn: 'Partner contribution (yen)' },
  { id: 'caseState', group: 'report', labelJa: '事例の公開状態', labelEn: 'Case page state' },
] as const;

export type ExportColumnId = (typeof FACT_COLUMNS)[number]['id'] | ProtectableField | (typeof REPORT_COLUMNS)[number]['id'];

/** Every column, in the default order: facts, the protectable prose, then the outcome. */
export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  ...FACT_COLUMNS.map((column) => ({ ...column, protectedContent: false })),
  ...PROTECTABLE_FIELDS.map((id) => ({ id, group: 'content' as const, ...CONTENT_LABELS[id], protectedContent: true })),
  ...REPORT_COLUMNS.map((column) => ({ ...column, protectedContent: false })),
];

const BY_ID = new Map<string, ExportColumn>(EXPORT_COLUMNS.map((column) => [column.id, column]));

export function exportColumn(id: string): ExportColumn | undefined {
  return BY_ID.get(id);
}

export function isExportColumnId(id: string): id is ExportColumnId {
  return BY_ID.has(id);
}
