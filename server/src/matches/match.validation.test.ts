import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { InputError } from '../errors/domain-errors.js';
import { cleanMatchReason, MATCH_LIMITS, validateMatchInput } from './match.validation.js';

function fieldsOf(run: () => unknown): Array<{ field: string; code: string }> {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.fields.map(({ field, code }) => ({ field, code }));
    throw error;
  }
  return [];
}

describe('validateMatchInput', () => {
  const a = randomUUID();
  const b = randomUUID();

  it('folds duplicates and case, keeps the lead', () => {
    expect(validateMatchInput([a, a.toUpperCase(), b], a)).toEqual({ sectionIds: [a, b], leadSectionId: a });
  });

  it('needs at least one section', () => {
    expect(fieldsOf(() => validateMatchInput([], a))).toEqual([{ field: 'sectionIds', code: 'REQUIRED' }]);
  });

  it('refuses too many sections at once', () => {
    const many = Array.from({ length: MATCH_LIMITS.sections + 1 }, () => randomUUID());
    expect(fieldsOf(() => validateMatchInput(many, many[0]!))).toEqual([{ field: 'sectionIds', code: 'TOO_LONG' }]);
  });

  it('a malformed section id is an unknown reference', () => {
    expect(fieldsOf(() => validateMatchInput([a, 'not-an-id'], a))).toEqual([{ field: 'sectionIds', code: 'UNKNOWN_REFERENCE' }]);
  });

  it('the lead is required and must be an id', () => {
    expect(fieldsOf(() => validateMatchInput([a], ' '))).toEqual([{ field: 'leadSectionId', code: 'REQUIRED' }]);
    expect(fieldsOf(() => validateMatchInput([a], 'x'))).toEqual([{ field: 'leadSectionId', code: 'INVALID' }]);
  });

  it('reports every problem at once', () => {
    expect(fieldsOf(() => validateMatchInput([], ''))).toEqual([
      { field: 'sectionIds', code: 'REQUIRED' },
      { field: 'leadSectionId', code: 'REQUIRED' },
    ]);
  });
});

describe('cleanMatchReason', () => {
  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['blank', ' \t\n'],
    ['ideographic space', '\u3000\u3000'],
  ])('%s → REQUIRED', (_label, value) => {
    expect(fieldsOf(() => cleanMatchReason(value))).toEqual([{ field: 'reason', code: 'REQUIRED' }]);
  });

  it('trims and bounds', () => {
    expect(cleanMatchReason('\u3000所管外のため ')).toBe('所管外のため');
    expect(cleanMatchReason('あ'.repeat(MATCH_LIMITS.reason))).toHaveLength(MATCH_LIMITS.reason);
    expect(fieldsOf(() => cleanMatchReason('あ'.repeat(MATCH_LIMITS.reason + 1)))).toEqual([{ field: 'reason', code: 'TOO_LONG' }]);
  });
});
