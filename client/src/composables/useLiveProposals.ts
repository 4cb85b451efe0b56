import { useQuery } from '@vue/apollo-composable'
import { computed, onBeforeUnmount, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ProposalsDocument, type ProposalFilter, type ProposalOrder } from '../gql/graphql'
import { appErrorOrNull } from '../lib/appError'
import type { ListChange } from '../lib/challengeEvents'
import { applyProposalEvent } from '../lib/proposalEvents'
import { debounced } from '../lib/dashboard'
import { matchesProposalFilter, needsServerToFilter } from '../lib/proposalFilter'
import { announce } from './useLiveAnnouncer'
import { useProposalEvents } from './useProposalEvents'

const PAGE_SIZE = 30

/**
 * The proposals the viewer may see (narrowed by `filter`), in `order`, paged by cursor
 * ("さらに表示" asks for the page after the last cursor) and kept current by `proposalEvents`;
 * changes are announced politely.
 */
export function useLiveProposals(filter: () => ProposalFilter | null, order: ProposalOrder = 'OLDEST_SUBMITTED_FIRST') {
  const { t } = useI18n()
  const { result, loading, error, updateQuery, refetch, fetchMore } = useQuery(
    ProposalsDocument,
    () => ({ first: PAGE_SIZE, filter: filter(), order }),
    { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' },
  )

  // Filters only the server can judge (from the dashboard's links): read the list again, once per burst.
  const readAgain = debounced(() => void refetch(), 300)
  onBeforeUnmount(readAgain.cancel)

  useProposalEvents(
    (event) => {
      if (needsServerToFilter(filter())) {
        readAgain.call()
        return
      }
      const outcome: { change: ListChange } = { change: 'none' }
      updateQuery((prev) => {
        if (!prev?.proposals) return prev
        const applied = applyProposalEvent(prev.proposals, event, matchesProposalFilter(filter()), order === 'OLDEST_SUBMITTED_FIRST')
        outcome.change = applied.change
        return applied.change === 'none' ? prev : { ...prev, proposals: applied.connection }
      })
      if (outcome.change !== 'none') announce(t(`proposal.live.${outcome.change}`))
    },
    { onResumeWithoutCursor: () => void refetch(), startCursor: () => result.value?.liveCursor },
  )

  const proposals = computed(() => result.value?.proposals.edges.map((e) => e.node) ?? [])
  const totalCount = computed(() => result.value?.proposals.totalCount ?? 0)
  const hasMore = computed(() => result.value?.proposals.pageInfo.hasNextPage ?? false)
  const appError = computed(() => appErrorOrNull(error.value))
  const loadingMore = ref(false)

  async function showMore(): Promise<void> {
    const after = result.value?.proposals.pageInfo.endCursor
    if (!after || loadingMore.value) return
    loadingMore.value = true
    try {
      await fetchMore({
        variables: { first: PAGE_SIZE, after, filter: filter(), order },
        updateQuery: (prev, { fetchMoreResult }) => {
          if (!fetchMoreResult) return prev
          const known = new Set(prev.proposals.edges.map((e) => e.node.id))
          return {
            ...prev,
            proposals: {
              ...fetchMoreResult.proposals,
              edges: [...prev.proposals.edges, ...fetchMoreResult.proposals.edges.filter((e) => !known.has(e.node.id))],
            },
          }
        },
      })
    } finally {
      loadingMore.value = false
    }
  }

  return { proposals, totalCount, hasMore, loading, loadingMore, error: appError, showMore, refetch }
}
