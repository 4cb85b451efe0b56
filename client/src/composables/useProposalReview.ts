import { useMutation, useQuery } from '@vue/apollo-composable'
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import {
  AcceptProposalForReviewDocument,
  MarkProposalNotRealizedDocument,
  MatchProposalDocument,
  SetLeadSectionDocument,
  WithdrawMatchDocument,
  ProposalDocument,
  RequestProposalChangesDocument,
  ReturnProposalDocument,
  StartProposalDialogueDocument,
  type MatchDetailsFragment,
  type ProposalDetailsFragment,
} from '../gql/graphql'
import { appErrorOrNull } from '../lib/appError'
import type { DeskProposalAction } from '../lib/proposalActions'
import { announce } from './useLiveAnnouncer'
import { useProposalEvents } from './useProposalEvents'
import { useActionRunner } from './useActionRunner'

/**
 * One proposal as the desk reviews it: kept live by proposalEvents, with the desk's transitions.
 * Every transition sends the version on screen as expectedVersion; a stale one is a CONFLICT.
 * Matching: the proposal's version for matchProposal/setLeadSection, the match's for withdrawMatch.
 */
export function useProposalReview(id: () => string) {
  const { t } = useI18n()
  const query = useQuery(ProposalDocument, () => ({ id: id() }), { fetchPolicy: 'network-only', nextFetchPolicy: 'cache-first' })
  const proposal = computed<ProposalDetailsFragment | null>(() => query.result.value?.proposal ?? null)
  const notFound = computed(() => query.result.value !== undefined && query.result.value.proposal === null)
  const loadError = computed(() => appErrorOrNull(query.error.value))
  const runner = useActionRunner()
  const { busy, error, doneKey } = runner

  useProposalEvents(
    (event) => {
      if (event.proposalId !== id()) return
      if (!event.proposal) query.updateQuery((prev) => ({ ...prev, proposal: null }))
      if (!busy.value) announce(t('proposal.live.detailUpdated'))
    },
    { onResumeWithoutCursor: () => void query.refetch(), startCursor: () => query.result.value?.liveCursor },
  )

  const { mutate: accept } = useMutation(AcceptProposalForReviewDocument, { throws: 'always' })
  const { mutate: ret } = useMutation(ReturnProposalDocument, { throws: 'always' })
  const { mutate: requestChanges } = useMutation(RequestProposalChangesDocument, { throws: 'always' })
  const { mutate: startDialogue } = useMutation(StartProposalDialogueDocument, { throws: 'always' })
  const { mutate: notRealized } = useMutation(MarkProposalNotRealizedDocument, { throws: 'always' })

  async function run(action: DeskProposalAction, text = ''): Promise<boolean> {
    const p = proposal.value
    if (!p) return false
    const vars = { id: p.id, expectedVersion: p.version }
    return runner.run(async () => {
      switch (action) {
        case 'acceptForReview':
          await accept(vars)
          break
        case 'return':
          await ret({ ...vars, reason: text })
          break
        case 'requestChanges':
          await requestChanges({ ...vars, note: text })
          break
        case 'startDialogue':
          await startDialogue(vars)
          break
        case 'markNotRealized':
          await notRealized({ ...vars, reason: text })
          break
      }
    }, `proposal.action.done.${action}`)
  }

  const { mutate: matchProposal } = useMutation(MatchProposalDocument, { throws: 'always' })
  const { mutate: setLeadSection } = useMutation(SetLeadSectionDocument, { throws: 'always' })
  const { mutate: withdrawMatch } = useMutation(WithdrawMatchDocument, { throws: 'always' })

  async function match(sectionIds: string[], leadSectionId: string): Promise<boolean> {
    const p = proposal.value
    if (!p) return false
    return runner.run(
      () => matchProposal({ proposalId: p.id, expectedVersion: p.version, sectionIds, leadSectionId }),
      'match.done.matched',
    )
  }

  async function makeLead(m: MatchDetailsFragment): Promise<boolean> {
    const p = proposal.value
    if (!p) return false
    return runner.run(() => setLeadSection({ proposalId: p.id, expectedVersion: p.version, sectionId: m.section.id }), 'match.done.leadChanged')
  }

  async function withdraw(m: MatchDetailsFragment, reason: string): Promise<boolean> {
    return runner.run(() => withdrawMatch({ matchId: m.id, expectedVersion: m.version, reason }), 'match.done.withdrawn')
  }

  async function reload(): Promise<void> {
    error.value = null
    await query.refetch()
  }

  return { proposal, notFound, loading: query.loading, loadError, busy, error, doneKey, run, match, makeLead, withdraw, reload }
}
