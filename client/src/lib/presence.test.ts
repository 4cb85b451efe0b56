import { describe, expect, it } from 'vitest'
import { initialsOf, mergeTyping, shouldSignal, typingNamesIn } from './presence'

describe('typing indicators', () => {
  it('shows who types in the thread, never oneself, and forgets them after the window', () => {
    const seen = new Map<string, string>()
    const entries = mergeTyping(
      [],
      [
        { accountId: 'a', displayName: '佐藤', threadId: 't1', typingAt: '1' },
        { accountId: 'me', displayName: '私', threadId: 't1', typingAt: '1' },
        { accountId: 'b', displayName: '鈴木', threadId: 't2', typingAt: '1' },
      ],
      1_000,
      seen,
    )
    expect(typingNamesIn(entries, 't1', 'me', 2_000)).toEqual(['佐藤'])
    expect(typingNamesIn(entries, 't2', 'me', 2_000)).toEqual(['鈴木'])
    expect(typingNamesIn(entries, 't1', 'me', 7_000)).toEqual([])
  })
  it('a repeated snapshot does not prolong an indicator; a fresh signal does', () => {
    const seen = new Map<string, string>()
    const first = mergeTyping([], [{ accountId: 'a', displayName: '佐藤', threadId: 't', typingAt: '1' }], 1_000, seen)
    const same = mergeTyping(first, [{ accountId: 'a', displayName: '佐藤', threadId: 't', typingAt: '1' }], 5_000, seen)
    expect(same[0]!.receivedAt).toBe(1_000)
    const fresh = mergeTyping(same, [{ accountId: 'a', displayName: '佐藤', threadId: 't', typingAt: '2' }], 5_000, seen)
    expect(fresh[0]!.receivedAt).toBe(5_000)
  })
  it('a composer signals at most once per interval per thread', () => {
    const sent = new Map<string, number>()
    expect([shouldSignal(sent, 't', 0), shouldSignal(sent, 't', 1_000), shouldSignal(sent, 'u', 1_000), shouldSignal(sent, 't', 2_000)]).toEqual([true, false, true, true])
  })
})

describe('initialsOf', () => {
  it('takes the first character of a Japanese name, two initials of a Latin one', () => {
    expect(initialsOf('佐藤 花子')).toBe('佐')
    expect(initialsOf('Hanako Sato')).toBe('HS')
    expect(initialsOf('desk')).toBe('D')
    expect(initialsOf('  ')).toBe('?')
  })
})
