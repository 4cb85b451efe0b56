import { FIELD_LABELS_JA, PROTECTABLE_FIELDS, type ProtectableField } from '../protection/protection.policy.js';

/**
 * What the desk can place on a case page (事例), and the headings the public reads them under.
 * Proposal fields are the proposer's prose (each one protectable); report parts are the lead
 * section's accepted report (実施報告書), never protectable, so only the proposer's material can
 * be withheld.
 */
export const CASE_PROPOSAL_FIELDS: readonly ProtectableField[] = PROTECTABLE_FIELDS;

export const REPORT_PARTS = ['activities', 'indicatorResults', 'peopleReached', 'wardCostYen', 'partnerContribution', 'partnerContributionYen', 'issues', 'nextSteps'] as const;
export type ReportPart = (typeof REPORT_PARTS)[number];

export function isReportPart(name: string): name is ReportPart {
  return (REPORT_PARTS as readonly string[]).includes(name);
}

export function isCaseProposalField(name: string): name is ProtectableField {
  return (CASE_PROPOSAL_FIELDS as readonly string[]).includes(name);
}

/** Headings on the public page, in the portal's language (Japanese, like the report form). */
export const PROPOSAL_FIELD_HEADINGS: Record<ProtectableField, string> = FIELD_LABELS_JA;

export const REPORT_PART_HEADINGS: Record<ReportPart, string> = {
  activities: '実施内容',
  indicatorResults: '成果指標',
  peopleReached: '参加者数・対象者数',
  wardCostYen: '区の費用負担',
  partnerContribution: '提案者による負担・提供',
  partnerContributionYen: '提案者による負担・提供（金額換算）',
  issues: '課題',
  nextSteps: '今後の展開',
};

/** How a report part is shown: prose, the indicator table, or one figure with its unit. */
export const REPORT_PART_SHAPES: Record<ReportPart, { kind: 'TEXT' } | { kind: 'INDICATORS' } | { kind: 'FIGURE'; unit: string }> = {
  activities: { kind: 'TEXT' },
  indicatorResults: { kind: 'INDICATORS' },
  peopleReached: { kind: 'FIGURE', unit: '人' },
  wardCostYen: { kind: 'FIGURE', unit: '円' },
  partnerContribution: { kind: 'TEXT' },
  partnerContributionYen: { kind: 'FIGURE', unit: '円' },
  issues: { kind: 'TEXT' },
  nextSteps: { kind: 'TEXT' },
};
