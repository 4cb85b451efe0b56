import { ref, watch } from 'vue'
import { clearDraft, loadDraft, newDraft, saveDraft, type Draft, type DraftStorage } from '../lib/threads'

function browserStorage(): DraftStorage | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}

/**
 * A composer's draft, kept in localStorage under `key` (proposal, thread, what it answers) as it
 * is typed: it survives a reload, and nothing the server sends (a new message, a refetch) touches
 * it. Its idempotency key stays the same until the post succeeds and `reset()` starts a new draft.
 */
export function useThreadDraft(key: () => string) {
  const storage = browserStorage()
  const draft = ref<Draft>(loadDraft(storage, key()))
  watch(key, (next) => (draft.value = loadDraft(storage, next)))
  watch(draft, (value) => saveDraft(storage, key(), value), { deep: true })

  /** After a successful post: the draft is gone and the next one gets a new key. */
  function reset(): void {
    clearDraft(storage, key())
    draft.value = newDraft()
  }

  return { draft, reset }
}
