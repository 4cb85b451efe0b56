import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { AppError } from '../lib/appError'
import { fieldErrorMessage, type LabelKeys } from '../lib/errorMessages'

/**
 * Holds the last error of a form and splits it: messages for the form's own inputs (shown next to
 * them, re-translated when the language changes) and the rest (shown in the page-level alert).
 */
export function useFormErrors(formFields: readonly string[], labelKeys: LabelKeys = {}) {
  const { t } = useI18n()
  const error = ref<AppError | null>(null)

  const fieldErrors = computed<Record<string, string>>(() => {
    const out: Record<string, string> = {}
    for (const f of error.value?.fields ?? []) {
      if (formFields.includes(f.field) && !(f.field in out)) out[f.field] = fieldErrorMessage(f, t, labelKeys)
    }
    return out
  })

  /** Field errors about something that is not an input of this form (rare; shown in the alert). */
  const otherFieldMessages = computed(() =>
    (error.value?.fields ?? []).filter((f) => !formFields.includes(f.field)).map((f) => fieldErrorMessage(f, t, labelKeys)),
  )

  /** The error for the page-level alert, or null when everything is shown next to inputs. */
  const pageError = computed(() => {
    const e = error.value
    if (!e) return null
    if (e.code === 'BAD_USER_INPUT' && Object.keys(fieldErrors.value).length > 0 && otherFieldMessages.value.length === 0) {
      return null
    }
    return e
  })

  return { error, fieldErrors, otherFieldMessages, pageError }
}
