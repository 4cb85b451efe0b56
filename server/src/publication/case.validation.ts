import { challengeFieldByCode } from '../challenges/challenge-fields.js';
import { InputError, type FieldError, type FieldErrorCode } from '../errors/domain-errors.js';
import { isUuid } from '../shared/uuid.js';
import { isCaseProposalField, isReportPart } from './case-items.js';
import type { CaseBlock } from './public-case.entity.js';

/**
 * The codes a case refusal carries per field, on top of the shared ones: the client words each.
 * CONSENT_MISSING (publish before the proposer consented), PROTECTED_ITEM (a placed item is
 * protected — アイデア保護), UNKNOWN_FIELD (a field code or item name not in the catalogue),
 * REASON_REQUIRED (withdrawing from the portal without saying why).
 */
export type CaseFieldErrorCode = FieldErrorCode | 'CONSENT_MISSING' | 'PROTECTED_ITEM' | 'UNKNOWN_FIELD' | 'REASON_REQUIRED';

/** Collects per-field refusals, then throws one BAD_USER_INPUT listing them all. */
export class CaseFieldErrors {
  private readonly errors: Array<{ field: string; code: CaseFieldErrorCode; message: string }> = [];
  add(field: string, code: CaseFieldErrorCode, message: string): this {
    this.errors.push({ field, code, message });
    return this;
  }
  get any(): boolean {
    return this.errors.length > 0;
  }
  list(): ReadonlyArray<{ field: string; code: CaseFieldErrorCode; message: string }> {
    return this.errors;
  }
  throwIfAny(): void {
    // The shared InputError carries any code string to the client; the union above names ours.
    if (this.errors.length > 0) throw new InputError(this.errors.map((error) => ({ ...error }) as unknown as FieldError));
  }
}

export const TITLE_MAX = 200;
export const SUMMARY_MAX = 2000;
export const BLOCKS_MAX = 40;
export const REASON_MAX = 2000;
export const FISCAL_YEAR_MIN = 2000;
export const FISCAL_YEAR_MAX = 2100;

export interface CaseBlockShape {
  kind: string;
  field?: string | null;
  part?: string | null;
  attachmentId?: string | null;
}

export interface CaseCompositionShape {
  title: string;
  summary: string;
  blocks: readonly CaseBlockShape[];
  fieldCodes: readonly string[];
  fiscalYear: number;
}

export interface CleanComposition {
  title: string;
  summary: string;
  blocks: CaseBlock[];
  fieldCodes: string[];
  fiscalYear: number;
}

const blockKey = (block: CaseBlock): string => ('field' in block ? `F:${block.field}` : 'part' in block ? `P:${block.part}` : `A:${block.attachmentId}`);

function cleanBlock(block: CaseBlockShape, at: string, errors: CaseFieldErrors): CaseBlock | null {
  switch (block.kind) {
    case 'PROPOSAL_FIELD': {
      const field = (block.field ?? '').trim();
      if (!isCaseProposalField(field)) errors.add(`${at}.field`, 'UNKNOWN_FIELD', 'Not a proposal field that can be placed');
      return { kind: 'PROPOSAL_FIELD', field };
    }
    case 'REPORT_PART': {
      const part = (block.part ?? '').trim();
      if (!isReportPart(part)) errors.add(`${at}.part`, 'UNKNOWN_FIELD', 'Not a part of the implementation report');
      return { kind: 'REPORT_PART', part };
    }
    case 'REPORT_PHOTO':
    case 'ATTACHMENT': {
      const attachmentId = (block.attachmentId ?? '').trim();
      if (!isUuid(attachmentId)) errors.add(`${at}.attachmentId`, 'UNKNOWN_REFERENCE', 'No such file');
      return { kind: block.kind, attachmentId };
    }
    default:
      errors.add(`${at}.kind`, 'INVALID', 'Not a kind of item');
      return null;
  }
}

/**
 * The desk's composition, cleaned: a title (required), a summary (may be empty while drafting),
 * the placed items (known kinds and names, each at most once), known field codes (deduplicated),
 * a plausible 年度. Whether the items exist and are unprotected is checked against the proposal.
 */
export function validateCaseComposition(input: CaseCompositionShape): CleanComposition {
  const errors = new CaseFieldErrors();
  const title = input.title.trim();
  const summary = input.summary.trim();
  if (!title) errors.add('title', 'REQUIRED', 'The page needs a title');
  else if (title.length > TITLE_MAX) errors.add('title', 'TOO_LONG', `At most ${TITLE_MAX} characters`);
  if (summary.length > SUMMARY_MAX) errors.add('summary', 'TOO_LONG', `At most ${SUMMARY_MAX} characters`);
  if (input.blocks.length > BLOCKS_MAX) errors.add('blocks', 'TOO_MANY', `At most ${BLOCKS_MAX} items`);
  const blocks: CaseBlock[] = [];
  const seen = new Set<string>();
  input.blocks.slice(0, BLOCKS_MAX).forEach((shape, index) => {
    const block = cleanBlock(shape, `blocks.${index}`, errors);
    if (!block) return;
    if (seen.has(blockKey(block))) errors.add(`blocks.${index}`, 'INVALID', 'This item is already on the page');
    seen.add(blockKey(block));
    blocks.push(block);
  });
  const fieldCodes: string[] = [];
  input.fieldCodes.forEach((raw, index) => {
    const code = raw.trim();
    if (!challengeFieldByCode(code)) errors.add(`fieldCodes.${index}`, 'UNKNOWN_FIELD', 'Not a field (分野) of the catalogue');
    else if (!fieldCodes.includes(code)) fieldCodes.push(code);
  });
  if (!Number.isInteger(input.fiscalYear) || input.fiscalYear < FISCAL_YEAR_MIN || input.fiscalYear > FISCAL_YEAR_MAX) errors.add('fiscalYear', 'INVALID', 'Not a fiscal year (年度)');
  errors.throwIfAny();
  return { title, summary, blocks, fieldCodes, fiscalYear: input.fiscalYear };
}

/** What publishing needs besides unprotected items (checked by the snapshot): consent and a complete page. */
export function publishingRefusals(page: { title: string; summary: string; blocks: readonly CaseBlock[]; fieldCodes: readonly string[]; consentedAt: Date | null }, errors: CaseFieldErrors): void {
  if (!page.consentedAt) errors.add('consent', 'CONSENT_MISSING', 'The proposer has not consented to publication');
  if (!page.title.trim()) errors.add('title', 'REQUIRED', 'The page needs a title');
  if (!page.summary.trim()) errors.add('summary', 'REQUIRED', 'The page needs a summary');
  if (page.blocks.length === 0) errors.add('blocks', 'REQUIRED', 'Place at least one item on the page');
  if (page.fieldCodes.length === 0) errors.add('fieldCodes', 'REQUIRED', 'List the case under at least one field');
  page.fieldCodes.forEach((code, index) => {
    if (!challengeFieldByCode(code)) errors.add(`fieldCodes.${index}`, 'UNKNOWN_FIELD', 'Not a field (分野) of the catalogue');
  });
}

/** The reason for withdrawing a published case (公開取下げ): required, kept in the audit trail. */
export function cleanWithdrawReason(reason: string): string {
  const clean = reason.trim();
  const errors = new CaseFieldErrors();
  if (!clean) errors.add('reason', 'REASON_REQUIRED', 'Say why the case is withdrawn');
  else if (clean.length > REASON_MAX) errors.add('reason', 'TOO_LONG', `At most ${REASON_MAX} characters`);
  errors.throwIfAny();
  return clean;
}
