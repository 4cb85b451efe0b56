import { useMutation, useQuery } from '@vue/apollo-composable'
import { computed } from 'vue'
import { AccountsDocument, DisableAccountDocument, EnableAccountDocument, type AccountListFilter, type AccountRowFragment } from '../gql/graphql'
import { appErrorOrNull } from '../lib/appError'
import { useActionRunner } from './useActionRunner'

export type AccountAction = 'disable' | 'enable'

const PAGE_SIZE = 30

/** The desk's list of accounts, newest first, with disabling and enabling (each with a reason). */
export function useDeskAccounts(filter: () => AccountListFilter | null) {
  const { result, loading, error: loadError, fetchMore, refetch } = useQuery(AccountsDocument, () => ({ first: PAGE_SIZE, filter: filter() }), {
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
  })
  const accounts = computed(() => result.value?.accounts.edges.map((e) => e.node) ?? [])
  const totalCount = computed(() => result.value?.accounts.totalCount ?? 0)
  const hasMore = computed(() => result.value?.accounts.pageInfo.hasNextPage ?? false)
  const runner = useActionRunner()

  const { mutate: disable } = useMutation(DisableAccountDocument, { throws: 'always' })
  const { mutate: enable } = useMutation(EnableAccountDocument, { throws: 'always' })

  async function run(action: AccountAction, account: AccountRowFragment, reason: string): Promise<boolean> {
    const vars = { accountId: account.id, reason }
    return runner.run(async () => {
      if (action === 'disable') await disable(vars)
      else await enable(vars)
    }, `deskAccounts.done.${action}`)
  }

  async function showMore(): Promise<void> {
    const after = result.value?.accounts.pageInfo.endCursor
    if (!after) return
    await fetchMore({
      variables: { first: PAGE_SIZE, after, filter: filter() },
      updateQuery: (prev, { fetchMoreResult }) =>
        fetchMoreResult ? { ...prev, accounts: { ...fetchMoreResult.accounts, edges: [...prev.accounts.edges, ...fetchMoreResult.accounts.edges] } } : prev,
    })
  }

  return {
    accounts,
    totalCount,
    hasMore,
    loading,
    loadError: computed(() => appErrorOrNull(loadError.value)),
    busy: runner.busy,
    error: runner.error,
    doneKey: runner.doneKey,
    run,
    showMore,
    refetch,
  }
}
