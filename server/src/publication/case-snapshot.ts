import { challengeFieldByCode } from '../challenges/challenge-fields.js';
import type { OrganisationKind } from '../organisations/organisation.entity.js';
import { ProtectedItemKind } from '../protection/protection-request.entity.js';
import { isProtected, type ProposalProse, type ProtectionEntryFacts } from '../protection/protection.redaction.js';
import { isCaseProposalField, isReportPart, PROPOSAL_FIELD_HEADINGS, REPORT_PART_HEADINGS, REPORT_PART_SHAPES, type ReportPart } from './case-items.js';
import type { CaseBlock, PublishedCaseBlock, PublishedCaseContent } from './public-case.entity.js';

/**
 * Pure: the public page (事例) as it would be published, from the desk's composition and the
 * proposal's material. The same code makes the preview and the published snapshot, so the preview
 * is exactly what the public will see. A protected item (アイデア保護: a REQUESTED or AGREED
 * entry) or a reference to something that is not there is never rendered: it is left out of the
 * content and listed in `refused`, and publishing refuses the page while anything is refused.
 */

export interface CaseReportFacts {
  periodStart: string | null;
  periodEnd: string | null;
  activities: string;
  indicatorResults: ReadonlyArray<{ name: string; target: string; actual: string; note: string }>;
  peopleReached: number | null;
  wardCostYen: number;
  partnerContribution: string;
  partnerContributionYen: number | null;
  issues: string;
  nextSteps: string;
}

export interface CaseFileFacts {
  id: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
}

export interface CaseSources {
  composition: { title: string; summary: string; blocks: readonly CaseBlock[]; fieldCodes: readonly string[]; fiscalYear: number };
  proposal: ProposalProse;
  organisation: { name: string; kind: OrganisationKind };
  leadSectionName: string | null;
  /** The accepted report; null only for a proposal that has none (nothing of it can be placed). */
  report: CaseReportFacts | null;
  /** The report's live photos. */
  photos: readonly CaseFileFacts[];
  /** The proposer's live material (PROPOSAL attachments). */
  attachments: readonly CaseFileFacts[];
  register: readonly ProtectionEntryFacts[];
}

export type RefusalCode = 'PROTECTED_ITEM' | 'UNKNOWN_REFERENCE';
export interface RefusedBlock {
  index: number;
  source: CaseBlock;
  code: RefusalCode;
}

export interface CaseSnapshot {
  content: PublishedCaseContent;
  searchText: string;
  refused: RefusedBlock[];
}

/** Whether one placed item is protected now: proposal fields and files are the proposer's to protect. */
export function isBlockProtected(block: CaseBlock, register: readonly ProtectionEntryFacts[]): boolean {
  if (block.kind === 'PROPOSAL_FIELD') return isProtected(register, { kind: ProtectedItemKind.FIELD, fieldName: block.field });
  if (block.kind === 'ATTACHMENT' || block.kind === 'REPORT_PHOTO') return isProtected(register, { kind: ProtectedItemKind.ATTACHMENT, attachmentId: block.attachmentId });
  return false;
}

function reportBlock(source: CaseBlock, part: ReportPart, report: CaseReportFacts): PublishedCaseBlock {
  const heading = REPORT_PART_HEADINGS[part];
  const shape = REPORT_PART_SHAPES[part];
  if (shape.kind === 'INDICATORS') return { kind: 'INDICATORS', source, heading, rows: report.indicatorResults.map((row) => ({ name: row.name, target: row.target, actual: row.actual, note: row.note })) };
  if (shape.kind === 'FIGURE') return { kind: 'FIGURE', source, heading, value: report[part as 'peopleReached' | 'wardCostYen' | 'partnerContributionYen'], unit: shape.unit };
  return { kind: 'TEXT', source, heading, text: report[part as 'activities' | 'partnerContribution' | 'issues' | 'nextSteps'] };
}

function renderBlock(block: CaseBlock, sources: CaseSources): PublishedCaseBlock | null {
  switch (block.kind) {
    case 'PROPOSAL_FIELD':
      return isCaseProposalField(block.field) ? { kind: 'TEXT', source: block, heading: PROPOSAL_FIELD_HEADINGS[block.field], text: sources.proposal[block.field] } : null;
    case 'REPORT_PART':
      return isReportPart(block.part) && sources.report ? reportBlock(block, block.part, sources.report) : null;
    case 'REPORT_PHOTO': {
      const photo = sources.photos.find((p) => p.id === block.attachmentId);
      return photo ? { kind: 'PHOTO', source: block, attachmentId: photo.id, fileName: photo.fileName, contentType: photo.mediaType } : null;
    }
    case 'ATTACHMENT': {
      const file = sources.attachments.find((a) => a.id === block.attachmentId);
      return file ? { kind: 'FILE', source: block, attachmentId: file.id, fileName: file.fileName, contentType: file.mediaType, byteSize: file.sizeBytes } : null;
    }
    default:
      return null;
  }
}

/** The snapshot's text for the public search index: every word the public page shows, nothing else. */
export function caseSearchText(content: PublishedCaseContent): string {
  const parts: string[] = [content.title, content.summary, content.organisationName, content.leadSectionName ?? '', `${content.fiscalYear}年度`];
  for (const code of content.fieldCodes) parts.push(challengeFieldByCode(code)?.nameJa ?? '');
  for (const block of content.blocks) {
    if (block.kind === 'TEXT') parts.push(block.heading, block.text);
    else if (block.kind === 'INDICATORS') for (const row of block.rows) parts.push(row.name, row.target, row.actual, row.note);
    else if (block.kind === 'FIGURE') parts.push(block.heading);
    else parts.push(block.fileName);
  }
  return parts
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join('\n');
}

/** The page as the public would see it now, what it leaves out and why, and its search text. */
export function buildCaseSnapshot(sources: CaseSources): CaseSnapshot {
  const refused: RefusedBlock[] = [];
  const blocks: PublishedCaseBlock[] = [];
  sources.composition.blocks.forEach((source, index) => {
    // Protection first: a protected item is never even looked up.
    if (isBlockProtected(source, sources.register)) return void refused.push({ index, source, code: 'PROTECTED_ITEM' });
    const rendered = renderBlock(source, sources);
    if (!rendered) return void refused.push({ index, source, code: 'UNKNOWN_REFERENCE' });
    blocks.push(rendered);
  });
  const report = sources.report;
  const content: PublishedCaseContent = {
    title: sources.composition.title,
    summary: sources.composition.summary,
    organisationName: sources.organisation.name,
    organisationKind: sources.organisation.kind,
    leadSectionName: sources.leadSectionName,
    fieldCodes: [...sources.composition.fieldCodes],
    fiscalYear: sources.composition.fiscalYear,
    periodStart: report?.periodStart ?? null,
    periodEnd: report?.periodEnd ?? null,
    wardCostYen: report?.wardCostYen ?? null,
    partnerContributionYen: report?.partnerContributionYen ?? null,
    blocks,
  };
  return { content, searchText: caseSearchText(content), refused };
}

/**
 * A published snapshot without the items that have become protected since (protection asked for
 * after publication): removed, not masked; the search text rebuilt from what remains.
 */
export function withoutProtectedItems(content: PublishedCaseContent, register: readonly ProtectionEntryFacts[]): { content: PublishedCaseContent; searchText: string; removed: CaseBlock[] } {
  const removed = content.blocks.filter((block) => isBlockProtected(block.source, register)).map((block) => block.source);
  const next = { ...content, blocks: content.blocks.filter((block) => !isBlockProtected(block.source, register)) };
  return { content: next, searchText: caseSearchText(next), removed };
}
