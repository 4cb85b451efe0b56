// The case page (事例) composer's pure helpers: item keys and order, the default 年度, and the
// words for why the server refused a case or why it cannot be published yet.
import type { FieldError } from './appError'
import { fieldErrorMessage, type Translate } from './errorMessages'

export interface CaseBlockRef {
  kind: string
  field?: string | null
  part?: string | null
  attachmentId?: string | null
}

/** An item as placed on the page: a reference, as the server's CaseBlockInput takes it. */
export interface PlacedBlock {
  kind: CaseBlockRef['kind'] & ('PROPOSAL_FIELD' | 'REPORT_PART' | 'REPORT_PHOTO' | 'ATTACHMENT')
  field: string | null
  part: string | null
  attachmentId: string | null
}

export function placedBlock(block: { kind: PlacedBlock['kind']; field?: string | null; part?: string | null; attachmentId?: string | null }): PlacedBlock {
  return { kind: block.kind, field: block.field ?? null, part: block.part ?? null, attachmentId: block.attachmentId ?? null }
}

/** One key per placeable item: the same item is placed at most once. */
export function blockKey(block: CaseBlockRef): string {
  return `${block.kind}:${block.field ?? block.part ?? block.attachmentId ?? ''}`
}

/** The list with item `index` moved by `delta` (−1 up, +1 down); unchanged at either end. */
export function moved<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return [...list]
  const next = [...list]
  const [item] = next.splice(index, 1)
  next.splice(to, 0, item as T)
  return next
}

/** The 年度 (April–March) a YYYY-MM-DD date falls in; the current one without a date. */
export function fiscalYearOf(date: string | null | undefined, today = new Date()): number {
  const [y, m] = date ? date.split('-').map(Number) : [today.getFullYear(), today.getMonth() + 1]
  return (m ?? 1) >= 4 ? (y as number) : (y as number) - 1
}

/** Form labels of the case's inputs. */
export const CASE_LABEL_KEYS: Record<string, string> = {
  title: 'publication.field.title',
  summary: 'publication.field.summary',
  fieldCodes: 'publication.field.fields',
  fiscalYear: 'publication.field.fiscalYear',
  blocks: 'publication.field.blocks',
  attachmentId: 'publication.field.blocks',
  kind: 'publication.field.blocks',
  reason: 'publication.withdrawDialog.label',
}

/**
 * Why the server refused, or why publishing is blocked. The server's own case codes (a blocker's
 * code, raw) or, through an AppError, the shared codes with the case's own ones read as OTHER:
 * on `consent` it is CONSENT_MISSING, on `blocks` PROTECTED_ITEM, on a field code or an item's
 * name UNKNOWN_FIELD, on `reason` REASON_REQUIRED.
 */
export function caseProblemMessage(field: string, code: string, t: Translate): string {
  const base = field.split('.')[0] ?? field
  const own = code === 'OTHER' ? ownCodeOf(field) : code
  switch (own) {
    case 'CONSENT_MISSING':
    case 'PROTECTED_ITEM':
    case 'UNKNOWN_FIELD':
    case 'REASON_REQUIRED':
      return t(`publication.error.${own}`)
    default:
      if (base === 'case' && code === 'REQUIRED') return t('publication.error.NO_CASE')
      return fieldErrorMessage({ field: base, code: code as FieldError['code'], message: '' }, t, CASE_LABEL_KEYS)
  }
}

function ownCodeOf(field: string): string {
  if (field === 'consent') return 'CONSENT_MISSING'
  if (field === 'blocks') return 'PROTECTED_ITEM'
  if (field === 'reason') return 'REASON_REQUIRED'
  if (field === 'fieldCodes' || field === 'field' || field === 'part') return 'UNKNOWN_FIELD'
  return 'OTHER'
}
