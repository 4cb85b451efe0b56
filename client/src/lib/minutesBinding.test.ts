import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { applyLocalChange, base64ToBytes, bindMinutesTextarea, bytesToBase64, diffText, hasEditsServerLacks, LOCAL_ORIGIN, MINUTES_TEXT, REMOTE_ORIGIN, type TextareaLike } from './minutesBinding'

class FakeTextarea implements TextareaLike {
  value = ''
  selectionStart = 0
  selectionEnd = 0
  setSelectionRange(start: number, end: number): void {
    this.selectionStart = start
    this.selectionEnd = end
  }
  /** What a browser does when a person types at the caret (replacing any selection). */
  type(words: string): void {
    this.value = this.value.slice(0, this.selectionStart) + words + this.value.slice(this.selectionEnd)
    this.selectionStart = this.selectionEnd = this.selectionStart + words.length
  }
}

function browser() {
  const doc = new Y.Doc()
  const text = doc.getText(MINUTES_TEXT)
  const area = new FakeTextarea()
  const binding = bindMinutesTextarea(text, area)
  const sent: Uint8Array[] = []
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === LOCAL_ORIGIN) sent.push(update)
  })
  return { doc, text, area, binding, sent }
}

/** Delivers one browser's local updates to another, as the server's stream would. */
function deliver(from: { sent: Uint8Array[] }, to: { doc: Y.Doc }): void {
  for (const update of from.sent.splice(0)) Y.applyUpdate(to.doc, update, REMOTE_ORIGIN)
}

describe('diffText', () => {
  it('finds the single change between two texts', () => {
    expect(diffText('議事録', '議事録です')).toEqual({ index: 3, remove: 0, insert: 'です' })
    expect(diffText('議事録です', '議事録')).toEqual({ index: 3, remove: 2, insert: '' })
    expect(diffText('本日の議題', '本日の論点')).toEqual({ index: 3, remove: 2, insert: '論点' })
    expect(diffText('same', 'same')).toBeNull()
    expect(diffText('', '最初の文')).toEqual({ index: 0, remove: 0, insert: '最初の文' })
  })

  it('places an insertion among repeated characters where the caret says it was typed', () => {
    expect(diffText('ああ', 'あああ')).toEqual({ index: 2, remove: 0, insert: 'あ' })
    expect(diffText('ああ', 'あああ', 1)).toEqual({ index: 0, remove: 0, insert: 'あ' })
    expect(diffText('aXa', 'aXXa', 2)).toEqual({ index: 1, remove: 0, insert: 'X' })
  })

  it('never splits a surrogate pair', () => {
    // 𠮷 and 🙂 share their high surrogate.
    const change = diffText('𠮷', '🙂')!
    expect(change.index).toBe(0)
    expect(change.remove).toBe(2)
    expect(change.insert).toBe('🙂')
    const tail = diffText('a🙂', 'a😀')!
    expect(tail).toEqual({ index: 1, remove: 2, insert: '😀' })
  })
})

describe('applyLocalChange', () => {
  it('writes a change in one transaction and a long paste in pieces', () => {
    const doc = new Y.Doc()
    const text = doc.getText(MINUTES_TEXT)
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    applyLocalChange(text, { index: 0, remove: 0, insert: 'はじめに' })
    expect(updates).toHaveLength(1)
    applyLocalChange(text, { index: 0, remove: 4, insert: 'あ'.repeat(25) }, 10)
    expect(updates).toHaveLength(4)
    expect(text.toString()).toBe('あ'.repeat(25))
  })
})

describe('bindMinutesTextarea', () => {
  it('turns typing into edits of the shared text', () => {
    const a = browser()
    a.area.type('区：使用許可を確認。')
    a.binding.input()
    expect(a.text.toString()).toBe('区：使用許可を確認。')
    expect(a.sent).toHaveLength(1)
  })

  it('keeps the caret on the same words when someone else types before it', () => {
    const a = browser()
    const b = browser()
    a.area.type('提案者：講師を手配。')
    a.binding.input()
    deliver(a, b)
    expect(b.area.value).toBe('提案者：講師を手配。')
    // b puts the caret after 「講師」 and selects 「手配」 … then a types at the start.
    b.area.setSelectionRange(7, 9)
    a.area.setSelectionRange(0, 0)
    a.area.type('【議題1】')
    a.binding.input()
    deliver(a, b)
    expect(b.area.value).toBe('【議題1】提案者：講師を手配。')
    expect(b.area.value.slice(b.area.selectionStart, b.area.selectionEnd)).toBe('手配')
  })

  it('merges two people typing at once without losing either', () => {
    const a = browser()
    const b = browser()
    a.area.type('共通の一文。')
    a.binding.input()
    deliver(a, b)
    a.area.setSelectionRange(0, 0)
    a.area.type('A：')
    a.binding.input()
    b.area.setSelectionRange(b.area.value.length, b.area.value.length)
    b.area.type('B の追記。')
    b.binding.input()
    deliver(a, b)
    deliver(b, a)
    expect(a.area.value).toBe('A：共通の一文。B の追記。')
    expect(b.area.value).toBe(a.area.value)
    expect(a.text.toString()).toBe(a.area.value)
  })

  it('keeps each person’s words together when both type at the same place, key by key', () => {
    const a = browser()
    const b = browser()
    const fromA = '提案者メモ：候補は二か所。'
    const fromB = '所管課メモ：手順を確認。'
    for (const person of [a, b]) person.area.setSelectionRange(0, 0)
    // Each key is sent at once and the other's keys arrive between them, as over the websocket.
    for (let i = 0; i < Math.max(fromA.length, fromB.length); i += 1) {
      if (i < fromA.length) {
        a.area.type(fromA[i]!)
        a.binding.input()
      }
      if (i < fromB.length) {
        b.area.type(fromB[i]!)
        b.binding.input()
      }
      deliver(a, b)
      deliver(b, a)
    }
    expect(a.area.value).toBe(b.area.value)
    expect(a.area.value).toContain(fromA)
    expect(a.area.value).toContain(fromB)
    expect(a.area.value).toHaveLength(fromA.length + fromB.length)
  })

  it('leaves an open IME composition alone and places the composed words where it began', () => {
    const a = browser()
    const b = browser()
    a.area.type('会議の記録')
    a.binding.input()
    deliver(a, b)
    // b starts composing at the end …
    b.area.setSelectionRange(5, 5)
    b.binding.compositionStart()
    b.area.type('かいぎ')
    b.binding.input()
    // … while a types at the start: b's textarea is not rewritten during the composition.
    a.area.setSelectionRange(0, 0)
    a.area.type('第2回 ')
    a.binding.input()
    deliver(a, b)
    expect(b.area.value).toBe('会議の記録かいぎ')
    // The composition is committed as 「会議」.
    b.area.value = '会議の記録会議'
    b.area.setSelectionRange(7, 7)
    b.binding.compositionEnd()
    expect(b.area.value).toBe('第2回 会議の記録会議')
    expect(b.area.selectionStart).toBe('第2回 会議の記録会議'.length)
    deliver(b, a)
    expect(a.area.value).toBe('第2回 会議の記録会議')
  })

  it('applies a composition directly when nothing arrived meanwhile', () => {
    const a = browser()
    a.binding.compositionStart()
    a.area.type('ぎじろく')
    a.binding.input()
    expect(a.text.toString()).toBe('')
    a.area.value = '議事録'
    a.area.setSelectionRange(3, 3)
    a.binding.compositionEnd()
    expect(a.text.toString()).toBe('議事録')
  })

  it('stops following the document once destroyed', () => {
    const a = browser()
    const b = browser()
    b.binding.destroy()
    a.area.type('もう表示しない')
    a.binding.input()
    deliver(a, b)
    expect(b.area.value).toBe('')
  })
})

describe('base64 and what the server lacks', () => {
  it('round-trips bytes through base64, large ones too', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) % 256)
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes)
    expect(bytesToBase64(new Uint8Array([0, 255]))).toBe('AP8=')
  })

  it('tells whether a document has edits the server state lacks', () => {
    const server = new Y.Doc()
    server.getText(MINUTES_TEXT).insert(0, 'サーバーにある')
    const local = new Y.Doc()
    Y.applyUpdate(local, Y.encodeStateAsUpdate(server))
    expect(hasEditsServerLacks(local, Y.encodeStateAsUpdate(server))).toBe(false)
    local.getText(MINUTES_TEXT).insert(0, 'オフラインで')
    expect(hasEditsServerLacks(local, Y.encodeStateAsUpdate(server))).toBe(true)
  })
})
