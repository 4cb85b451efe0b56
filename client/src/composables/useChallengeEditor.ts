import { useMutation, useQuery } from '@vue/apollo-composable'
import { computed, ref, watch } from 'vue'
import {
  ChallengeDocument,
  CloseChallengeDocument,
  OpenChallengeDocument,
  PublishChallengeDocument,
  UnpublishChallengeDocument,
  UpdateChallengeDocument,
  type ChallengeDetailsFragment,
  type SectionSummaryFragment,
} from '../gql/graphql'
import { appErrorOrNull, toAppError } from '../lib/appError'
import { CHALLENGE_FORM_FIELDS, challengeToForm, emptyChallengeForm, formToInput } from '../lib/challengeForm'
import type { LifecycleAction } from '../lib/lifecycle'
import { useChallengeEvents } from './useChallengeEvents'
import { useFormErrors } from './useFormErrors'

/**
 * Editing one challenge with optimistic concurrency: the form is a local copy of the version it
 * was loaded from, and every mutation sends that version as `expectedVersion`. Live events update
 * the cache (so `latest` moves on) but never the form; the page offers to reload instead.
 */
export function useChallengeEditor(id: () => string) {
  const query = useQuery(ChallengeDocument, () => ({ id: id() }), {
    fetchPolicy: 'network-only',
    nextFetchPolicy: 'cache-first',
  })
  const latest = computed(() => query.result.value?.challenge ?? null)
  const notFound = computed(() => query.result.value !== undefined && query.result.value.challenge === null)
  const loadError = computed(() => appErrorOrNull(query.error.value))

  const values = ref(emptyChallengeForm())
  const loadedVersion = ref<number | null>(null)
  const loadedSection = ref<SectionSummaryFragment | null>(null)
  const busy = ref(false)
  /** i18n key of the last success message (shown in a role="status" region). */
  const doneKey = ref<string | null>(null)
  const formErrors = useFormErrors(CHALLENGE_FORM_FIELDS)
  const reasonError = computed(() => formErrors.error.value?.fields.find((f) => f.field === 'reason') ?? null)

  function loadFrom(c: ChallengeDetailsFragment): void {
    values.value = challengeToForm(c)
    loadedVersion.value = c.version
    loadedSection.value = c.owningSection ?? null
  }

  watch(
    latest,
    (c) => {
      if (c && loadedVersion.value === null) loadFrom(c)
    },
    { immediate: true },
  )

  /** Someone else changed the challenge since the form was loaded (not while our own write is in flight). */
  const changedElsewhere = computed(
    () => !busy.value && latest.value !== null && loadedVersion.value !== null && latest.value.version > loadedVersion.value,
  )
  const conflict = computed(() => formErrors.error.value?.code === 'CONFLICT')

  useChallengeEvents(
    (event) => {
      // The event's challenge is already in the cache; only a disappearance needs handling here.
      if (event.challengeId === id() && !event.challenge) {
        query.updateQuery((prev) => ({ ...prev, challenge: null }))
      }
    },
    { onResumeWithoutCursor: () => void query.refetch(), startCursor: () => query.result.value?.liveCursor },
  )

  async function reloadLatest(): Promise<void> {
    const result = await query.refetch()
    const c = result?.data.challenge ?? latest.value
    formErrors.error.value = null
    doneKey.value = null
    if (c) loadFrom(c)
  }

  const { mutate: update } = useMutation(UpdateChallengeDocument, { throws: 'always' })
  const { mutate: open } = useMutation(OpenChallengeDocument, { throws: 'always' })
  const { mutate: close } = useMutation(CloseChallengeDocument, { throws: 'always' })
  const { mutate: publish } = useMutation(PublishChallengeDocument, { throws: 'always' })
  const { mutate: unpublish } = useMutation(UnpublishChallengeDocument, { throws: 'always' })

  async function write(run: (expectedVersion: number) => Promise<ChallengeDetailsFragment | undefined>, onDone: (c: ChallengeDetailsFragment) => void, key: string): Promise<boolean> {
    if (busy.value || loadedVersion.value === null) return false
    busy.value = true
    doneKey.value = null
    formErrors.error.value = null
    try {
      const c = await run(loadedVersion.value)
      if (!c) return false
      onDone(c)
      doneKey.value = key
      return true
    } catch (e) {
      formErrors.error.value = toAppError(e)
      return false
    } finally {
      busy.value = false
    }
  }

  function save(): Promise<boolean> {
    const input = formToInput(values.value)
    return write(
      async (expectedVersion) => (await update({ id: id(), expectedVersion, input }))?.data?.updateChallenge,
      loadFrom,
      'form.saved',
    )
  }

  /** Lifecycle changes leave the form's (possibly unsaved) text alone; only the version moves on. */
  function runAction(action: LifecycleAction, reason = ''): Promise<boolean> {
    const vars = (expectedVersion: number) => ({ id: id(), expectedVersion })
    const run = {
      open: async (v: number) => (await open(vars(v)))?.data?.openChallenge,
      close: async (v: number) => (await close(vars(v)))?.data?.closeChallenge,
      publish: async (v: number) => (await publish(vars(v)))?.data?.publishChallenge,
      unpublish: async (v: number) => (await unpublish({ ...vars(v), reason }))?.data?.unpublishChallenge,
    }[action]
    return write(
      run,
      (c) => {
        loadedVersion.value = c.version
      },
      `desk.done.${action}`,
    )
  }

  return {
    latest,
    notFound,
    loading: query.loading,
    loadError,
    values,
    loadedSection,
    busy,
    doneKey,
    changedElsewhere,
    conflict,
    reasonError,
    ...formErrors,
    save,
    runAction,
    reloadLatest,
  }
}
