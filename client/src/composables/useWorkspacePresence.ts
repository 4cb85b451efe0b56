import { useMutation, useSubscription } from '@vue/apollo-composable'
import { computed, onBeforeUnmount, reactive, ref, toValue, watch, type MaybeRefOrGetter } from 'vue'
import { SignalTypingDocument, WorkspacePresenceDocument, type WorkspacePresentDetailsFragment } from '../gql/graphql'
import { toAppError } from '../lib/appError'
import { mergeTyping, shouldSignal, TYPING_SHOW_MS, typingNamesIn, type TypingEntry } from '../lib/presence'
import { useCurrentAccount } from './useCurrentAccount'

/** What the open workspace of one proposal knows: who is here, who types where. */
interface WorkspaceState {
  present: WorkspacePresentDetailsFragment[]
  typing: TypingEntry[]
  /** Server typingAt per person and thread, to tell a fresh signal from a repeated snapshot. */
  seen: Map<string, string>
  /** The viewer can no longer see the proposal (the stream ended with NOT_FOUND). */
  ended: boolean
}

// Shared by the page's presence panel (which holds the one subscription) and any typing
// indicator or composer on the same page, so a proposal page opens one presence stream.
const workspaces = reactive(new Map<string, WorkspaceState>())

function stateOf(proposalId: string): WorkspaceState {
  let state = workspaces.get(proposalId)
  if (!state) {
    state = { present: [], typing: [], seen: new Map(), ended: false }
    workspaces.set(proposalId, state)
  }
  return workspaces.get(proposalId)!
}

/**
 * Marks the viewer present on a proposal's workspace while the calling component is mounted, and
 * keeps who is here (and who is typing) current. Mount it once per page — WorkspacePresence.vue
 * does — the server refreshes and sweeps presence on its own.
 */
export function useWorkspacePresence(proposal: MaybeRefOrGetter<string>) {
  const proposalId = () => toValue(proposal)
  const { onResult, onError } = useSubscription(WorkspacePresenceDocument, () => ({ proposalId: proposalId() }))
  onResult((result) => {
    const event = result.data?.workspacePresence
    if (!event) return
    const state = stateOf(event.proposalId)
    state.ended = false
    state.present = event.present
    state.typing = mergeTyping(state.typing, event.typing, Date.now(), state.seen)
  })
  onError((error) => {
    if (toAppError(error).code === 'NOT_FOUND') {
      const state = stateOf(proposalId())
      state.ended = true
      state.present = []
      state.typing = []
    }
  })
  onBeforeUnmount(() => workspaces.delete(proposalId()))
  const present = computed(() => workspaces.get(proposalId())?.present ?? [])
  const ended = computed(() => workspaces.get(proposalId())?.ended ?? false)
  return { present, ended }
}

/**
 * Typing indicators (入力中) of a proposal's threads, for the threads UI:
 *
 * ```ts
 * const typing = useTypingIndicator(() => props.proposalId)   // an id, a ref or a getter
 * // in the composer's @input:
 * typing.signal(threadId)            // throttled: at most one request per 2 s per thread
 * // beside the composer:
 * <TypingIndicator :names="typing.typingIn(threadId)" />
 * ```
 *
 * Works on pages that mount WorkspacePresence.vue (the three proposal pages do): it reads the
 * presence stream that component holds. The server only delivers typing in threads the viewer
 * may read, so a proposer never sees typing in an INTERNAL thread. `typingIn` never includes the
 * viewer themself, and drops a name a few seconds after its last signal.
 */
export function useTypingIndicator(proposal: MaybeRefOrGetter<string>) {
  const proposalId = () => toValue(proposal)
  const { account } = useCurrentAccount()
  const { mutate } = useMutation(SignalTypingDocument)
  const lastSent = new Map<string, number>()
  // Re-evaluated every second so names disappear when their signal expires.
  const now = ref(Date.now())
  const timer = setInterval(() => (now.value = Date.now()), 1_000)
  onBeforeUnmount(() => clearInterval(timer))
  watch(proposalId, () => lastSent.clear())

  /** Reactive when read in a template or computed: the names typing in the thread now. */
  function typingIn(threadId: string): string[] {
    return typingNamesIn(workspaces.get(proposalId())?.typing ?? [], threadId, account.value?.id ?? null, now.value, TYPING_SHOW_MS)
  }

  function signal(threadId: string): void {
    if (!shouldSignal(lastSent, threadId, Date.now())) return
    // Best effort: a lost signal only means a missing indicator.
    void mutate({ proposalId: proposalId(), threadId }).catch(() => undefined)
  }

  return { typingIn, signal }
}
