import { useQuery } from '@vue/apollo-composable'
import { computed } from 'vue'
import { SectionDashboardDocument } from '../gql/graphql'
import { appErrorOrNull } from '../lib/appError'
import { useDashboardRefresh } from './useDashboardRefresh'

/** The viewer's section's dashboard, kept current by the live events. */
export function useSectionDashboard() {
  const { result, loading, error, refetch } = useQuery(SectionDashboardDocument, {}, { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' })
  useDashboardRefresh(() => refetch(), () => result.value?.liveCursor)
  return {
    dashboard: computed(() => result.value?.sectionDashboard ?? null),
    loading,
    error: computed(() => appErrorOrNull(error.value)),
  }
}
