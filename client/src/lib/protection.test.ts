import { describe, expect, it } from 'vitest'
import type { ProtectionEntryFragment } from '../gql/graphql'
import { badgeKey, entryItemLabel, isProtectionEvent, protectionConflictKey, protectionStateOf, requestableItems } from './protection'

function entry(extra: Partial<ProtectionEntryFragment>): ProtectionEntryFragment {
  return {
    __typename: 'ProtectionRequest',
    id: 'e1',
    itemKind: 'FIELD',
    fieldName: 'content',
    attachment: null,
    messageId: null,
    messagePostedAt: null,
    messageAuthorName: null,
    reason: '法人の競争上の地位',
    state: 'REQUESTED',
    requestedAt: '2026-11-24T01:00:00Z',
    requestedByName: '提案 太郎',
    decidedAt: null,
    decidedByName: null,
    decisionReason: null,
    version: 1,
    ...extra,
  }
}

describe('protectionStateOf', () => {
  it('is REQUESTED or AGREED while protected, null when never asked or declined', () => {
    const content = { kind: 'FIELD', fieldName: 'content' } as const
    expect(protectionStateOf([], content)).toBeNull()
    expect(protectionStateOf([entry({})], content)).toBe('REQUESTED')
    expect(protectionStateOf([entry({ state: 'AGREED' })], content)).toBe('AGREED')
    expect(protectionStateOf([entry({ state: 'DECLINED' })], content)).toBeNull()
    expect(protectionStateOf([entry({ state: 'DECLINED' }), entry({ id: 'e2', state: 'REQUESTED' })], content)).toBe('REQUESTED')
    expect(protectionStateOf([entry({})], { kind: 'FIELD', fieldName: 'schedule' })).toBeNull()
  })

  it('matches attachments and messages by id and kind', () => {
    const register = [entry({ itemKind: 'ATTACHMENT', fieldName: null, attachment: { __typename: 'Attachment', id: 'a1', fileName: '計画.pdf' }, state: 'AGREED' }), entry({ itemKind: 'MESSAGE', fieldName: null, messageId: 'm1' })]
    expect(protectionStateOf(register, { kind: 'ATTACHMENT', attachmentId: 'a1' })).toBe('AGREED')
    expect(protectionStateOf(register, { kind: 'ATTACHMENT', attachmentId: 'm1' })).toBeNull()
    expect(protectionStateOf(register, { kind: 'MESSAGE', messageId: 'm1' })).toBe('REQUESTED')
  })
})

describe('badgeKey', () => {
  it('shows a badge for REQUESTED and AGREED only', () => {
    expect(badgeKey('REQUESTED')).toBe('protection.badge.REQUESTED')
    expect(badgeKey('AGREED')).toBe('protection.badge.AGREED')
    expect(badgeKey('DECLINED')).toBeNull()
    expect(badgeKey(null)).toBeNull()
    expect(badgeKey(undefined)).toBeNull()
  })
})

describe('requestableItems', () => {
  it('offers non-empty fields (never the title) and attachments that are not protected now, in the form’s order', () => {
    const items = requestableItems(
      [entry({ state: 'AGREED' }), entry({ id: 'e2', fieldName: 'schedule', state: 'DECLINED' }), entry({ id: 'e3', itemKind: 'ATTACHMENT', fieldName: null, attachment: { __typename: 'Attachment', id: 'a1', fileName: '計画.pdf' } })],
      { wardIssue: '課題', content: '内容', expectedEffects: '効果', askOfWard: '', wardCostReason: null, ownResources: '資源', schedule: '日程' },
      [{ id: 'a1', fileName: '計画.pdf' }, { id: 'a2', fileName: '価格表.xlsx' }],
    )
    expect(items.map((i) => i.value)).toEqual(['FIELD:wardIssue', 'FIELD:expectedEffects', 'FIELD:ownResources', 'FIELD:schedule', 'ATTACHMENT:a2'])
    expect(items[0]!.labelKey).toBe('proposal.field.wardIssue')
    expect(items.at(-1)).toMatchObject({ label: '価格表.xlsx', item: { kind: 'ATTACHMENT', attachmentId: 'a2' } })
  })
})

describe('entryItemLabel', () => {
  const t = (key: string, params?: Record<string, unknown>) => `${key}${params ? JSON.stringify(params) : ''}`
  const fmt = (iso: string) => `at ${iso}`
  it('names the item, never its content', () => {
    expect(entryItemLabel(entry({}), t, fmt)).toBe('proposal.field.content')
    expect(entryItemLabel(entry({ itemKind: 'ATTACHMENT', fieldName: null, attachment: { __typename: 'Attachment', id: 'a1', fileName: '計画.pdf' } }), t, fmt)).toBe('計画.pdf')
    expect(entryItemLabel(entry({ itemKind: 'MESSAGE', fieldName: null, messageId: 'm1', messagePostedAt: '2026-11-20T00:00:00Z', messageAuthorName: '提案 次郎' }), t, fmt)).toBe(
      'protection.messageItem{"at":"at 2026-11-20T00:00:00Z","author":"提案 次郎"}',
    )
  })
})

describe('events and errors', () => {
  it('recognises protection events', () => {
    expect(isProtectionEvent('PROTECTION_REQUESTED')).toBe(true)
    expect(isProtectionEvent('PROTECTION_DECIDED')).toBe(true)
    expect(isProtectionEvent('MEETING_SCHEDULED')).toBe(false)
  })

  it('words conflicts by what was attempted', () => {
    expect(protectionConflictKey({ code: 'CONFLICT', conflictReason: 'DUPLICATE' }, 'request')).toBe('protection.errors.duplicate')
    expect(protectionConflictKey({ code: 'CONFLICT', conflictReason: 'ILLEGAL_STATE' }, 'request')).toBe('protection.errors.closed')
    expect(protectionConflictKey({ code: 'CONFLICT', conflictReason: 'ILLEGAL_STATE' }, 'decide')).toBe('protection.errors.alreadyDecided')
    expect(protectionConflictKey({ code: 'CONFLICT', conflictReason: 'STALE_VERSION' }, 'decide')).toBe('protection.errors.stale')
    expect(protectionConflictKey({ code: 'FORBIDDEN', conflictReason: null }, 'decide')).toBeNull()
    expect(protectionConflictKey(null, 'request')).toBeNull()
  })
})
