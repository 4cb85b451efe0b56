import { useQuery } from '@vue/apollo-composable'
import { computed } from 'vue'
import { DeskDashboardDocument } from '../gql/graphql'
import { appErrorOrNull } from '../lib/appError'
import { useDashboardRefresh } from './useDashboardRefresh'

/** The desk dashboard for a fiscal year (null: this one), kept current by the live events. */
export function useDeskDashboard(fiscalYear: () => number | null) {
  const { result, loading, error, refetch } = useQuery(DeskDashboardDocument, () => ({ fiscalYear: fiscalYear() }), {
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
  })
  useDashboardRefresh(() => refetch(), () => result.value?.liveCursor)
  return {
    dashboard: computed(() => result.value?.deskDashboard ?? null),
    loading,
    error: computed(() => appErrorOrNull(error.value)),
  }
}
