import type { AppError, FieldError } from './appError'

/** The subset of vue-i18n's `t` this module needs (so it can be tested with a real i18n instance or a stub). */
export type Translate = (key: string, named?: Record<string, unknown>) => string

/** Where the error happened; some codes read differently in context. */
export type ErrorContext = 'general' | 'login' | 'challenge' | 'proposal'

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
  displayName: 'organisation.field.displayName',
  name: 'organisation.field.name',
  nameKana: 'organisation.field.nameKana',
  kind: 'organisation.field.kind',
  corporateNumber: 'organisation.field.corporateNumber',
  address: 'organisation.field.address',
  representative: 'organisation.field.representative',
  contactName: 'organisation.field.contactName',
  contactEmail: 'organisation.field.contactEmail',
  contactPhone: 'organisation.field.contactPhone',
}

const SELECT_FIELDS = new Set(['owningSectionId', 'fieldCodes', 'kind', 'challengeId', 'hopedSectionIds', 'wardCost', 'sectionIds', 'leadSectionId', 'sectionId'])
/** Fields whose INVALID says more than "not valid" (the server uses INVALID for format and for "already taken"). */
const INVALID_FIELD_KEYS = new Set(['corporateNumber', 'email', 'contactEmail', 'contactPhone', 'nameKana', 'password'])
const PLEDGE_FIELDS = new Set(['notSolelyCommercial', 'notPoliticalOrReligious', 'noAntisocialTies'])
const PERIOD_FIELDS = new Set(['periodStart', 'periodEnd'])

/** A form's own label keys (e.g. the proposal form's "title" is 提案の名称) take precedence over the general ones. */
export type LabelKeys = Record<string, string>

export function fieldLabel(field: string, t: Translate, labelKeys: LabelKeys = {}): string {
  const key = labelKeys[field] ?? FIELD_LABEL_KEYS[field]
  return key ? t(key) : field
}

/** The message shown next to one input, in the current language. */
export function fieldErrorMessage(error: FieldError, t: Translate, labelKeys: LabelKeys = {}): string {
  const label = fieldLabel(error.field, t, labelKeys)
  switch (error.code) {
    case 'REQUIRED':
      if (PLEDGE_FIELDS.has(error.field)) return t('errors.field.REQUIRED_PLEDGE', { label })
      return t(SELECT_FIELDS.has(error.field) ? 'errors.field.REQUIRED_SELECT' : 'errors.field.REQUIRED', { label })
    case 'NOT_ACCEPTED':
      return t(error.field === 'kind' ? 'errors.field.NOT_ACCEPTED_INDIVIDUAL' : 'errors.field.NOT_ACCEPTED', { label })
    case 'OUT_OF_ORDER':
      return t(PERIOD_FIELDS.has(error.field) ? 'errors.field.OUT_OF_ORDER_PERIOD' : 'errors.field.OUT_OF_ORDER', { label })
    case 'INVALID':
      if (INVALID_FIELD_KEYS.has(error.field)) return t(`errors.field.INVALID_FIELD.${error.field}`)
      return t('errors.field.INVALID', { label })
    case 'TOO_LONG':
    case 'TOO_MANY':
    case 'UNKNOWN_REFERENCE':
      return t(`errors.field.${error.code}`, { label })
    default:
      return t('errors.field.OTHER', { label })
  }
}

/** Field errors keyed by input field name; the first error per field wins. */
export function fieldErrorMessages(error: AppError, t: Translate, labelKeys: LabelKeys = {}): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of error.fields) {
    if (!(f.field in out)) out[f.field] = fieldErrorMessage(f, t, labelKeys)
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
  if (context === 'proposal' && error.code === 'CONFLICT') return t('errors.proposalConflict')
  return t(`errors.code.${error.code}`)
}

/** "Request ID: …" for INTERNAL_SERVER_ERROR (and anything else that carries one), else null. */
export function requestIdLine(error: AppError, t: Translate): string | null {
  return error.requestId ? t('errors.requestId', { id: error.requestId }) : null
}
