/** Someone typing in a thread, as delivered, stamped with when this browser heard of it. */
export interface TypingEntry {
  accountId: string
  displayName: string
  threadId: string
  /** Local clock (ms) when the signal was received: expiry is measured from here, not the server's clock. */
  receivedAt: number
}

/** How long a typing indicator shows without a fresh signal (the server's typing window). */
export const TYPING_SHOW_MS = 6_000
/** The least time between two signals from one composer for the same thread (the server ignores faster ones). */
export const TYPING_SIGNAL_INTERVAL_MS = 2_000

/**
 * The typing list after an event: what the server says is typing now, each entry re-stamped only
 * when it is new or its server time moved (a fresh signal), so a repeated snapshot does not
 * prolong an indicator.
 */
export function mergeTyping(
  current: readonly TypingEntry[],
  delivered: ReadonlyArray<{ accountId: string; displayName: string; threadId: string; typingAt: string }>,
  now: number,
  seen: Map<string, string>,
): TypingEntry[] {
  return delivered.map((entry) => {
    const key = `${entry.accountId}:${entry.threadId}`
    const known = current.find((c) => c.accountId === entry.accountId && c.threadId === entry.threadId)
    const fresh = seen.get(key) !== entry.typingAt
    seen.set(key, entry.typingAt)
    return { accountId: entry.accountId, displayName: entry.displayName, threadId: entry.threadId, receivedAt: fresh || !known ? now : known.receivedAt }
  })
}

/** Names typing in `threadId` now (never the viewer themself), without expired signals. */
export function typingNamesIn(entries: readonly TypingEntry[], threadId: string, selfId: string | null, now: number, showMs = TYPING_SHOW_MS): string[] {
  return entries.filter((entry) => entry.threadId === threadId && entry.accountId !== selfId && now - entry.receivedAt < showMs).map((entry) => entry.displayName)
}

/** Whether a composer should tell the server again: not within the interval for the same thread. */
export function shouldSignal(lastSent: Map<string, number>, threadId: string, now: number, intervalMs = TYPING_SIGNAL_INTERVAL_MS): boolean {
  const last = lastSent.get(threadId)
  if (last !== undefined && now - last < intervalMs) return false
  lastSent.set(threadId, now)
  return true
}

/** Initials for an avatar: the first character of a Japanese name, or up to two initials of a Latin one. */
export function initialsOf(name: string): string {
  const trimmed = name.trim()
  if (!trimmed) return '?'
  const words = trimmed.split(/\s+/)
  if (/^[A-Za-z]/.test(trimmed) && words.length > 1) return (words[0]![0]! + words[1]![0]!).toUpperCase()
  return [...trimmed][0]!.toUpperCase()
}
