import { useQuery } from '@vue/apollo-composable'
import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ChallengesDocument, type ChallengeFilter } from '../gql/graphql'
import { appErrorOrNull } from '../lib/appError'
import { applyChallengeEvent, matchesFilter, type ListChange } from '../lib/challengeEvents'
import { announce } from './useLiveAnnouncer'
import { useChallengeEvents } from './useChallengeEvents'

const PAGE_SIZE = 50

/**
 * A list of challenges (the viewer's visibility, narrowed by `filter`) kept current by the
 * `challengeEvents` subscription; changes are announced politely.
 */
export function useLiveChallenges(filter: () => ChallengeFilter | null) {
  const { t } = useI18n()
  const first = ref(PAGE_SIZE)
  const { result, loading, error, updateQuery, refetch } = useQuery(
    ChallengesDocument,
    () => ({ first: first.value, filter: filter() }),
    { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' },
  )

  useChallengeEvents(
    (event) => {
      const outcome: { change: ListChange } = { change: 'none' }
      updateQuery((prev) => {
        if (!prev?.challenges) return prev
        const applied = applyChallengeEvent(prev.challenges, event, matchesFilter(filter()))
        outcome.change = applied.change
        return applied.change === 'none' ? prev : { ...prev, challenges: applied.connection }
      })
      if (outcome.change !== 'none') announce(t(`challenge.live.${outcome.change}`))
    },
    { onResumeWithoutCursor: () => void refetch(), startCursor: () => result.value?.liveCursor },
  )

  const challenges = computed(() => result.value?.challenges.edges.map((e) => e.node) ?? [])
  const totalCount = computed(() => result.value?.challenges.totalCount ?? 0)
  const hasMore = computed(() => result.value?.challenges.pageInfo.hasNextPage ?? false)
  const appError = computed(() => appErrorOrNull(error.value))

  function showMore(): void {
    first.value += PAGE_SIZE
  }

  return { challenges, totalCount, hasMore, loading, error: appError, showMore }
}
