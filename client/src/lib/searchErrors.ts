// The search's own input codes (server/src/search/search.validation.ts). appError keeps only the
// codes every form shares, so TERM_TOO_SHORT is read here from the raw GraphQL error.

export const SEARCH_ERROR_CODES = ['REQUIRED', 'TERM_TOO_SHORT', 'TOO_LONG', 'TOO_MANY'] as const
export type SearchErrorCode = (typeof SEARCH_ERROR_CODES)[number]

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function errorsOf(err: unknown): unknown[] {
  if (!isObject(err)) return []
  for (const key of ['graphQLErrors', 'errors']) {
    const value = err[key]
    if (Array.isArray(value) && value.length) return value
  }
  const network = err.networkError
  if (isObject(network) && isObject(network.result) && Array.isArray(network.result.errors)) return network.result.errors
  return []
}

/** The code of a refused search query (field "query"), or null for any other error. */
export function searchErrorCode(err: unknown): SearchErrorCode | null {
  for (const error of errorsOf(err)) {
    if (!isObject(error) || !isObject(error.extensions) || error.extensions.code !== 'BAD_USER_INPUT') continue
    const fields = Array.isArray(error.extensions.fields) ? error.extensions.fields : []
    for (const field of fields) {
      if (isObject(field) && field.field === 'query' && (SEARCH_ERROR_CODES as readonly unknown[]).includes(field.code)) {
        return field.code as SearchErrorCode
      }
    }
  }
  return null
}
