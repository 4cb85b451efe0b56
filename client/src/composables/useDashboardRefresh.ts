import { onBeforeUnmount } from 'vue'
import { useI18n } from 'vue-i18n'
import { debounced, movesFigures } from '../lib/dashboard'
import { announce } from './useLiveAnnouncer'
import { useProposalEvents } from './useProposalEvents'
import { useStageTargetChanges } from './useStageTargetChanges'

const QUIET_MS = 400

/**
 * Reads a dashboard again when something it counts may have moved: a proposal event the viewer
 * may see (the stream is already authorised per viewer) or a changed stage target. One read per
 * burst (an agreement moves the state, the matches and the report at once); no polling.
 */
export function useDashboardRefresh(refetch: () => Promise<unknown> | undefined, liveCursor: () => string | null | undefined) {
  const { t } = useI18n()
  const again = debounced(() => void refetch()?.then(() => announce(t('dashboard.updated'))), QUIET_MS)
  onBeforeUnmount(again.cancel)
  useProposalEvents(
    (event) => {
      if (movesFigures(event.kind)) again.call()
    },
    { onResumeWithoutCursor: () => void refetch(), startCursor: liveCursor },
  )
  useStageTargetChanges(() => again.call())
}
