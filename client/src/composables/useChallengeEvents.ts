import { ChallengeEventsDocument } from '../gql/graphql'
import type { ChallengeEvent } from '../lib/challengeEvents'
import { useEventStream, type EventStreamOptions } from './useEventStream'

/** Live challenge events for the current viewer (see useEventStream). */
export function useChallengeEvents(onEvent: (event: ChallengeEvent) => void, options: EventStreamOptions = {}) {
  useEventStream(ChallengeEventsDocument, (data) => data.challengeEvents, onEvent, options)
}
