import { Writable } from 'node:stream';
import { GraphQLError, locatedError, type GraphQLFormattedError } from 'graphql';
import { pino } from 'pino';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, InputError, NotFoundError, RateLimitedError, UnauthenticatedError } from './domain-errors.js';
import { formatError } from './format-error.js';
import type { Logger } from '../logging/logger.js';

/** A real pino logger writing JSON lines into memory. */
let lines: Record<string, unknown>[];
let logger: Logger;
beforeEach(() => {
  lines = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  logger = pino({ level: 'info' }, stream);
});

const REQUEST_ID = 'req-7f3a9c';
const PATH = ['challenge'];

/** What graphql-js hands to formatError when a resolver at PATH throws `thrown`. */
function fromResolver(thrown: unknown): { formatted: GraphQLFormattedError; error: GraphQLError } {
  const error = locatedError(thrown, undefined, PATH);
  return { formatted: error.toJSON(), error };
}

describe('errors the caller is meant to see keep their code and message', () => {
  it.each([
    [new NotFoundError('Challenge'), 'NOT_FOUND', 'Challenge not found'],
    [new ForbiddenError(), 'FORBIDDEN', 'Not allowed'],
    [new UnauthenticatedError(), 'UNAUTHENTICATED', 'Sign-in required'],
    [new RateLimitedError(), 'RATE_LIMITED', 'Too many attempts; try again later'],
    [new ConflictError('STALE_VERSION', 'Version mismatch', { currentVersion: 3 }), 'CONFLICT', 'Version mismatch'],
  ])('%s', (domainError, code, message) => {
    const { formatted, error } = fromResolver(domainError);
    const result = formatError(formatted, error, REQUEST_ID, logger);
    expect(result.message).toBe(message);
    expect(result.extensions?.code).toBe(code);
    expect(result.path).toEqual(PATH);
    expect(result.extensions).not.toHaveProperty('requestId');
    expect(lines).toHaveLength(0);
  });

  it('extra extensions (such as the current version) are kept', () => {
    const { formatted, error } = fromResolver(new ConflictError('STALE_VERSION', 'Version mismatch', { currentVersion: 3 }));
    expect(formatError(formatted, error, REQUEST_ID, logger).extensions).toEqual({ code: 'CONFLICT', reason: 'STALE_VERSION', currentVersion: 3 });
  });

  it('an InputError keeps every field error', () => {
    const fields = [
      { field: 'title', code: 'REQUIRED' as const, message: 'title is required' },
      { field: 'periodEnd', code: 'OUT_OF_ORDER' as const, message: 'periodEnd must not be before periodStart' },
    ];
    const { formatted, error } = fromResolver(new InputError(fields));
    expect(formatError(formatted, error, REQUEST_ID, logger)).toEqual({
      message: 'Invalid input: title (REQUIRED), periodEnd (OUT_OF_ORDER)',
      path: PATH,
      extensions: { code: 'BAD_USER_INPUT', fields },
    });
  });

  it('is found however deeply graphql wrapped it', () => {
    const inner = new GraphQLError('wrapper', { originalError: new NotFoundError('Section') });
    const outer = locatedError(inner, undefined, PATH);
    const result = formatError(outer.toJSON(), outer, REQUEST_ID, logger);
    expect(result).toMatchObject({ message: 'Section not found', extensions: { code: 'NOT_FOUND' } });
  });
});

describe('argument validation (class-validator) becomes BAD_USER_INPUT with field codes', () => {
  it('maps constraints and nested properties', () => {
    const validationErrors = [
      { property: 'title', constraints: { maxLength: 'title must be shorter than or equal to 200 characters' }, children: [] },
      {
        property: 'input',
        constraints: {},
        children: [{ property: 'contact', constraints: { isNotEmpty: 'contact should not be empty', isEmail: 'contact must be an email' }, children: [] }],
      },
    ] as unknown as ValidationError[];
    const { formatted, error } = fromResolver(new ArgumentValidationError(validationErrors));
    expect(formatError(formatted, error, REQUEST_ID, logger)).toEqual({
      message: 'Invalid input: title (TOO_LONG), input.contact (REQUIRED), input.contact (INVALID)',
      path: PATH,
      extensions: {
        code: 'BAD_USER_INPUT',
        fields: [
          { field: 'title', code: 'TOO_LONG', message: 'title must be shorter than or equal to 200 characters' },
          { field: 'input.contact', code: 'REQUIRED', message: 'contact should not be empty' },
          { field: 'input.contact', code: 'INVALID', message: 'contact must be an email' },
        ],
      },
    });
    expect(lines).toHaveLength(0);
  });
});

describe('errors about the request itself (parse, validation) are shown as they are', () => {
  it('GRAPHQL_VALIDATION_FAILED keeps message and locations', () => {
    const error = new GraphQLError('Cannot query field "secret" on type "Query".', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const formatted: GraphQLFormattedError = { ...error.toJSON(), locations: [{ line: 1, column: 3 }] };
    expect(formatError(formatted, error, REQUEST_ID, logger)).toEqual({
      message: 'Cannot query field "secret" on type "Query".',
      locations: [{ line: 1, column: 3 }],
      path: undefined,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(lines).toHaveLength(0);
  });
});

describe('anything unexpected is masked and logged', () => {
  const SQL = 'select * from secret_table where token = $1';

  function unexpected(): Error {
    const error = new Error(`insert failed: ${SQL}`);
    error.stack = `Error: insert failed: ${SQL}\n    at ChallengeService.create (/srv/renkei/server/src/challenges/challenge.service.ts:42:11)`;
    return error;
  }

  it('the client sees only a generic message, the code and the request id', () => {
    const { formatted: plain, error } = fromResolver(unexpected());
    // As Apollo would add it in development: must not pass through either.
    const formatted: GraphQLFormattedError = { ...plain, extensions: { ...plain.extensions, stacktrace: (error.originalError!.stack ?? '').split('\n') } };
    const result = formatError(formatted, error, REQUEST_ID, logger);

    expect(result).toEqual({ message: 'Internal server error', path: PATH, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: REQUEST_ID } });
    const shown = JSON.stringify(result);
    for (const secret of ['secret_table', 'select', 'insert failed', 'challenge.service.ts', '/srv/renkei', 'stacktrace']) {
      expect(shown).not.toContain(secret);
    }
  });

  it('the log gets one error line with the same request id, the path and the real error', () => {
    const { formatted, error } = fromResolver(unexpected());
    formatError(formatted, error, REQUEST_ID, logger);

    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({ level: 50, msg: 'unexpected error', requestId: REQUEST_ID, path: PATH });
    const err = line!['err'] as { message: string; stack: string; type: string };
    expect(err.message).toContain('secret_table');
    expect(err.stack).toContain('challenge.service.ts:42');
    expect(err.type).toBe('Error');
  });

  it.each([
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'secret_table')")],
    ['a thrown string', 'secret_table exploded'],
    ['a thrown object', { sql: 'select * from secret_table' }],
    ['a GraphQLError made by a library with an unlisted code', new GraphQLError('secret_table: connection refused', { extensions: { code: 'ECONNREFUSED' } })],
    ['a GraphQLError without a code', new GraphQLError('relation "secret_table" does not exist')],
    [
      'a request-looking GraphQLError hiding an unexpected cause',
      new GraphQLError('Variable "$id" got invalid value', { extensions: { code: 'BAD_USER_INPUT' }, originalError: new Error('secret_table lookup failed') }),
    ],
  ])('%s is masked too', (_label, thrown) => {
    const { formatted, error } = fromResolver(thrown);
    const result = formatError(formatted, error, REQUEST_ID, logger);
    expect(result).toEqual({ message: 'Internal server error', path: PATH, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: REQUEST_ID } });
    expect(JSON.stringify(result)).not.toContain('secret_table');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, requestId: REQUEST_ID });
  });

  it('each request id reaches both the client and its own log line', () => {
    for (const requestId of ['req-a', 'req-b']) {
      const { formatted, error } = fromResolver(unexpected());
      expect(formatError(formatted, error, requestId, logger).extensions?.requestId).toBe(requestId);
    }
    expect(lines.map((l) => l['requestId'])).toEqual(['req-a', 'req-b']);
  });
});
