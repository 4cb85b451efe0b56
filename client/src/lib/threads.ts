// Pure logic of the threads panel (対話): ordering and nesting messages, merging live events
// without doubles, drafts that survive a reload, and the @mention picker's text handling.

import { randomUuid } from './idempotency'

export type ThreadAudience = 'SHARED' | 'INTERNAL'

/** i18n keys of the audience shown beside every composer. */
export const AUDIENCE_LABEL_KEYS: Record<ThreadAudience, string> = {
  SHARED: 'thread.audience.SHARED',
  INTERNAL: 'thread.audience.INTERNAL',
}

/** Field names the server reports, as the composer labels them. */
export const THREAD_LABEL_KEYS: Record<string, string> = {
  title: 'thread.field.title',
  body: 'thread.field.body',
  mentions: 'thread.field.mentions',
  parentId: 'thread.field.parent',
  attachmentIds: 'thread.field.files',
}

/** The longest message the server accepts, in characters. */
export const MAX_BODY_CHARS = 20_000

/** What ordering and nesting need of a message. */
export interface MessageLike {
  id: string
  parentId?: string | null
  createdAt: string
  version: number
}

function compareMessages(a: MessageLike, b: MessageLike): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * Adds messages (a page, a live event, a replay after a reconnect) to those shown: one entry per
 * id — the higher version wins, so a replayed old event never undoes an edit — oldest first.
 */
export function mergeMessages<T extends MessageLike>(shown: readonly T[], incoming: readonly T[]): T[] {
  const byId = new Map(shown.map((m) => [m.id, m]))
  for (const m of incoming) {
    const held = byId.get(m.id)
    if (!held || m.version >= held.version) byId.set(m.id, m)
  }
  return [...byId.values()].sort(compareMessages)
}

export interface MessageNode<T> {
  message: T
  replies: MessageNode<T>[]
}

/** Messages as a tree (the server keeps it three levels deep); a reply whose parent is not loaded is shown at the top level. */
export function nestMessages<T extends MessageLike>(messages: readonly T[]): MessageNode<T>[] {
  const sorted = [...messages].sort(compareMessages)
  const nodes = new Map(sorted.map((m) => [m.id, { message: m, replies: [] as MessageNode<T>[] }]))
  const roots: MessageNode<T>[] = []
  for (const m of sorted) {
    const node = nodes.get(m.id)!
    const parent = m.parentId ? nodes.get(m.parentId) : undefined
    if (parent) parent.replies.push(node)
    else roots.push(node)
  }
  return roots
}

/** Threads as listed: most recently active first (live messages move a thread up without a refetch). */
export function sortThreads<T extends { id: string; lastMessageAt: string }>(threads: readonly T[]): T[] {
  return [...threads].sort((a, b) => (a.lastMessageAt === b.lastMessageAt ? (a.id < b.id ? -1 : 1) : a.lastMessageAt < b.lastMessageAt ? 1 : -1))
}

/** The newest message's time: how far the viewer has now read. */
export function newestCreatedAt(messages: readonly MessageLike[]): string | null {
  let newest: string | null = null
  for (const m of messages) if (newest === null || m.createdAt > newest) newest = m.createdAt
  return newest
}

// ---------------------------------------------------------------------------------------------
// Drafts

/** A half-typed message (or a new thread, or an edit) and the idempotency key its posting uses. */
/** A file uploaded for a message not yet sent: unlinked on the server, its uploader's alone. */
export interface DraftFile {
  id: string
  fileName: string
  sizeBytes: number
}

export interface Draft {
  body: string
  title?: string
  audience?: ThreadAudience
  /** Uploaded for this message; sent as attachmentIds. Kept with the draft so a reload keeps them. */
  files?: DraftFile[]
  /** Generated once per draft and reused by every retry: a retry after a timeout never posts twice. */
  key: string
}

/** What postMessage and startThread are sent for a draft's files. */
export function attachmentIdsOf(draft: Draft): string[] {
  return (draft.files ?? []).map((f) => f.id)
}

function isDraftFile(value: unknown): value is DraftFile {
  if (typeof value !== 'object' || value === null) return false
  const f = value as Record<string, unknown>
  return typeof f.id === 'string' && typeof f.fileName === 'string' && typeof f.sizeBytes === 'number'
}

/** Where a draft is kept: per proposal, thread ('new' for a thread being started) and what it answers ('edit:<id>' for an edit). */
export function draftKey(proposalId: string, threadId: string | null, target: string | null): string {
  return `renkei:thread-draft:${proposalId}:${threadId ?? 'new'}:${target ?? 'top'}`
}

/** The storage drafts live in: localStorage in the browser, a Map in tests. */
export interface DraftStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export function newDraft(newKey: () => string = randomUuid): Draft {
  return { body: '', key: newKey() }
}

/** The stored draft, or a fresh one (also when what is stored is unreadable). */
export function loadDraft(storage: DraftStorage | null, key: string, newKey: () => string = randomUuid): Draft {
  try {
    const raw = storage?.getItem(key)
    if (raw) {
      const parsed = JSON.parse(raw) as Partial<Draft>
      if (typeof parsed.body === 'string' && typeof parsed.key === 'string' && parsed.key.length >= 8) {
        const draft: Draft = { body: parsed.body, key: parsed.key }
        if (typeof parsed.title === 'string') draft.title = parsed.title
        if (parsed.audience === 'SHARED' || parsed.audience === 'INTERNAL') draft.audience = parsed.audience
        if (Array.isArray(parsed.files)) {
          const files = parsed.files.filter(isDraftFile).map((f) => ({ id: f.id, fileName: f.fileName, sizeBytes: f.sizeBytes }))
          if (files.length) draft.files = files
        }
        return draft
      }
    }
  } catch {
    // Storage full, blocked or corrupt: start afresh.
  }
  return newDraft(newKey)
}

/** Keeps a draft; an empty one is removed (nothing to restore). */
export function saveDraft(storage: DraftStorage | null, key: string, draft: Draft): void {
  try {
    if (!draft.body && !draft.title && !draft.files?.length) storage?.removeItem(key)
    else storage?.setItem(key, JSON.stringify(draft))
  } catch {
    // Storage full or blocked: the draft lives on in the page only.
  }
}

export function clearDraft(storage: DraftStorage | null, key: string): void {
  try {
    storage?.removeItem(key)
  } catch {
    // Nothing to do.
  }
}

// ---------------------------------------------------------------------------------------------
// Mentions

export interface MentionPerson {
  accountId: string
  displayName: string
}

/** How a mention is written in the body (the server renders it with the person's current name). */
export function mentionToken(person: MentionPerson): string {
  const name = person.displayName.replace(/[[\]\n]/g, ' ').trim() || '?'
  return `@[${name}](account:${person.accountId})`
}

/** The `@…` being typed just before the caret, if any: where it starts and what follows the @. */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret)
  const match = /(^|[\s(（「])@([^\s@[\]()]{0,30})$/.exec(before)
  if (!match) return null
  return { start: caret - match[2]!.length - 1, query: match[2]! }
}

/** Candidates whose name contains the query (case-insensitive), at most `limit`. */
export function filterCandidates<T extends MentionPerson>(candidates: readonly T[], query: string, limit = 8): T[] {
  const q = query.trim().toLowerCase()
  return candidates.filter((c) => !q || c.displayName.toLowerCase().includes(q)).slice(0, limit)
}

/** Replaces the `@…` typed from `start` to `caret` with the mention and a space; returns the text and the new caret. */
export function insertMention(text: string, start: number, caret: number, person: MentionPerson): { text: string; caret: number } {
  const token = `${mentionToken(person)} `
  return { text: text.slice(0, start) + token + text.slice(caret), caret: start + token.length }
}

/** Characters as the server counts them (code points). */
export function charCount(text: string): number {
  return [...text].length
}

/** When a message was posted or edited, in Japan time: "2026/04/01 14:05" (ja) / "Apr 1, 2026, 2:05 PM" (en). */
export function formatMessageTime(iso: string, locale: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-US' : 'ja-JP', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(date)
}
