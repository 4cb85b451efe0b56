/** A create submission in flight or failed: the key it used and what it sent. */
export interface PendingSubmission {
  key: string
  fingerprint: string
}

/**
 * The idempotency key for a create attempt: a retry of the same submission (same fingerprint,
 * not yet succeeded) reuses the pending key so the server returns the first result; anything
 * else gets a fresh key.
 */
export function submissionFor(
  pending: PendingSubmission | null,
  fingerprint: string,
  newKey: () => string = randomUuid,
): PendingSubmission {
  if (pending && pending.fingerprint === fingerprint) return pending
  return { key: newKey(), fingerprint }
}

/** crypto.randomUUID where available (secure contexts), else a v4 UUID from getRandomValues. */
export function randomUuid(): string {
  const c: Crypto | undefined = globalThis.crypto
  if (c && typeof c.randomUUID === 'function') return c.randomUUID()
  const bytes = new Uint8Array(16)
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes)
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256)
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
