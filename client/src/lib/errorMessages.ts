import type { AppError, FieldError } from './appError'

/** The subset of vue-i18n's `t` this module needs (so it can be tested with a real i18n instance or a stub). */
export type Translate = (key: string, named?: Record<string, unknown>) => string

/** Where the error happened; some codes read differently in context. */
export type ErrorContext = 'general' | 'login' | 'challenge'

/** i18n key for a field's label, by the input field name the server reports. */
const FIELD_LABEL_KEYS: Record<string, string> = {
  title: 'challenge.field.title',
  description: 'challenge.field.description',
  background: 'challenge.field.background',
  owningSectionId: 'challenge.field.owningSection',
  fieldCodes: 'challenge.field.fields',
  periodStart: 'challenge.field.periodStart',
  periodEnd: 'challenge.field.periodEnd',
  contact: 'challenge.field.contact',
  reason: 'challenge.unpublish.reason',
  email: 'auth.email',
  password: 'auth.password',
}

const SELECT_FIELDS = new Set(['owningSectionId', 'fieldCodes'])
const PERIOD_FIELDS = new Set(['periodStart', 'periodEnd'])

export function fieldLabel(field: string, t: Translate): string {
  const key = FIELD_LABEL_KEYS[field]
  return key ? t(key) : field
}

/** The message shown next to one input, in the current language. */
export function fieldErrorMessage(error: FieldError, t: Translate): string {
  const label = fieldLabel(error.field, t)
  switch (error.code) {
    case 'REQUIRED':
      return t(SELECT_FIELDS.has(error.field) ? 'errors.field.REQUIRED_SELECT' : 'errors.field.REQUIRED', { label })
    case 'OUT_OF_ORDER':
      return t(PERIOD_FIELDS.has(error.field) ? 'errors.field.OUT_OF_ORDER_PERIOD' : 'errors.field.OUT_OF_ORDER', { label })
    case 'TOO_LONG':
    case 'INVALID':
    case 'UNKNOWN_REFERENCE':
      return t(`errors.field.${error.code}`, { label })
    default:
      return t('errors.field.OTHER', { label })
  }
}

/** Field errors keyed by input field name; the first error per field wins. */
export function fieldErrorMessages(error: AppError, t: Translate): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of error.fields) {
    if (!(f.field in out)) out[f.field] = fieldErrorMessage(f, t)
  }
  return out
}

/** The page-level message for an error, in the current language. */
export function errorMessage(error: AppError, t: Translate, context: ErrorContext = 'general'): string {
  if (context === 'login') {
    if (error.code === 'UNAUTHENTICATED' || (error.code === 'BAD_USER_INPUT' && error.fields.length === 0)) {
      return t('errors.login.invalid')
    }
    if (error.code === 'RATE_LIMITED') return t('errors.login.rateLimited')
  }
  if (error.code === 'CONFLICT' && error.conflictReason === 'ILLEGAL_STATE') return t('errors.illegalState')
  if (context === 'challenge' && error.code === 'CONFLICT') return t('errors.challengeConflict')
  return t(`errors.code.${error.code}`)
}

/** "Request ID: …" for INTERNAL_SERVER_ERROR (and anything else that carries one), else null. */
export function requestIdLine(error: AppError, t: Translate): string | null {
  return error.requestId ? t('errors.requestId', { id: error.requestId }) : null
}
