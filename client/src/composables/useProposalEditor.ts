import { useMutation, useQuery } from '@vue/apollo-composable'
import { computed, onBeforeUnmount, ref, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import {
  CreateProposalDraftDocument,
  ProposalDocument,
  SaveProposalDraftDocument,
  SubmitProposalDocument,
  WithdrawProposalDocument,
  type ProposalDetailsFragment,
  type ProposalPledgesInput,
} from '../gql/graphql'
import { appErrorOrNull, toAppError } from '../lib/appError'
import {
  AUTOSAVE_DELAY_MS,
  DRAFT_OWNER_KEY,
  decideAutosave,
  localDraftKey,
  parseLocalDraft,
  shouldRestoreLocal,
  type LocalDraft,
} from '../lib/autosave'
import { randomUuid, submissionFor, type PendingSubmission } from '../lib/idempotency'
import {
  PROPOSAL_FORM_FIELDS,
  PROPOSAL_LABEL_KEYS,
  draftFingerprint,
  emptyProposalForm,
  formToDraftInput,
  proposalToForm,
  type ProposalFormValues,
} from '../lib/proposalForm'
import { announce } from './useLiveAnnouncer'
import { useCurrentAccount } from './useCurrentAccount'
import { useFormErrors } from './useFormErrors'
import { useProposalEvents } from './useProposalEvents'

export type AutosaveStatus = 'idle' | 'saving' | 'saved' | 'local' | 'failed'

function readLocal(key: string): LocalDraft | null {
  try {
    return parseLocalDraft(globalThis.localStorage?.getItem(key) ?? null)
  } catch {
    return null
  }
}

function writeLocal(key: string, draft: LocalDraft | null, owner: string | null = null): void {
  try {
    if (draft) {
      globalThis.localStorage?.setItem(key, JSON.stringify(draft))
      if (owner) globalThis.localStorage?.setItem(DRAFT_OWNER_KEY, owner)
    } else globalThis.localStorage?.removeItem(key)
  } catch {
    // storage may be full or unavailable: the server copy still saves
  }
}

/**
 * The proposal form with autosave: the draft is created on the first typing (idempotency key
 * kept with the local copy, so a reload retries the same create), then saved ~800 ms after the
 * typing stops with `expectedVersion`. Every keystroke is also kept in localStorage by proposal
 * id, so a reload never loses typing. A stale save (CONFLICT) stops autosave until the user loads
 * the latest version.
 */
export function useProposalEditor(
  routeId: () => string | null,
  options: { initialChallengeId?: () => string | null; onCreated?: (id: string) => void } = {},
) {
  const { t } = useI18n()
  const { account } = useCurrentAccount()
  const proposalId = ref<string | null>(routeId())
  const query = useQuery(ProposalDocument, () => ({ id: proposalId.value ?? '' }), () => ({
    enabled: proposalId.value !== null,
    fetchPolicy: 'network-only',
    nextFetchPolicy: 'cache-first',
  }))
  const latest = computed<ProposalDetailsFragment | null>(() => (proposalId.value ? (query.result.value?.proposal ?? null) : null))
  const notFound = computed(() => proposalId.value !== null && query.result.value !== undefined && query.result.value.proposal === null)
  const loadError = computed(() => appErrorOrNull(query.error.value))

  const values = ref<ProposalFormValues>(emptyProposalForm(options.initialChallengeId?.() ?? null))
  const emptyFingerprint = draftFingerprint(emptyProposalForm(options.initialChallengeId?.() ?? null))
  const loadedVersion = ref<number | null>(null)
  const savedFingerprint = ref<string | null>(null)
  const failedFingerprint = ref<string | null>(null)
  const inFlight = ref(false)
  const conflict = ref(false)
  const status = ref<AutosaveStatus>('idle')
  const submitting = ref(false)
  const submittedReference = ref<string | null>(null)
  const doneKey = ref<string | null>(null)
  const formErrors = useFormErrors(PROPOSAL_FORM_FIELDS, PROPOSAL_LABEL_KEYS)
  let createKey: string | null = null
  let pendingSubmit: PendingSubmission | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  /** The page is gone: a pending save still runs, but must not navigate back to it. */
  let unmounted = false

  const createdHere = ref(false)
  const editable = computed(() => (latest.value ? latest.value.viewerCan.edit : proposalId.value === null || createdHere.value))
  const fingerprint = computed(() => draftFingerprint(values.value))
  const dirty = computed(() => fingerprint.value !== (savedFingerprint.value ?? emptyFingerprint))

  function loadFrom(p: ProposalDetailsFragment): void {
    values.value = proposalToForm(p)
    loadedVersion.value = p.version
    savedFingerprint.value = draftFingerprint(values.value)
    failedFingerprint.value = null
  }

  // A new proposal: a copy typed before a reload (with its pending create key) comes back.
  if (proposalId.value === null) {
    const local = readLocal(localDraftKey(null))
    if (local) {
      values.value = local.values
      createKey = local.createKey
      status.value = 'local'
      schedule()
    }
  }

  // An existing one: load it once; a local copy typed on top of this very version wins.
  watch(
    latest,
    (p) => {
      if (!p || loadedVersion.value !== null) return
      loadFrom(p)
      const local = readLocal(localDraftKey(p.id))
      if (p.viewerCan.edit && shouldRestoreLocal(local, p.version, savedFingerprint.value ?? '', local ? draftFingerprint(local.values) : '')) {
        values.value = local!.values
        status.value = 'local'
        schedule()
      }
    },
    { immediate: true },
  )

  /** Someone else (another member, or the desk) changed it since the form was loaded. */
  const changedElsewhere = computed(
    () => !inFlight.value && latest.value !== null && loadedVersion.value !== null && latest.value.version > loadedVersion.value,
  )
  // A change elsewhere with nothing unsaved here (e.g. the desk moved it on) is simply taken in.
  watch(changedElsewhere, (changed) => {
    if (changed && !dirty.value && latest.value) loadFrom(latest.value)
  })

  useProposalEvents(
    (event) => {
      if (event.proposalId !== proposalId.value) return
      if (!event.proposal) query.updateQuery((prev) => ({ ...prev, proposal: null }))
      else if (!inFlight.value && event.proposal.version !== loadedVersion.value) announce(t('proposal.live.detailUpdated'))
    },
    { onResumeWithoutCursor: () => void query.refetch(), startCursor: () => query.result.value?.liveCursor },
  )

  // Every change is kept locally at once, and saved to the server after a pause.
  watch(
    values,
    () => {
      if (!editable.value) return
      if (fingerprint.value === (savedFingerprint.value ?? emptyFingerprint)) return
      if (proposalId.value === null && !createKey) createKey = randomUuid()
      writeLocal(
        localDraftKey(proposalId.value),
        { values: values.value, baseVersion: loadedVersion.value, createKey, savedAt: new Date().toISOString() },
        account.value?.id ?? null,
      )
      status.value = 'local'
      schedule()
    },
    { deep: true },
  )

  function schedule(): void {
    clearTimeout(timer)
    timer = setTimeout(() => void autosave(), AUTOSAVE_DELAY_MS)
  }

  const { mutate: create } = useMutation(CreateProposalDraftDocument, { throws: 'always' })
  const { mutate: save } = useMutation(SaveProposalDraftDocument, { throws: 'always' })
  const { mutate: submitMutation } = useMutation(SubmitProposalDocument, { throws: 'always' })
  const { mutate: withdrawMutation } = useMutation(WithdrawProposalDocument, { throws: 'always' })

  /** One autosave step; runs again if the form changed while it was in flight. */
  async function autosave(): Promise<void> {
    clearTimeout(timer)
    const decision = decideAutosave({
      proposalId: proposalId.value,
      inFlight: inFlight.value,
      conflict: conflict.value,
      editable: editable.value,
      savedFingerprint: savedFingerprint.value,
      currentFingerprint: fingerprint.value,
      emptyFingerprint,
      failedFingerprint: failedFingerprint.value,
    })
    if (decision === 'none' || decision === 'wait') return
    const sentFingerprint = fingerprint.value
    const input = formToDraftInput(values.value)
    inFlight.value = true
    status.value = 'saving'
    try {
      let p: ProposalDetailsFragment | undefined
      if (decision === 'create') {
        createKey ??= randomUuid()
        p = (await create({ input, idempotencyKey: createKey }))?.data?.createProposalDraft
        if (!p) throw new Error('no proposal returned')
        writeLocal(localDraftKey(null), null)
        createKey = null
        createdHere.value = true
        proposalId.value = p.id
        if (!unmounted) options.onCreated?.(p.id)
      } else {
        p = (await save({ id: proposalId.value!, expectedVersion: loadedVersion.value!, input }))?.data?.saveProposalDraft
        if (!p) throw new Error('no proposal returned')
      }
      loadedVersion.value = p.version
      savedFingerprint.value = sentFingerprint
      failedFingerprint.value = null
      formErrors.error.value = null
      if (fingerprint.value === sentFingerprint) {
        writeLocal(localDraftKey(p.id), null)
        status.value = 'saved'
      } else {
        writeLocal(localDraftKey(p.id), { values: values.value, baseVersion: p.version, createKey: null, savedAt: new Date().toISOString() })
      }
    } catch (e) {
      const err = toAppError(e)
      formErrors.error.value = err
      status.value = 'failed'
      if (err.code === 'CONFLICT') conflict.value = true
      else if (err.code === 'BAD_USER_INPUT') failedFingerprint.value = sentFingerprint
    } finally {
      inFlight.value = false
    }
    if (!conflict.value && fingerprint.value !== sentFingerprint) schedule()
  }

  /** Saves what is pending now (before submitting, or when leaving the page). */
  async function flush(): Promise<void> {
    clearTimeout(timer)
    while (inFlight.value) await new Promise((r) => setTimeout(r, 50))
    await autosave()
  }

  async function reloadLatest(): Promise<void> {
    if (!proposalId.value) return
    const result = await query.refetch()
    const p = result?.data.proposal ?? latest.value
    conflict.value = false
    formErrors.error.value = null
    writeLocal(localDraftKey(proposalId.value), null)
    if (p) loadFrom(p)
    status.value = 'idle'
  }

  /** After an upload or a delete: the attachment list is re-read (the form is left alone). */
  async function reloadAttachments(): Promise<void> {
    if (proposalId.value) await query.refetch()
  }

  async function submit(pledges: ProposalPledgesInput): Promise<boolean> {
    if (submitting.value) return false
    submitting.value = true
    doneKey.value = null
    try {
      await flush()
      if (!proposalId.value) {
        // Nothing typed yet: say what a submission needs, as the server would.
        formErrors.error.value = {
          code: 'BAD_USER_INPUT',
          conflictReason: null,
          requestId: null,
          serverMessage: null,
          fields: ['title', 'wardIssue', 'content', 'expectedEffects'].map((field) => ({ field, code: 'REQUIRED' as const, message: '' })),
        }
        return false
      }
      if (conflict.value || loadedVersion.value === null) return false
      if (formErrors.error.value && status.value === 'failed') return false
      pendingSubmit = submissionFor(pendingSubmit, `${proposalId.value}:${loadedVersion.value}`)
      const p = (
        await submitMutation({ id: proposalId.value, expectedVersion: loadedVersion.value, pledges, idempotencyKey: pendingSubmit.key })
      )?.data?.submitProposal
      if (!p) return false
      pendingSubmit = null
      formErrors.error.value = null
      writeLocal(localDraftKey(p.id), null)
      loadFrom(p)
      submittedReference.value = p.referenceNumber ?? null
      return true
    } catch (e) {
      const err = toAppError(e)
      formErrors.error.value = err
      if (err.code === 'CONFLICT' && err.conflictReason === 'STALE_VERSION') conflict.value = true
      return false
    } finally {
      submitting.value = false
    }
  }

  async function withdraw(reason: string): Promise<boolean> {
    if (!proposalId.value || loadedVersion.value === null || submitting.value) return false
    submitting.value = true
    doneKey.value = null
    try {
      const p = (await withdrawMutation({ id: proposalId.value, expectedVersion: loadedVersion.value, reason: reason || null }))?.data
        ?.withdrawProposal
      if (!p) return false
      formErrors.error.value = null
      loadFrom(p)
      doneKey.value = 'proposal.withdrawDone'
      return true
    } catch (e) {
      formErrors.error.value = toAppError(e)
      return false
    } finally {
      submitting.value = false
    }
  }

  onBeforeUnmount(() => {
    unmounted = true
    // Leaving the page: whatever is still pending goes to the server (the local copy stays until it has).
    if (timer !== undefined && !conflict.value) void autosave()
    clearTimeout(timer)
  })

  return {
    proposalId,
    latest,
    notFound,
    loading: query.loading,
    loadError,
    values,
    editable,
    status,
    conflict,
    changedElsewhere,
    dirty,
    submitting,
    submittedReference,
    doneKey,
    ...formErrors,
    reloadLatest,
    reloadAttachments,
    submit,
    withdraw,
    flush,
  }
}
