import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { DomainError, type FieldError, type FieldErrorCode } from './domain-errors.js';
import type { Logger } from '../logging/logger.js';

// Codes produced by graphql-js / Apollo themselves for a malformed request: safe to show.
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE']);

const CONSTRAINT_CODES: Record<string, FieldErrorCode> = {
  maxLength: 'TOO_LONG',
  arrayMaxSize: 'TOO_LONG',
  isNotEmpty: 'REQUIRED',
  minLength: 'REQUIRED',
};

function fieldErrorsOf(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix + error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      code: CONSTRAINT_CODES[constraint] ?? 'INVALID',
      message,
    }));
    return [...own, ...fieldErrorsOf(error.children ?? [], `${field}.`)];
  });
}

function unwrap(error: unknown): unknown {
  return error instanceof GraphQLError && error.originalError ? unwrap(error.originalError) : error;
}

/**
 * The one place errors are shaped for clients, on HTTP and websockets alike. Known errors keep
 * their code and message; anything unexpected is logged with the request id and masked, so no
 * stack, SQL or protected text ever reaches a client.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, requestId: string, logger: Logger): GraphQLFormattedError {
  const original = unwrap(error);
  const path = formatted.path;
  if (original instanceof DomainError) {
    return { message: original.message, path, extensions: { ...original.extensions } };
  }
  if (original instanceof ArgumentValidationError) {
    const fields = fieldErrorsOf(original.extensions.validationErrors as ValidationError[]);
    return {
      message: `Invalid input: ${fields.map((f) => `${f.field} (${f.code})`).join(', ')}`,
      path,
      extensions: { code: 'BAD_USER_INPUT', fields },
    };
  }
  const code = formatted.extensions?.code;
  // Produced by graphql-js/Apollo while parsing, validating or coercing the request itself.
  if (original instanceof GraphQLError && typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
    return { message: formatted.message, locations: formatted.locations, path, extensions: { code } };
  }
  logger.error({ err: original, requestId, path }, 'unexpected error');
  return { message: 'Internal server error', path, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } };
}

/**
 * Errors graphql-ws reports outside a result: the request failed validation, or the live stream
 * itself threw. The first kind is safe to show; the second goes through formatError like any other.
 */
export function formatOperationError(error: GraphQLError, requestId: string, logger: Logger): GraphQLFormattedError {
  const isRequestError = !error.originalError && !(error instanceof DomainError) && error.extensions?.code === undefined;
  if (isRequestError) return { message: error.message, locations: error.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
  return formatError(error.toJSON(), error, requestId, logger);
}
