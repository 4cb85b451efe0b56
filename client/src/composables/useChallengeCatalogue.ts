import { useQuery } from '@vue/apollo-composable'
import { computed } from 'vue'
import { ChallengeFieldsDocument, DepartmentsDocument } from '../gql/graphql'

/** What the challenge form chooses from: departments with their sections, and the fields (分野). */
export function useChallengeCatalogue() {
  const departmentsQuery = useQuery(DepartmentsDocument)
  const fieldsQuery = useQuery(ChallengeFieldsDocument)
  return {
    departments: computed(() => departmentsQuery.result.value?.departments ?? []),
    fields: computed(() => fieldsQuery.result.value?.challengeFields ?? []),
    loading: computed(() => departmentsQuery.loading.value || fieldsQuery.loading.value),
  }
}
