import { StageTargetEventsDocument, type StageTargetDetailsFragment } from '../gql/graphql'
import { useEventStream } from './useEventStream'

/**
 * Hears changes to the desk's stage targets from now on, so a list showing over-target flags can
 * be read again (the flags are computed by the server against the targets).
 */
export function useStageTargetChanges(onChanged: (target: StageTargetDetailsFragment) => void) {
  useEventStream(StageTargetEventsDocument, (data) => data.stageTargetEvents, (event) => onChanged(event.target))
}
