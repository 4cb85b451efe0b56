import { useQuery } from '@vue/apollo-composable'
import { computed } from 'vue'
import { MeDocument } from '../gql/graphql'

/** The signed-in account (null when signed out), from the `me` query in the cache. */
export function useCurrentAccount() {
  const { result, loading } = useQuery(MeDocument, null, { fetchPolicy: 'cache-first' })
  const account = computed(() => result.value?.me ?? null)
  return { account, loading }
}
