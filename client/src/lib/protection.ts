// Protection (アイデア保護): which items are protected, what the proposer may still ask to protect,
// and how the register names each item. Pure, so the components stay thin.
import type { ProposalState, ProtectionEntryFragment, ProtectionState } from '../gql/graphql'

/** The fields a proposer may ask to protect: every prose field but the title (the server's rule). */
export const PROTECTABLE_FIELDS = ['wardIssue', 'content', 'expectedEffects', 'askOfWard', 'wardCostReason', 'ownResources', 'schedule'] as const
export type ProtectableField = (typeof PROTECTABLE_FIELDS)[number]

/** The proposal states in which the proposer may ask (from submission until the report). */
export const PROTECTION_REQUEST_STATES: readonly ProposalState[] = ['SUBMITTED', 'UNDER_REVIEW', 'IN_DIALOGUE', 'AGREED', 'IN_PROGRESS', 'REPORTED']

export type ProtectionItem = { kind: 'FIELD'; fieldName: string } | { kind: 'ATTACHMENT'; attachmentId: string } | { kind: 'MESSAGE'; messageId: string }

type EntryItem = Pick<ProtectionEntryFragment, 'itemKind' | 'fieldName' | 'messageId' | 'state'> & { attachment?: { id: string } | null }

function sameItem(entry: EntryItem, item: ProtectionItem): boolean {
  if (entry.itemKind !== item.kind) return false
  if (item.kind === 'FIELD') return entry.fieldName === item.fieldName
  if (item.kind === 'ATTACHMENT') return entry.attachment?.id === item.attachmentId
  return entry.messageId === item.messageId
}

/** REQUESTED (treated as protected until the desk decides) or AGREED; null when not protected (never asked, or declined). */
export function protectionStateOf(register: readonly EntryItem[], item: ProtectionItem): ProtectionState | null {
  let state: ProtectionState | null = null
  for (const entry of register) {
    if (!sameItem(entry, item)) continue
    if (entry.state === 'AGREED') return 'AGREED'
    if (entry.state === 'REQUESTED') state = 'REQUESTED'
  }
  return state
}

/** The badge's text key and whether it shows at all. */
export function badgeKey(state: ProtectionState | null | undefined): string | null {
  if (state === 'REQUESTED') return 'protection.badge.REQUESTED'
  if (state === 'AGREED') return 'protection.badge.AGREED'
  return null
}

/** An item the proposer may still ask to protect, as the choice in the request form. */
export interface RequestableItem {
  /** Unique among the choices: `FIELD:content`, `ATTACHMENT:<id>`. */
  value: string
  item: ProtectionItem
  /** A field's i18n key, or an attachment's file name. */
  labelKey: string | null
  label: string | null
}

/** Fields (non-empty) and attachments that are not protected now, in the form's order. */
export function requestableItems(
  register: readonly EntryItem[],
  fieldValues: Partial<Record<ProtectableField, string | null>>,
  attachments: ReadonlyArray<{ id: string; fileName: string }>,
): RequestableItem[] {
  const out: RequestableItem[] = []
  for (const fieldName of PROTECTABLE_FIELDS) {
    const item: ProtectionItem = { kind: 'FIELD', fieldName }
    if ((fieldValues[fieldName] ?? '').trim() === '' || protectionStateOf(register, item)) continue
    out.push({ value: `FIELD:${fieldName}`, item, labelKey: `proposal.field.${fieldName}`, label: null })
  }
  for (const a of attachments) {
    const item: ProtectionItem = { kind: 'ATTACHMENT', attachmentId: a.id }
    if (protectionStateOf(register, item)) continue
    out.push({ value: `ATTACHMENT:${a.id}`, item, labelKey: null, label: a.fileName })
  }
  return out
}

/** How the register names an entry's item (never by its content): a field label, a file name, or when and by whom a message was posted. */
export function entryItemLabel(entry: ProtectionEntryFragment, t: (key: string, params?: Record<string, unknown>) => string, formatDateTime: (iso: string) => string): string {
  if (entry.itemKind === 'FIELD') return entry.fieldName && (PROTECTABLE_FIELDS as readonly string[]).includes(entry.fieldName) ? t(`proposal.field.${entry.fieldName}`) : (entry.fieldName ?? '')
  if (entry.itemKind === 'ATTACHMENT') return entry.attachment?.fileName ?? ''
  return t('protection.messageItem', { at: entry.messagePostedAt ? formatDateTime(entry.messagePostedAt) : '—', author: entry.messageAuthorName ?? '—' })
}

/** The proposal events after which the protection panel and badges are read again. */
export function isProtectionEvent(kind: string): boolean {
  return kind === 'PROTECTION_REQUESTED' || kind === 'PROTECTION_DECIDED'
}

/** The message for a refused ask or decision that is not a field error: already asked, not now, already decided, changed meanwhile. */
export function protectionConflictKey(error: { code: string; conflictReason?: string | null } | null, act: 'request' | 'decide'): string | null {
  if (!error || error.code !== 'CONFLICT') return null
  if (error.conflictReason === 'DUPLICATE') return 'protection.errors.duplicate'
  if (error.conflictReason === 'ILLEGAL_STATE') return act === 'request' ? 'protection.errors.closed' : 'protection.errors.alreadyDecided'
  return 'protection.errors.stale'
}
