import { useApolloClient } from '@vue/apollo-composable'
import { ref, watch } from 'vue'
import { ThreadMessagesDocument, type MessageDetailsFragment, type ThreadMessagesQuery } from '../gql/graphql'
import { toAppError, type AppError } from '../lib/appError'
import { mergeMessages } from '../lib/threads'

type LoadedThread = NonNullable<ThreadMessagesQuery['thread']>

/**
 * The messages of the open thread, oldest first, every page read. Live events and replays after a
 * reconnect are merged in by id (`receive`): nothing shows twice, and an older version of a
 * message never replaces a newer one.
 */
export function useThreadMessages(threadId: () => string | null) {
  const { resolveClient } = useApolloClient()
  const thread = ref<LoadedThread | null>(null)
  const messages = ref<MessageDetailsFragment[]>([])
  const loading = ref(false)
  const error = ref<AppError | null>(null)
  let generation = 0

  async function load(): Promise<void> {
    const id = threadId()
    const mine = ++generation
    error.value = null
    if (!id) {
      thread.value = null
      messages.value = []
      return
    }
    loading.value = true
    try {
      let after: string | null = null
      let loaded: MessageDetailsFragment[] = []
      for (let page = 0; page < 50; page++) {
        const result: { data?: ThreadMessagesQuery } = await resolveClient().query({ query: ThreadMessagesDocument, variables: { threadId: id, after }, fetchPolicy: 'network-only' })
        if (mine !== generation) return
        const found = result.data?.thread
        if (!found) break
        thread.value = found
        loaded = mergeMessages(loaded, found.messages.edges.map((e) => e.node))
        if (!found.messages.pageInfo.hasNextPage) break
        after = found.messages.pageInfo.endCursor ?? null
      }
      // Whatever arrived live while the pages loaded stays.
      messages.value = mergeMessages(messages.value.filter((m) => m.threadId === id), loaded)
    } catch (e) {
      if (mine === generation) error.value = toAppError(e)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  function receive(message: MessageDetailsFragment): void {
    if (message.threadId !== threadId()) return
    messages.value = mergeMessages(messages.value, [message])
  }

  watch(threadId, (id, previous) => {
    if (id !== previous) messages.value = []
    void load()
  }, { immediate: true })

  return { thread, messages, loading, error, load, receive }
}
