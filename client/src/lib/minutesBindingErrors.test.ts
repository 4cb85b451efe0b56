import { describe, expect, it } from 'vitest'
import { toAppError } from './appError'
import { classifyMinutesError } from './minutesBindingErrors'

const graphqlError = (code: string, extra: Record<string, unknown> = {}) => toAppError({ graphQLErrors: [{ message: 'x', extensions: { code, ...extra } }] })

describe('classifyMinutesError', () => {
  it('ends access for NOT_FOUND, UNAUTHENTICATED and FORBIDDEN', () => {
    expect(classifyMinutesError(graphqlError('NOT_FOUND'))).toBe('accessEnded')
    expect(classifyMinutesError(graphqlError('UNAUTHENTICATED'))).toBe('accessEnded')
    expect(classifyMinutesError(graphqlError('FORBIDDEN'))).toBe('accessEnded')
  })

  it('closes the minutes of a cancelled meeting', () => {
    expect(classifyMinutesError(graphqlError('CONFLICT', { reason: 'ILLEGAL_STATE' }))).toBe('closed')
  })

  it('tells a too long text from an edit the server cannot use', () => {
    expect(classifyMinutesError(graphqlError('BAD_USER_INPUT', { fields: [{ field: 'update', code: 'TOO_LONG', message: '' }] }))).toBe('tooLong')
    expect(classifyMinutesError(graphqlError('BAD_USER_INPUT', { fields: [{ field: 'update', code: 'INVALID', message: '' }] }))).toBe('refused')
  })

  it('retries when there was no answer or the server failed', () => {
    expect(classifyMinutesError(toAppError({ networkError: new TypeError('Failed to fetch') }))).toBe('retry')
    expect(classifyMinutesError(graphqlError('INTERNAL_SERVER_ERROR'))).toBe('retry')
    expect(classifyMinutesError(graphqlError('RATE_LIMITED'))).toBe('retry')
  })
})
