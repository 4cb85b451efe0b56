import { useMutation, useQuery } from '@vue/apollo-composable'
import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { AcceptMatchDocument, DeclineMatchDocument, ProposalDocument, type ProposalDetailsFragment } from '../gql/graphql'
import { appErrorOrNull } from '../lib/appError'
import { announce } from './useLiveAnnouncer'
import { useActionRunner } from './useActionRunner'
import { useProposalEvents } from './useProposalEvents'

/**
 * One proposal as a matched section sees it, kept live by proposalEvents. When the section loses
 * access (an event with `proposal: null`, or its own decline), `gone` turns true and the
 * proposal is dropped from the query at once, so nothing of it stays on screen.
 * Accept/decline send the match's version as expectedVersion.
 */
export function useSectionProposal(id: () => string) {
  const { t } = useI18n()
  const query = useQuery(ProposalDocument, () => ({ id: id() }), { fetchPolicy: 'network-only', nextFetchPolicy: 'cache-first' })
  const gone = ref(false)
  const proposal = computed<ProposalDetailsFragment | null>(() => (gone.value ? null : (query.result.value?.proposal ?? null)))
  const notFound = computed(() => !gone.value && query.result.value !== undefined && query.result.value.proposal === null)
  const loadError = computed(() => appErrorOrNull(query.error.value))
  /** The viewer's own match that still waits for an answer. */
  const myPendingMatch = computed(() => proposal.value?.matches.find((m) => m.state === 'PENDING' && (m.viewerCan.accept || m.viewerCan.decline)) ?? null)
  const runner = useActionRunner()
  const { busy, error, doneKey } = runner

  function loseAccess(): void {
    gone.value = true
    query.updateQuery((prev) => ({ ...prev, proposal: null }))
  }

  useProposalEvents(
    (event) => {
      if (event.proposalId !== id()) return
      if (!event.proposal) {
        loseAccess()
        return
      }
      if (!busy.value) announce(t('proposal.live.detailUpdated'))
    },
    { onResumeWithoutCursor: () => void query.refetch(), startCursor: () => query.result.value?.liveCursor },
  )

  const { mutate: acceptMatch } = useMutation(AcceptMatchDocument, { throws: 'always' })
  const { mutate: declineMatch } = useMutation(DeclineMatchDocument, { throws: 'always' })

  async function accept(): Promise<boolean> {
    const m = myPendingMatch.value
    if (!m) return false
    return runner.run(() => acceptMatch({ matchId: m.id, expectedVersion: m.version }), 'match.done.accepted')
  }

  async function decline(reason: string): Promise<boolean> {
    const m = myPendingMatch.value
    if (!m) return false
    const ok = await runner.run(() => declineMatch({ matchId: m.id, expectedVersion: m.version, reason }), null)
    if (ok) loseAccess()
    return ok
  }

  async function reload(): Promise<void> {
    error.value = null
    await query.refetch()
  }

  return { proposal, gone, notFound, loading: query.loading, loadError, myPendingMatch, busy, error, doneKey, accept, decline, reload }
}
