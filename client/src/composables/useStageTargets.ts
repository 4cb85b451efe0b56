import { useMutation, useQuery } from '@vue/apollo-composable'
import { computed } from 'vue'
import { SetStageTargetDocument, StageTargetEventsDocument, StageTargetsDocument, type AgeingStage, type StageTargetDetailsFragment } from '../gql/graphql'
import { appErrorOrNull } from '../lib/appError'
import { useEventStream } from './useEventStream'

/**
 * The desk's stage targets (滞留日数の目標), read once and kept current by `stageTargetEvents`:
 * `onChanged` hears every change, made here or elsewhere, after the list has been read again.
 */
export function useStageTargets(onChanged: (target: StageTargetDetailsFragment) => void = () => {}) {
  const { result, loading, error, refetch } = useQuery(StageTargetsDocument, {}, { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' })
  const { mutate } = useMutation(SetStageTargetDocument, { throws: 'always' })

  useEventStream(
    StageTargetEventsDocument,
    (data) => data.stageTargetEvents,
    (event) => {
      void refetch()?.then(() => onChanged(event.target))
    },
    { onResumeWithoutCursor: () => void refetch(), startCursor: () => result.value?.liveCursor },
  )

  const targets = computed(() => result.value?.stageTargets ?? [])
  const appError = computed(() => appErrorOrNull(error.value))

  /** `remindEveryBusinessDays`: null reminds once; undefined leaves it as it is. */
  async function save(stage: AgeingStage, businessDays: number, expectedVersion: number, remindEveryBusinessDays?: number | null): Promise<StageTargetDetailsFragment | null> {
    const done = await mutate({ stage, businessDays, expectedVersion, ...(remindEveryBusinessDays === undefined ? {} : { remindEveryBusinessDays }) })
    return done?.data?.setStageTarget ?? null
  }

  return { targets, loading, error: appError, save, refetch }
}
