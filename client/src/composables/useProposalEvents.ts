import { ProposalEventsDocument } from '../gql/graphql'
import type { ProposalEvent } from '../lib/proposalEvents'
import { useEventStream, type EventStreamOptions } from './useEventStream'

/** Live proposal events for the current viewer (see useEventStream). */
export function useProposalEvents(onEvent: (event: ProposalEvent) => void, options: EventStreamOptions = {}) {
  useEventStream(ProposalEventsDocument, (data) => data.proposalEvents, onEvent, options)
}
