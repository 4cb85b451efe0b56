import { FieldErrors } from '../errors/domain-errors.js';
import { challengeFieldByCode } from './challenge-fields.js';
import type { ChallengeInput } from './challenge.input.js';

export const CHALLENGE_LIMITS = { title: 200, description: 10_000, background: 10_000, contact: 500, fields: 9 } as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

export interface CleanChallengeInput {
  title: string;
  description: string;
  background: string;
  owningSectionId: string | null;
  fieldCodes: string[];
  periodStart: string | null;
  periodEnd: string | null;
  contact: string;
}

/** Pure: every problem with the input at once, or the cleaned input. */
export function validateChallengeInput(input: ChallengeInput): CleanChallengeInput {
  const errors = new FieldErrors();
  const text = (field: 'title' | 'description' | 'background' | 'contact', required: boolean): string => {
    const value = (input[field] ?? '').trim();
    if (required && value === '') errors.add(field, 'REQUIRED', `${field} is required`);
    else if (value.length > CHALLENGE_LIMITS[field]) errors.add(field, 'TOO_LONG', `${field} must be at most ${CHALLENGE_LIMITS[field]} characters`);
    return value;
  };
  const clean: CleanChallengeInput = {
    title: text('title', true),
    description: text('description', true),
    background: text('background', false),
    contact: text('contact', true),
    owningSectionId: input.owningSectionId ? input.owningSectionId : null,
    fieldCodes: [...new Set(input.fieldCodes ?? [])],
    periodStart: input.periodStart ? input.periodStart : null,
    periodEnd: input.periodEnd ? input.periodEnd : null,
  };
  if (clean.fieldCodes.length > CHALLENGE_LIMITS.fields) errors.add('fieldCodes', 'TOO_LONG', `At most ${CHALLENGE_LIMITS.fields} fields`);
  else if (clean.fieldCodes.some((code) => !challengeFieldByCode(code))) errors.add('fieldCodes', 'UNKNOWN_REFERENCE', 'Unknown field code');
  const startValid = clean.periodStart === null || validDate(clean.periodStart);
  const endValid = clean.periodEnd === null || validDate(clean.periodEnd);
  if (!startValid) errors.add('periodStart', 'INVALID', 'periodStart must be a date YYYY-MM-DD');
  if (!endValid) errors.add('periodEnd', 'INVALID', 'periodEnd must be a date YYYY-MM-DD');
  if (startValid && endValid && clean.periodStart && clean.periodEnd && clean.periodEnd < clean.periodStart) {
    errors.add('periodEnd', 'OUT_OF_ORDER', 'periodEnd must not be before periodStart');
  }
  errors.throwIfAny();
  return clean;
}
