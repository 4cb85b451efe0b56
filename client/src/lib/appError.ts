// Turns whatever Apollo (or graphql-ws) threw into one small, typed shape the UI can translate.
// Duck-typed on purpose: no Apollo import, so it is testable as plain data.

export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
  'GRAPHQL_VALIDATION_FAILED',
] as const

/** Server codes, plus NETWORK (no answer) and UNKNOWN (an answer we cannot classify). */
export type ErrorCode = (typeof ERROR_CODES)[number] | 'NETWORK' | 'UNKNOWN'

export const FIELD_ERROR_CODES = ['REQUIRED', 'TOO_LONG', 'TOO_MANY', 'INVALID', 'UNKNOWN_REFERENCE', 'OUT_OF_ORDER', 'NOT_ACCEPTED'] as const
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number] | 'OTHER'

export interface FieldError {
  /** The input field name, e.g. "title", "owningSectionId" (a path like "input.title" is reduced to "title"). */
  field: string
  code: FieldErrorCode
  /** The server's own (English) message; shown only as a supplement, never alone. */
  message: string
}

/** For CONFLICT: changed by someone else meanwhile, or not allowed in the current state. */
export type ConflictReason = 'STALE_VERSION' | 'ILLEGAL_STATE' | 'DUPLICATE' | null

export interface AppError {
  code: ErrorCode
  conflictReason: ConflictReason
  fields: FieldError[]
  requestId: string | null
  serverMessage: string | null
  /** For CONFLICT: which rule refused the change, when the server names one (e.g. LAST_DESK_ACCOUNT). */
  conflictRule?: string
}

interface GraphQLErrorLike {
  message?: unknown
  extensions?: Record<string, unknown> | null
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function asErrorArray(value: unknown): GraphQLErrorLike[] {
  return Array.isArray(value) ? value.filter(isObject) : []
}

function knownCode(value: unknown): ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
    ? (value as ErrorCode)
    : 'UNKNOWN'
}

function fieldCode(value: unknown): FieldErrorCode {
  return typeof value === 'string' && (FIELD_ERROR_CODES as readonly string[]).includes(value)
    ? (value as FieldErrorCode)
    : 'OTHER'
}

/** "input.title" → "title"; "input.fieldCodes.0" → "fieldCodes" (array indexes are not fields). */
function fieldName(value: unknown): string {
  if (typeof value !== 'string') return ''
  const parts = value.split(/[.[\]]/).filter((p) => p !== '' && !/^\d+$/.test(p))
  return parts[parts.length - 1] ?? value
}

function parseFields(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return []
  return value.filter(isObject).map((f) => ({
    field: fieldName(f.field),
    code: fieldCode(f.code),
    message: typeof f.message === 'string' ? f.message : '',
  }))
}

/** The GraphQL errors carried by an ApolloError, a CombinedGraphQLErrors-like value, a bare array, or an HTTP 400 body. */
function collectGraphQLErrors(err: unknown): GraphQLErrorLike[] {
  if (Array.isArray(err)) return asErrorArray(err)
  if (!isObject(err)) return []
  const direct = asErrorArray(err.graphQLErrors)
  if (direct.length) return direct
  const nested = asErrorArray(err.errors)
  if (nested.length) return nested
  const protocol = asErrorArray(err.protocolErrors)
  if (protocol.length) return protocol
  const network = err.networkError
  if (isObject(network) && isObject(network.result)) {
    const fromBody = asErrorArray(network.result.errors)
    if (fromBody.length) return fromBody
  }
  if (isObject(err.extensions)) return [err as GraphQLErrorLike]
  return []
}

// When several errors arrive, the most actionable one leads.
const PRIORITY: ErrorCode[] = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONFLICT',
  'NOT_FOUND',
  'RATE_LIMITED',
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'INTERNAL_SERVER_ERROR',
  'UNKNOWN',
]

export function toAppError(err: unknown): AppError {
  const errors = collectGraphQLErrors(err)
  if (errors.length === 0) {
    const hasNetwork = isObject(err) && ('networkError' in err ? err.networkError != null : err instanceof TypeError)
    return {
      code: hasNetwork ? 'NETWORK' : 'UNKNOWN',
      conflictReason: null,
      fields: [],
      requestId: null,
      serverMessage: isObject(err) && typeof err.message === 'string' ? err.message : null,
    }
  }
  const codes = errors.map((e) => knownCode(e.extensions?.code))
  const code = PRIORITY.find((c) => codes.includes(c)) ?? 'UNKNOWN'
  const lead = errors[codes.indexOf(code)] ?? errors[0]
  const fields = errors.flatMap((e) => (knownCode(e.extensions?.code) === 'BAD_USER_INPUT' ? parseFields(e.extensions?.fields) : []))
  const requestId = errors
    .map((e) => e.extensions?.requestId)
    .find((id): id is string => typeof id === 'string' && id.length > 0)
  const reason = code === 'CONFLICT' ? lead?.extensions?.reason : null
  const rule = code === 'CONFLICT' ? lead?.extensions?.rule : null
  return {
    ...(typeof rule === 'string' ? { conflictRule: rule } : {}),
    code,
    conflictReason: reason === 'STALE_VERSION' || reason === 'ILLEGAL_STATE' || reason === 'DUPLICATE' ? reason : null,
    fields,
    requestId: requestId ?? null,
    serverMessage: lead && typeof lead.message === 'string' ? lead.message : null,
  }
}

/** toAppError for optional values (e.g. a query's `error` ref). */
export function appErrorOrNull(err: unknown): AppError | null {
  return err == null ? null : toAppError(err)
}
