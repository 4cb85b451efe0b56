import { GraphQLError } from 'graphql';

/** The codes a client can rely on in `extensions.code`. */
export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED';

/** Why one input field was refused; `code` is what the client translates. */
export type FieldErrorCode = 'REQUIRED' | 'TOO_LONG' | 'TOO_MANY' | 'INVALID' | 'UNKNOWN_REFERENCE' | 'OUT_OF_ORDER' | 'NOT_ACCEPTED';
export interface FieldError {
  field: string;
  code: FieldErrorCode;
  message: string;
}

/** An error the caller is meant to see, with its code. Anything else is masked. */
export class DomainError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export class InputError extends DomainError {
  constructor(public readonly fields: FieldError[]) {
    super('BAD_USER_INPUT', `Invalid input: ${fields.map((f) => `${f.field} (${f.code})`).join(', ')}`, { fields });
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Sign-in required') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'Not allowed') {
    super('FORBIDDEN', message);
  }
}

/** Also the answer for what exists but the viewer may not see: the two must look the same. */
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

/**
 * Why a change conflicts: someone changed the thing since the caller loaded it (STALE_VERSION),
 * or its state does not allow the change (ILLEGAL_STATE). The client words them differently.
 */
export type ConflictReason = 'STALE_VERSION' | 'ILLEGAL_STATE' | 'DUPLICATE';

export class ConflictError extends DomainError {
  constructor(reason: ConflictReason, message: string, extra: Record<string, unknown> = {}) {
    super('CONFLICT', message, { reason, ...extra });
  }
}

export class RateLimitedError extends DomainError {
  constructor(message = 'Too many attempts; try again later', extra: { retryAfterSeconds?: number } = {}) {
    super('RATE_LIMITED', message, extra);
  }
}

/** Collects field errors so one response lists every problem, then throws once. */
export class FieldErrors {
  private readonly errors: FieldError[] = [];
  add(field: string, code: FieldErrorCode, message: string): this {
    this.errors.push({ field, code, message });
    return this;
  }
  get any(): boolean {
    return this.errors.length > 0;
  }
  throwIfAny(): void {
    if (this.errors.length > 0) throw new InputError([...this.errors]);
  }
}
