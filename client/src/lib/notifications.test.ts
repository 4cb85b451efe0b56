import { describe, expect, it } from 'vitest'
import type { NotificationDetailsFragment } from '../gql/graphql'
import { badgeCount, formatNotificationTime, markedRead, notificationWording, prependNotification, unreadIds } from './notifications'

function item(id: string, createdAt: string, overrides: Partial<NotificationDetailsFragment> = {}): NotificationDetailsFragment {
  return { __typename: 'Notification', id, kind: 'MENTION', createdAt, readAt: null, actorName: '佐藤', link: null, proposal: null, thread: null, ...overrides }
}

describe('notificationWording', () => {
  const proposal = { __typename: 'NotificationProposal' as const, id: 'p', title: 'T', referenceNumber: null, enteredState: null }
  it('names who did what, by kind', () => {
    expect(notificationWording(item('1', 'x', { proposal }), '誰か')).toEqual({ key: 'notification.kind.MENTION', params: { name: '佐藤' } })
    expect(notificationWording(item('1', 'x', { kind: 'REPLY', proposal }), '誰か').key).toBe('notification.kind.REPLY')
    expect(notificationWording(item('1', 'x', { kind: 'THREAD_MESSAGE', actorName: null, proposal }), '誰か').params.name).toBe('誰か')
  })
  it('says nothing but the kind of thing once the proposal is out of sight', () => {
    expect(notificationWording(item('1', 'x', { kind: 'MENTION' }), '誰か')).toEqual({ key: 'notification.kind.HIDDEN', params: {} })
  })
  it('a state change names the state entered, and nothing when the proposal is out of sight', () => {
    const visible = item('1', 'x', { kind: 'PROPOSAL_STATE', proposal: { __typename: 'NotificationProposal', id: 'p', title: 'T', referenceNumber: null, enteredState: 'AGREED' } })
    expect(notificationWording(visible, '誰か')).toEqual({ key: 'notification.kind.PROPOSAL_STATE', params: { name: '佐藤', state: 'AGREED' } })
    expect(notificationWording(item('1', 'x', { kind: 'PROPOSAL_STATE' }), '誰か').key).toBe('notification.kind.HIDDEN')
    expect(notificationWording(item('1', 'x', { kind: 'PROPOSAL_STATE', proposal }), '誰か').key).toBe('notification.kind.PROPOSAL_STATE_UNKNOWN')
  })
})

describe('prependNotification', () => {
  const edges = [{ cursor: 'b', node: item('b', '2026-11-02T00:00:00Z') }, { cursor: 'a', node: item('a', '2026-11-01T00:00:00Z') }]
  it('puts a new one on top', () => {
    expect(prependNotification(edges, { cursor: 'c', node: item('c', '2026-11-03T00:00:00Z') }).map((e) => e.node.id)).toEqual(['c', 'b', 'a'])
  })
  it('ignores a replayed one', () => {
    expect(prependNotification(edges, { cursor: 'b', node: item('b', '2026-11-02T00:00:00Z') }).map((e) => e.node.id)).toEqual(['b', 'a'])
  })
})

describe('reading', () => {
  const list = [item('1', 'x'), item('2', 'x', { readAt: '2026-11-01T00:00:00Z' }), item('3', 'x')]
  it('finds the unread and marks them read', () => {
    expect(unreadIds(list)).toEqual(['1', '3'])
    const marked = markedRead(list, ['1', '2'], 'now')
    expect(marked.map((n) => n.readAt)).toEqual(['now', '2026-11-01T00:00:00Z', null])
  })
  it('caps the badge', () => {
    expect([0, 3, 99, 100].map(badgeCount)).toEqual([null, '3', '99', '99+'])
  })
  it('shows the time in Tokyo', () => {
    expect(formatNotificationTime('2026-11-24T00:05:00Z', 'ja')).toContain('9:05')
    expect(formatNotificationTime('not a date', 'ja')).toBe('not a date')
  })
})
