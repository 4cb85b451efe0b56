import { useMutation, useQuery } from '@vue/apollo-composable'
import { computed } from 'vue'
import {
  OrganisationsDocument,
  ReinstateOrganisationDocument,
  SuspendOrganisationDocument,
  VerifyOrganisationDocument,
  type OrganisationDeskRowFragment,
  type OrganisationFilter,
} from '../gql/graphql'
import { appErrorOrNull } from '../lib/appError'
import { useActionRunner } from './useActionRunner'

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
  const runner = useActionRunner()
  const { busy, error, doneKey } = runner

  const { mutate: verify } = useMutation(VerifyOrganisationDocument, { throws: 'always' })
  const { mutate: suspend } = useMutation(SuspendOrganisationDocument, { throws: 'always' })
  const { mutate: reinstate } = useMutation(ReinstateOrganisationDocument, { throws: 'always' })

  async function run(action: OrganisationAction, o: OrganisationDeskRowFragment, reason = ''): Promise<boolean> {
    const vars = { id: o.id, expectedVersion: o.version }
    return runner.run(async () => {
      if (action === 'verify') await verify(vars)
      else if (action === 'suspend') await suspend({ ...vars, reason })
      else await reinstate(vars)
    }, `deskOrganisations.done.${action}`)
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
