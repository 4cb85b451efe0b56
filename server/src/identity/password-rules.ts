import type { FieldErrors } from '../errors/domain-errors.js';

/** A chosen password's length, the same at registration, on an invitation and at a change. */
export const PASSWORD_LIMITS = { min: 10, max: 1024 } as const;

/** Adds `field`'s problem with a new password to `errors`, if it has one. */
export function checkNewPassword(errors: FieldErrors, field: string, password: string): void {
  if (password === '') errors.add(field, 'REQUIRED', 'Choose a password');
  else if (password.length < PASSWORD_LIMITS.min) errors.add(field, 'INVALID', `A password needs at least ${PASSWORD_LIMITS.min} characters`);
  else if (password.length > PASSWORD_LIMITS.max) errors.add(field, 'TOO_LONG', `A password may have at most ${PASSWORD_LIMITS.max} characters`);
}
