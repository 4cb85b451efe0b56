import { describe, expect, it } from 'vitest'
import {
  attachmentIdsOf,
  charCount,
  clearDraft,
  draftKey,
  filterCandidates,
  insertMention,
  loadDraft,
  mentionQueryAt,
  mentionToken,
  mergeMessages,
  nestMessages,
  newestCreatedAt,
  sortThreads,
  saveDraft,
  type DraftStorage,
} from './threads'

const m = (id: string, createdAt: string, parentId: string | null = null, version = 1, body = id) => ({ id, createdAt, parentId, version, body })

function memoryStorage(): DraftStorage & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) }
}

describe('mergeMessages', () => {
  it('a replay after a reconnect adds only what was missed: no message twice, oldest first', () => {
    const shown = [m('a', '2026-01-01T00:00:01Z'), m('b', '2026-01-01T00:00:02Z')]
    const replay = [m('b', '2026-01-01T00:00:02Z'), m('c', '2026-01-01T00:00:03Z'), m('c', '2026-01-01T00:00:03Z')]
    expect(mergeMessages(shown, replay).map((x) => x.id)).toEqual(['a', 'b', 'c'])
  })

  it('an edit replaces the message; an older version arriving late does not undo it', () => {
    const shown = [m('a', '2026-01-01T00:00:01Z', null, 1, 'first')]
    const edited = mergeMessages(shown, [m('a', '2026-01-01T00:00:01Z', null, 2, 'second')])
    expect(edited[0]!.body).toBe('second')
    expect(mergeMessages(edited, [m('a', '2026-01-01T00:00:01Z', null, 1, 'first')])[0]!.body).toBe('second')
  })

  it('orders messages with the same time by id', () => {
    expect(mergeMessages([], [m('b', 'T'), m('a', 'T')]).map((x) => x.id)).toEqual(['a', 'b'])
  })
})

describe('nestMessages', () => {
  it('nests replies under their parents; a reply whose parent is missing goes to the top', () => {
    const tree = nestMessages([m('root', '1'), m('r1', '2', 'root'), m('r2', '3', 'r1'), m('r3', '4', 'r1'), m('orphan', '5', 'gone'), m('root2', '6')])
    expect(tree.map((n) => n.message.id)).toEqual(['root', 'orphan', 'root2'])
    expect(tree[0]!.replies.map((n) => n.message.id)).toEqual(['r1'])
    expect(tree[0]!.replies[0]!.replies.map((n) => n.message.id)).toEqual(['r2', 'r3'])
  })

  it('newestCreatedAt is the newest time, or null for none', () => {
    expect(newestCreatedAt([m('a', '2026-01-02'), m('b', '2026-01-03'), m('c', '2026-01-01')])).toBe('2026-01-03')
    expect(newestCreatedAt([])).toBeNull()
  })
})

describe('sortThreads', () => {
  it('lists the most recently active thread first', () => {
    const threads = [
      { id: 'a', lastMessageAt: '2026-01-01T00:00:00Z' },
      { id: 'b', lastMessageAt: '2026-01-03T00:00:00Z' },
      { id: 'c', lastMessageAt: '2026-01-02T00:00:00Z' },
    ]
    expect(sortThreads(threads).map((t) => t.id)).toEqual(['b', 'c', 'a'])
  })
})

describe('drafts', () => {
  it('are kept per proposal, thread and what they answer', () => {
    expect(new Set([draftKey('p', 't', null), draftKey('p', 't', 'm1'), draftKey('p', null, null), draftKey('q', 't', null), draftKey('p', 't', 'edit:m1')]).size).toBe(5)
  })

  it('survive a reload with their idempotency key; a fresh draft gets a new key', () => {
    const storage = memoryStorage()
    const key = draftKey('p', 't', null)
    const draft = loadDraft(storage, key, () => 'key-00000001')
    expect(draft).toEqual({ body: '', key: 'key-00000001' })
    saveDraft(storage, key, { ...draft, body: '書きかけ' })
    expect(loadDraft(storage, key, () => 'key-00000002')).toEqual({ body: '書きかけ', key: 'key-00000001' })
    clearDraft(storage, key)
    expect(loadDraft(storage, key, () => 'key-00000003')).toEqual({ body: '', key: 'key-00000003' })
  })

  it('keep the title and audience of a new thread; an empty draft is not stored', () => {
    const storage = memoryStorage()
    const key = draftKey('p', null, null)
    saveDraft(storage, key, { body: '', title: '件名', audience: 'INTERNAL', key: 'key-00000001' })
    expect(loadDraft(storage, key)).toEqual({ body: '', title: '件名', audience: 'INTERNAL', key: 'key-00000001' })
    saveDraft(storage, key, { body: '', title: '', key: 'key-00000001' })
    expect(storage.data.size).toBe(0)
  })

  it('keep the files uploaded for the message (a draft with files only is stored); malformed entries are dropped', () => {
    const storage = memoryStorage()
    const key = draftKey('p', 't', null)
    const file = { id: 'f1', fileName: '見積書.pdf', sizeBytes: 1200 }
    saveDraft(storage, key, { body: '', files: [file], key: 'key-00000001' })
    const loaded = loadDraft(storage, key)
    expect(loaded).toEqual({ body: '', files: [file], key: 'key-00000001' })
    expect(attachmentIdsOf(loaded)).toEqual(['f1'])
    expect(attachmentIdsOf({ body: 'x', key: 'key-00000002' })).toEqual([])
    storage.setItem(key, JSON.stringify({ body: 'b', key: 'key-00000003', files: [file, { id: 3 }, null, 'x'] }))
    expect(loadDraft(storage, key).files).toEqual([file])
    saveDraft(storage, key, { body: '', files: [], key: 'key-00000001' })
    expect(storage.data.size).toBe(0)
  })

  it('an unreadable stored draft or a broken storage starts afresh', () => {
    const storage = memoryStorage()
    storage.setItem('k', '{not json')
    expect(loadDraft(storage, 'k', () => 'key-00000009').body).toBe('')
    const broken: DraftStorage = {
      getItem: () => {
        throw new Error('blocked')
      },
      setItem: () => {
        throw new Error('full')
      },
      removeItem: () => undefined,
    }
    expect(loadDraft(broken, 'k', () => 'key-00000009').key).toBe('key-00000009')
    expect(() => saveDraft(broken, 'k', { body: 'x', key: 'key-00000009' })).not.toThrow()
  })
})

describe('mentions', () => {
  const people = [
    { accountId: '11111111-1111-4111-8111-111111111111', displayName: '山田 太郎' },
    { accountId: '22222222-2222-4222-8222-222222222222', displayName: 'Suzuki Hanako' },
  ]

  it('are written as @[name](account:id), without brackets that would break the syntax', () => {
    expect(mentionToken(people[0]!)).toBe('@[山田 太郎](account:11111111-1111-4111-8111-111111111111)')
    expect(mentionToken({ accountId: 'x', displayName: 'a]b[c' })).toBe('@[a b c](account:x)')
  })

  it('the @ being typed is found before the caret, not inside an e-mail address or after a space', () => {
    expect(mentionQueryAt('こんにちは @山', 8)).toEqual({ start: 6, query: '山' })
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' })
    expect(mentionQueryAt('mail desk@example.jp', 20)).toBeNull()
    expect(mentionQueryAt('@山田 さん', 6)).toBeNull()
  })

  it('candidates are filtered by name, case-insensitively', () => {
    expect(filterCandidates(people, 'suzu').map((p) => p.displayName)).toEqual(['Suzuki Hanako'])
    expect(filterCandidates(people, '')).toHaveLength(2)
    expect(filterCandidates(people, 'zzz')).toEqual([])
  })

  it('picking a person replaces the typed @query and moves the caret after the mention', () => {
    const text = 'お願いします @やま 以上'
    const at = mentionQueryAt(text, 10)!
    const result = insertMention(text, at.start, 10, people[0]!)
    expect(result.text).toBe('お願いします @[山田 太郎](account:11111111-1111-4111-8111-111111111111)  以上')
    expect(result.text.slice(0, result.caret).endsWith(') ')).toBe(true)
  })

  it('counts characters as the server does (code points)', () => {
    expect(charCount('𠮷野家')).toBe(3)
  })
})
