import { useMutation, useQuery } from '@vue/apollo-composable'
import { computed, ref } from 'vue'
import {
  OrganisationsDocument,
  ReinstateOrganisationDocument,
  SuspendOrganisationDocument,
  VerifyOrganisationDocument,
  type OrganisationDeskRowFragment,
  type OrganisationFilter,
} from '../gql/graphql'
import { appErrorOrNull, toAppError, type AppError } from '../lib/appError'

export type OrganisationAction = 'verify' | 'suspend' | 'reinstate'

const PAGE_SIZE = 50

/** The desk's list of registered organisations, newest first, with verify / suspend / reinstate (expectedVersion each). */
export function useDeskOrganisations(filter: () => OrganisationFilter | null) {
  const { result, loading, error: loadError, fetchMore, refetch } = useQuery(
    OrganisationsDocument,
    () => ({ first: PAGE_SIZE, filter: filter() }),
    { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' },
  )
  const organisations = computed(() => result.value?.organisations.edges.map((e) => e.node) ?? [])
  const totalCount = computed(() => result.value?.organisations.totalCount ?? 0)
  const hasMore = computed(() => result.value?.organisations.pageInfo.hasNextPage ?? false)
  const busy = ref(false)
  const error = ref<AppError | null>(null)
  const doneKey = ref<string | null>(null)

  const { mutate: verify } = useMutation(VerifyOrganisationDocument, { throws: 'always' })
  const { mutate: suspend } = useMutation(SuspendOrganisationDocument, { throws: 'always' })
  const { mutate: reinstate } = useMutation(ReinstateOrganisationDocument, { throws: 'always' })

  async function run(action: OrganisationAction, o: OrganisationDeskRowFragment, reason = ''): Promise<boolean> {
    if (busy.value) return false
    busy.value = true
    error.value = null
    doneKey.value = null
    const vars = { id: o.id, expectedVersion: o.version }
    try {
      if (action === 'verify') await verify(vars)
      else if (action === 'suspend') await suspend({ ...vars, reason })
      else await reinstate(vars)
      doneKey.value = `deskOrganisations.done.${action}`
      return true
    } catch (e) {
      error.value = toAppError(e)
      return false
    } finally {
      busy.value = false
    }
  }

  async function showMore(): Promise<void> {
    const after = result.value?.organisations.pageInfo.endCursor
    if (!after) return
    await fetchMore({
      variables: { first: PAGE_SIZE, after, filter: filter() },
      updateQuery: (prev, { fetchMoreResult }) =>
        fetchMoreResult
          ? {
              ...prev,
              organisations: {
                ...fetchMoreResult.organisations,
                edges: [...prev.organisations.edges, ...fetchMoreResult.organisations.edges],
              },
            }
          : prev,
    })
  }

  return {
    organisations,
    totalCount,
    hasMore,
    loading,
    loadError: computed(() => appErrorOrNull(loadError.value)),
    busy,
    error,
    doneKey,
    run,
    showMore,
    refetch,
  }
}
