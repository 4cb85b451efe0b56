import { useSubscription } from '@vue/apollo-composable'
import { onBeforeUnmount, ref, watch } from 'vue'
import { reconnectCount } from '../apollo/wsClient'
import { ChallengeEventsDocument } from '../gql/graphql'
import { toAppError } from '../lib/appError'
import type { ChallengeEvent } from '../lib/challengeEvents'

export interface ChallengeEventsOptions {
  /** Called after a reconnect when no event had been seen yet (nothing to resume from): refetch instead. */
  onResumeWithoutCursor?: () => void
  /**
   * The `liveCursor` read together with the data on screen. The stream waits for it and starts
   * there, so a change made between loading the data and subscribing is not lost.
   */
  startCursor?: () => string | null | undefined
}

const RETRY_DELAY_MS = 5_000
const MAX_RETRIES = 5

/**
 * Live challenge events for the current viewer. Apollo writes each event's challenge into the
 * normalized cache; `onEvent` adjusts lists. The last cursor seen is passed as `after` when the
 * websocket comes back, so events missed while disconnected are delivered.
 */
export function useChallengeEvents(onEvent: (event: ChallengeEvent) => void, options: ChallengeEventsOptions = {}) {
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

  const { onResult, onError, restart } = useSubscription(ChallengeEventsDocument, () => ({ after: after.value }), () => ({
    enabled: enabled(),
  }))

  onResult((result) => {
    const event = result.data?.challengeEvents
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
