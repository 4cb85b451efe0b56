import type { ProposalFormValues } from './proposalForm'

/** What the autosave loop knows at one moment. */
export interface AutosaveState {
  /** The draft exists on the server (null: not created yet). */
  proposalId: string | null
  /** A create or save is in flight. */
  inFlight: boolean
  /** A stale write was refused; nothing is saved until the user reloads the latest. */
  conflict: boolean
  /** The viewer may edit (a DRAFT of their organisation). */
  editable: boolean
  /** Fingerprint of what the server holds (null before the first save). */
  savedFingerprint: string | null
  /** Fingerprint of the form now. */
  currentFingerprint: string
  /** Fingerprint of an untouched form: nothing typed yet means nothing to create. */
  emptyFingerprint: string
  /** Fingerprint of a write the server refused as invalid: not retried until the form changes. */
  failedFingerprint: string | null
}

/**
 * - `none`: nothing to do (saved, not editable, in conflict, or nothing typed yet);
 * - `wait`: a write is in flight; decide again when it ends;
 * - `create`: the first typing: create the draft (with an idempotency key);
 * - `save`: the form differs from what the server holds: save with expectedVersion.
 */
export type AutosaveDecision = 'none' | 'wait' | 'create' | 'save'

export function decideAutosave(s: AutosaveState): AutosaveDecision {
  if (!s.editable || s.conflict) return 'none'
  if (s.inFlight) return 'wait'
  if (s.failedFingerprint !== null && s.currentFingerprint === s.failedFingerprint) return 'none'
  if (s.proposalId === null) return s.currentFingerprint === s.emptyFingerprint ? 'none' : 'create'
  return s.currentFingerprint === s.savedFingerprint ? 'none' : 'save'
}

/** The debounce before an autosave, in milliseconds. */
export const AUTOSAVE_DELAY_MS = 800

/** A copy of the form kept in localStorage so a reload never loses typing. */
export interface LocalDraft {
  values: ProposalFormValues
  /** The server version the typing was based on (null: not created yet). */
  baseVersion: number | null
  /** The idempotency key of the pending create, so a reload retries the same create. */
  createKey: string | null
  savedAt: string
}

const PREFIX = 'renkei.proposalDraft.'

/** The storage key: by proposal id, or "new" before the draft exists. */
export function localDraftKey(proposalId: string | null): string {
  return `${PREFIX}${proposalId ?? 'new'}`
}

const STRING_FIELDS = [
  'challengeId',
  'title',
  'wardIssue',
  'content',
  'expectedEffects',
  'askOfWard',
  'wardCostEstimate',
  'wardCostReason',
  'ownResources',
  'schedule',
] as const

/** Reads a stored copy; anything malformed (older format, tampering) is ignored. */
export function parseLocalDraft(raw: string | null): LocalDraft | null {
  if (!raw) return null
  let data: unknown
  try {
    data = JSON.parse(raw)
  } catch {
    return null
  }
  if (typeof data !== 'object' || data === null) return null
  const d = data as Record<string, unknown>
  const v = d.values as Record<string, unknown> | undefined
  if (typeof v !== 'object' || v === null) return null
  if (v.kind !== 'FREE' && v.kind !== 'CHALLENGE') return null
  if (v.wardCost !== 'NONE' && v.wardCost !== 'ESTIMATE') return null
  if (!STRING_FIELDS.every((f) => typeof v[f] === 'string')) return null
  if (!Array.isArray(v.hopedSectionIds) || !v.hopedSectionIds.every((s) => typeof s === 'string')) return null
  const baseVersion = typeof d.baseVersion === 'number' ? d.baseVersion : null
  return {
    values: v as unknown as ProposalFormValues,
    baseVersion,
    createKey: typeof d.createKey === 'string' ? d.createKey : null,
    savedAt: typeof d.savedAt === 'string' ? d.savedAt : '',
  }
}

/**
 * Whether a stored copy should replace what the server sent: only when it was typed on top of
 * the very version the server still holds (a newer server version means someone saved since, and
 * the stored copy would silently overwrite it).
 */
export function shouldRestoreLocal(local: LocalDraft | null, serverVersion: number, serverFingerprint: string, localFingerprint: string): boolean {
  if (!local || local.baseVersion === null) return false
  return local.baseVersion === serverVersion && localFingerprint !== serverFingerprint
}

/** Whose typing the stored copies are (an account id). */
export const DRAFT_OWNER_KEY = 'renkei.proposalDraftOwner'

/** Removes every stored copy (on sign-in and sign-out: typing must not pass to the next person at this browser). */
export function clearLocalDrafts(storage: Pick<Storage, 'length' | 'key' | 'removeItem'> | undefined): void {
  if (!storage) return
  const keys: string[] = []
  for (let i = 0; i < storage.length; i += 1) {
    const k = storage.key(i)
    if (k?.startsWith(PREFIX)) keys.push(k)
  }
  for (const k of keys) storage.removeItem(k)
  storage.removeItem(DRAFT_OWNER_KEY)
}
