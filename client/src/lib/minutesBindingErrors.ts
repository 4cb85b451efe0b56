import type { AppError } from './appError'

/**
 * What a failed minutes call means for the editor: try again later (no answer, or the server
 * failed); access ended (outside the meeting's audience now, or signed out: blank the editor);
 * closed (the meeting was cancelled); too long / refused (the server will never take this change:
 * start again from the server's state and tell the person).
 */
export type MinutesFailure = 'retry' | 'accessEnded' | 'closed' | 'tooLong' | 'refused'

export function classifyMinutesError(error: AppError): MinutesFailure {
  switch (error.code) {
    case 'NOT_FOUND':
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
      return 'accessEnded'
    case 'CONFLICT':
      return 'closed'
    case 'BAD_USER_INPUT':
      return error.fields.some((field) => field.code === 'TOO_LONG') ? 'tooLong' : 'refused'
    default:
      return 'retry'
  }
}
