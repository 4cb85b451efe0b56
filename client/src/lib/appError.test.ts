import { describe, expect, it } from 'vitest'
import { toAppError } from './appError'

// Shapes as Apollo Client 3 delivers them: an ApolloError with graphQLErrors / networkError.
function apolloError(graphQLErrors: unknown[], networkError: unknown = null) {
  return Object.assign(new Error('apollo'), { graphQLErrors, networkError, protocolErrors: [] })
}

describe('toAppError', () => {
  it('reads BAD_USER_INPUT field errors and reduces input paths to field names', () => {
    const err = apolloError([
      {
        message: 'Invalid input',
        extensions: {
          code: 'BAD_USER_INPUT',
          fields: [
            { field: 'input.title', code: 'REQUIRED', message: 'title is required' },
            { field: 'periodEnd', code: 'OUT_OF_ORDER', message: 'end before start' },
            { field: 'contact', code: 'SOMETHING_NEW', message: 'x' },
            { field: 'input.fieldCodes.0', code: 'UNKNOWN_REFERENCE', message: 'no such field' },
          ],
        },
      },
    ])
    expect(toAppError(err)).toEqual({
      code: 'BAD_USER_INPUT',
      conflictReason: null,
      fields: [
        { field: 'title', code: 'REQUIRED', message: 'title is required' },
        { field: 'periodEnd', code: 'OUT_OF_ORDER', message: 'end before start' },
        { field: 'contact', code: 'OTHER', message: 'x' },
        { field: 'fieldCodes', code: 'UNKNOWN_REFERENCE', message: 'no such field' },
      ],
      requestId: null,
      serverMessage: 'Invalid input',
    })
  })

  it('keeps the requestId of an INTERNAL_SERVER_ERROR', () => {
    const err = apolloError([{ message: 'Internal', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' } }])
    const parsed = toAppError(err)
    expect(parsed.code).toBe('INTERNAL_SERVER_ERROR')
    expect(parsed.requestId).toBe('req-42')
  })

  it('lets CONFLICT lead when several errors arrive', () => {
    const err = apolloError([
      { message: 'a', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      { message: 'stale', extensions: { code: 'CONFLICT' } },
    ])
    expect(toAppError(err)).toMatchObject({ code: 'CONFLICT', serverMessage: 'stale' })
  })

  it('reads why a CONFLICT happened', () => {
    const err = { graphQLErrors: [{ message: 'no', extensions: { code: 'CONFLICT', reason: 'ILLEGAL_STATE' } }] }
    expect(toAppError(err).conflictReason).toBe('ILLEGAL_STATE')
    expect(toAppError({ graphQLErrors: [{ message: 'x', extensions: { code: 'NOT_FOUND', reason: 'ILLEGAL_STATE' } }] }).conflictReason).toBeNull()
  })

  it('reads which rule refused a CONFLICT, and only for a CONFLICT', () => {
    const conflict = { graphQLErrors: [{ message: 'x', extensions: { code: 'CONFLICT', reason: 'ILLEGAL_STATE', rule: 'LAST_DESK_ACCOUNT' } }] }
    expect(toAppError(conflict).conflictRule).toBe('LAST_DESK_ACCOUNT')
    expect(toAppError({ graphQLErrors: [{ message: 'x', extensions: { code: 'FORBIDDEN', rule: 'LAST_DESK_ACCOUNT' } }] }).conflictRule).toBeUndefined()
  })

  it('reads errors from an HTTP 400 body (validation failures arrive as a network error)', () => {
    const err = apolloError([], {
      statusCode: 400,
      result: { errors: [{ message: 'Cannot query field', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] },
    })
    expect(toAppError(err).code).toBe('GRAPHQL_VALIDATION_FAILED')
  })

  it('calls a failure with no GraphQL errors and a network error NETWORK', () => {
    expect(toAppError(apolloError([], new TypeError('Failed to fetch'))).code).toBe('NETWORK')
    expect(toAppError(new TypeError('Failed to fetch')).code).toBe('NETWORK')
  })

  it('calls unknown codes and plain errors UNKNOWN', () => {
    expect(toAppError(apolloError([{ message: 'm', extensions: { code: 'TEAPOT' } }])).code).toBe('UNKNOWN')
    expect(toAppError(new Error('boom')).code).toBe('UNKNOWN')
    expect(toAppError('nonsense').code).toBe('UNKNOWN')
  })

  it('accepts a bare array of GraphQL errors (as a subscription reports them)', () => {
    expect(toAppError([{ message: 'no', extensions: { code: 'FORBIDDEN' } }]).code).toBe('FORBIDDEN')
  })
})
