import { useSubscription } from '@vue/apollo-composable'
import { onBeforeUnmount, ref, watch } from 'vue'
import { reconnectCount } from '../apollo/wsClient'
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { toAppError } from '../lib/appError'

export interface EventStreamOptions {
  /** Called after a reconnect when no event had been seen yet (nothing to resume from): refetch instead. */
  onResumeWithoutCursor?: () => void
  /**
   * The `liveCursor` read together with the data on screen. The stream waits for it and starts
   * there, so a change made between loading the data and subscribing is not lost.
   */
  startCursor?: () => string | null | undefined
  /**
   * Further variables of the subscription besides `after` (e.g. `proposalId` of a per-proposal
   * stream). Read reactively; `after` always comes from the stream itself.
   */
  variables?: () => Record<string, unknown>
}

const RETRY_DELAY_MS = 5_000
const MAX_RETRIES = 5

/**
 * One live event stream (challengeEvents, proposalEvents, …) for the current viewer. Apollo
 * writes each event's object into the normalized cache; `onEvent` adjusts lists. The stream
 * starts at `startCursor` and, when the websocket comes back, resumes after the last cursor
 * seen, so events missed while disconnected are delivered.
 */
export function useEventStream<TData, TEvent extends { cursor: string }, TVariables extends { after?: string | null } = { after?: string | null }>(
  document: TypedDocumentNode<TData, TVariables>,
  eventOf: (data: TData) => TEvent | null | undefined,
  onEvent: (event: TEvent) => void,
  options: EventStreamOptions = {},
) {
  const after = ref<string | null>(options.startCursor?.() ?? null)
  let lastCursor: string | null = after.value
  let failed = false
  let retries = 0
  let retryTimer: ReturnType<typeof setTimeout> | undefined

  if (options.startCursor) {
    const stop = watch(options.startCursor, (cursor) => {
      if (!cursor || lastCursor) return
      lastCursor = cursor
      after.value = cursor
      stop()
    })
  }
  const enabled = () => !options.startCursor || after.value !== null

  const { onResult, onError, restart } = useSubscription(document, () => ({ ...options.variables?.(), after: after.value }) as TVariables, () => ({
    enabled: enabled(),
  }))

  onResult((result) => {
    const event = result.data ? eventOf(result.data as TData) : null
    if (!event) return
    retries = 0
    lastCursor = event.cursor
    onEvent(event)
  })

  // A stream that ended in an error (e.g. the session ended, or a stale cursor) is started again:
  // from scratch when the cursor was refused, otherwise after a pause, a few times at most.
  onError((error) => {
    failed = true
    clearTimeout(retryTimer)
    if (toAppError(error).code === 'BAD_USER_INPUT' && after.value !== null) {
      lastCursor = null
      after.value = null
      failed = false
      options.onResumeWithoutCursor?.()
      return
    }
    if (retries >= MAX_RETRIES) return
    retries += 1
    retryTimer = setTimeout(() => {
      if (!failed) return
      failed = false
      restart()
    }, RETRY_DELAY_MS)
  })

  watch(reconnectCount, () => {
    if (lastCursor && lastCursor !== after.value) {
      // Changing the variables re-subscribes from the last event seen.
      failed = false
      after.value = lastCursor
      return
    }
    if (failed) {
      failed = false
      clearTimeout(retryTimer)
      restart()
    }
    if (!lastCursor) options.onResumeWithoutCursor?.()
  })

  onBeforeUnmount(() => clearTimeout(retryTimer))
}
