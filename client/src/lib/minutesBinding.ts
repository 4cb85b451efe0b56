import * as Y from 'yjs'

// Binds a plain <textarea> to the shared Y.Text of a meeting's minutes (議事録). Pure: the
// textarea is anything with a value and a selection, so it is tested without a DOM.

/** The shared text's name in the minutes document (the server's MINUTES_TEXT). */
export const MINUTES_TEXT = 'minutes'

/** The origin of this browser's own edits: only these are sent to the server. */
export const LOCAL_ORIGIN = 'minutes-local'

/** The origin under which server updates are applied: never sent back. */
export const REMOTE_ORIGIN = 'minutes-remote'

/** The longest minutes the server stores (UTF-16 code units, as the textarea counts). */
export const MAX_MINUTES_LENGTH = 200_000

/**
 * A long paste is written in pieces of this many characters, one update each, so no single
 * update comes near the server's 256 KiB limit (a Japanese character is 3 bytes in an update).
 */
export const INSERT_CHUNK = 20_000

export interface TextChange {
  index: number
  remove: number
  insert: string
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff

/**
 * The smallest single change turning `before` into `after`: the common prefix and suffix are
 * kept. `caret` (the cursor after the edit) places an insertion among repeated characters where
 * the person typed it ("aa" → "aaa" with the caret at 1 inserts at 0, not 2), so concurrent edits
 * land where each author meant. Never splits a surrogate pair (絵文字, 𠮷).
 */
export function diffText(before: string, after: string, caret?: number): TextChange | null {
  if (before === after) return null
  let start = 0
  const limit = Math.min(before.length, after.length)
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start += 1
  const grown = after.length - before.length
  if (caret !== undefined && grown > 0) start = Math.min(start, Math.max(0, caret - grown))
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start -= 1
  let endBefore = before.length
  let endAfter = after.length
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore -= 1
    endAfter -= 1
  }
  if (endBefore < before.length && isLowSurrogate(before.charCodeAt(endBefore))) {
    endBefore += 1
    endAfter += 1
  }
  return { index: start, remove: endBefore - start, insert: after.slice(start, endAfter) }
}

/**
 * Applies a change to the Y.Text as this browser's own edit: the deletion and the first piece of
 * the insertion in one transaction, the rest of a long insertion in further ones (see INSERT_CHUNK).
 */
export function applyLocalChange(text: Y.Text, change: TextChange, chunk = INSERT_CHUNK): void {
  const doc = text.doc
  if (!doc) throw new Error('the Y.Text must belong to a document')
  let offset = 0
  doc.transact(() => {
    if (change.remove > 0) text.delete(change.index, change.remove)
    const piece = sliceChunk(change.insert, 0, chunk)
    if (piece) text.insert(change.index, piece)
    offset = piece.length
  }, LOCAL_ORIGIN)
  while (offset < change.insert.length) {
    const piece = sliceChunk(change.insert, offset, chunk)
    const at = change.index + offset
    doc.transact(() => text.insert(at, piece), LOCAL_ORIGIN)
    offset += piece.length
  }
}

function sliceChunk(value: string, from: number, size: number): string {
  let end = Math.min(value.length, from + size)
  // Keep a surrogate pair in one piece.
  if (end < value.length && isHighSurrogate(value.charCodeAt(end - 1))) end -= 1
  return value.slice(from, end)
}

/** What the binding needs of a <textarea>. */
export interface TextareaLike {
  value: string
  selectionStart: number
  selectionEnd: number
  setSelectionRange(start: number, end: number, direction?: 'forward' | 'backward' | 'none'): void
}

export interface MinutesTextareaBinding {
  /** The textarea's `input` event. */
  input(): void
  /** `compositionstart` / `compositionend` (IME: 日本語入力). */
  compositionStart(): void
  compositionEnd(): void
  destroy(): void
}

/**
 * Keeps a textarea and the Y.Text in step. Local input becomes the minimal change on the Y.Text
 * (origin LOCAL_ORIGIN). Remote changes rewrite the textarea and keep the caret and selection on
 * the characters they were on (Y.RelativePosition), wherever others typed. While an IME
 * composition is open the textarea is left alone (rewriting it would cancel the composition):
 * remote changes wait, and the composed text is placed where the composition began.
 */
export function bindMinutesTextarea(text: Y.Text, area: TextareaLike): MinutesTextareaBinding {
  const doc = text.doc
  if (!doc) throw new Error('the Y.Text must belong to a document')
  /** What the textarea showed after the last synchronisation with the Y.Text. */
  let shadow = text.toString()
  let composing = false
  let composition: { start: Y.RelativePosition; end: Y.RelativePosition; from: number; to: number } | null = null
  let saved: { start: Y.RelativePosition; end: Y.RelativePosition; backward: boolean } | null = null

  area.value = shadow

  /**
   * assoc -1 ties a position to the character before it: a caret after what this person just typed
   * stays there when someone else types at the same place, so each person's words stay together
   * instead of interleaving. A selection's start is tied to its first character (assoc 0).
   */
  const relative = (index: number, assoc = -1) => Y.createRelativePositionFromTypeIndex(text, index, assoc)
  const absolute = (position: Y.RelativePosition, fallback: number) => Y.createAbsolutePositionFromRelativePosition(position, doc)?.index ?? fallback

  function render(selection: { start: number; end: number; backward?: boolean } | null): void {
    shadow = text.toString()
    area.value = shadow
    if (selection) area.setSelectionRange(selection.start, selection.end, selection.backward ? 'backward' : 'forward')
  }

  function beforeTransaction(transaction: Y.Transaction): void {
    // Remember where the caret is while the textarea still matches the Y.Text.
    if (transaction.origin === LOCAL_ORIGIN || composing || saved) return
    if (area.value !== text.toString()) return
    const collapsed = area.selectionStart === area.selectionEnd
    saved = { start: relative(area.selectionStart, collapsed ? -1 : 0), end: relative(area.selectionEnd), backward: false }
  }

  function afterTransaction(transaction: Y.Transaction): void {
    if (transaction.origin === LOCAL_ORIGIN) {
      shadow = text.toString()
      return
    }
    if (composing) return
    const selection = saved
    saved = null
    if (text.toString() === area.value) return
    render(selection ? { start: absolute(selection.start, area.selectionStart), end: absolute(selection.end, area.selectionEnd) } : null)
  }

  doc.on('beforeTransaction', beforeTransaction)
  doc.on('afterTransaction', afterTransaction)

  function input(): void {
    if (composing) return
    if (text.toString() !== shadow) {
      // Remote changes arrived that the textarea has not shown (only after a composition): the
      // person's change is relative to what they saw, so it is placed with relative positions.
      if (composition) finishComposition()
      else render({ start: area.selectionStart, end: area.selectionEnd })
      return
    }
    const change = diffText(shadow, area.value, area.selectionEnd)
    if (change) applyLocalChange(text, change)
    shadow = area.value
  }

  function compositionStart(): void {
    composing = true
    if (text.toString() === shadow) {
      composition = { start: relative(area.selectionStart), end: relative(area.selectionEnd), from: area.selectionStart, to: area.selectionEnd }
    }
  }

  function finishComposition(): void {
    const current = composition
    composition = null
    if (!current) return
    // The composition replaced shadow[from, to) with what is now between them in the textarea.
    const composedEnd = area.value.length - (shadow.length - current.to)
    const composed = composedEnd >= current.from ? area.value.slice(current.from, composedEnd) : ''
    const start = absolute(current.start, 0)
    const end = Math.max(start, absolute(current.end, start))
    applyLocalChange(text, { index: start, remove: end - start, insert: composed })
    render({ start: start + composed.length, end: start + composed.length })
  }

  function compositionEnd(): void {
    composing = false
    if (text.toString() === shadow) {
      composition = null
      input()
      return
    }
    finishComposition()
  }

  return {
    input,
    compositionStart,
    compositionEnd,
    destroy() {
      doc.off('beforeTransaction', beforeTransaction)
      doc.off('afterTransaction', afterTransaction)
    },
  }
}

/** Yjs updates travel as base64 strings in GraphQL. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  const step = 0x8000
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step))
  return btoa(binary)
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Whether this document holds edits the server's state (a Yjs update) does not: typed offline, or sent without an answer. */
export function hasEditsServerLacks(doc: Y.Doc, serverState: Uint8Array): boolean {
  const server = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(serverState))
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
    if (clock > (server.get(client) ?? 0)) return true
  }
  return false
}
