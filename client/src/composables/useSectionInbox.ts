import { useQuery } from '@vue/apollo-composable'
import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { SectionInboxDocument, type ProposalState } from '../gql/graphql'
import { movesFigures } from '../lib/dashboard'
import { appErrorOrNull } from '../lib/appError'
import { affectsInbox, inboxVariables, type InboxFilter } from '../lib/matches'
import { announce } from './useLiveAnnouncer'
import { useProposalEvents } from './useProposalEvents'

/** The section dashboard's narrowings of the inbox (in the URL: ?proposalState=IN_PROGRESS, ?due=1). */
export interface InboxNarrowing {
  proposalStates?: ProposalState[]
  reportDue?: boolean
}

/**
 * The viewer's section's matches (所管課の受付箱) for a state filter, oldest first, paged by
 * cursor, and read again whenever a match or lead event arrives on `proposalEvents`.
 */
export function useSectionInbox(filter: () => InboxFilter, overTargetOnly: () => boolean = () => false, narrowing: () => InboxNarrowing = () => ({})) {
  const { t } = useI18n()
  // 目標超過のみ (ageing) and the dashboard's narrowings: sent only when on, so the list is otherwise asked for as before.
  const variables = (after: string | null = null) => ({ ...inboxVariables(filter(), after), ...(overTargetOnly() ? { overTarget: true } : {}), ...narrowing() })
  const { result, loading, error, refetch, fetchMore } = useQuery(SectionInboxDocument, () => variables(), {
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
  })

  useProposalEvents(
    (event) => {
      // Narrowed by the proposal's state or report, other events move the rows too.
      if (!affectsInbox(event.kind) && !(Object.keys(narrowing()).length && movesFigures(event.kind))) return
      void refetch()?.then(() => announce(t('match.inbox.updated')))
    },
    { onResumeWithoutCursor: () => void refetch(), startCursor: () => result.value?.liveCursor },
  )

  const matches = computed(() => result.value?.sectionInbox.edges.map((e) => e.node) ?? [])
  const totalCount = computed(() => result.value?.sectionInbox.totalCount ?? 0)
  const hasMore = computed(() => result.value?.sectionInbox.pageInfo.hasNextPage ?? false)
  const appError = computed(() => appErrorOrNull(error.value))
  const loadingMore = ref(false)

  async function showMore(): Promise<void> {
    const after = result.value?.sectionInbox.pageInfo.endCursor
    if (!after || loadingMore.value) return
    loadingMore.value = true
    try {
      await fetchMore({
        variables: variables(after),
        updateQuery: (prev, { fetchMoreResult }) => {
          if (!fetchMoreResult) return prev
          const known = new Set(prev.sectionInbox.edges.map((e) => e.node.id))
          return {
            ...prev,
            sectionInbox: {
              ...fetchMoreResult.sectionInbox,
              edges: [...prev.sectionInbox.edges, ...fetchMoreResult.sectionInbox.edges.filter((e) => !known.has(e.node.id))],
            },
          }
        },
      })
    } finally {
      loadingMore.value = false
    }
  }

  return { matches, totalCount, hasMore, loading, loadingMore, error: appError, showMore, refetch }
}
