import { useQuery } from '@vue/apollo-composable'
import { computed, watch, type Ref } from 'vue'
import { CasePreviewDocument } from '../gql/graphql'

/**
 * The preview of a proposal's case page (what the public would see from the draft, built by the
 * server with the same code as publishing) and why it cannot be published yet. Read again whenever
 * the case changes (`changeKey`: its version and consent, kept live by the page's event stream).
 */
export function useCasePreview(proposalId: Ref<string>, changeKey: Ref<string>) {
  const { result, loading, refetch } = useQuery(CasePreviewDocument, () => ({ proposalId: proposalId.value }), { fetchPolicy: 'cache-and-network' })
  watch(changeKey, (now, before) => {
    if (now !== before) void refetch()
  })
  return {
    preview: computed(() => result.value?.casePreview ?? null),
    blockers: computed(() => result.value?.casePublishBlockers ?? []),
    loading,
    refetch,
  }
}

/** Where a photo or file of the preview is read from: the workspace's own download route (the viewer's access). */
export function workspaceFileUrl(attachmentId: string): string {
  return `/api/attachments/${attachmentId}`
}
