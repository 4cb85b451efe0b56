import { describe, expect, it } from 'vitest';
import { InputError, type FieldError } from '../errors/domain-errors.js';
import { CHALLENGE_FIELDS } from './challenge-fields.js';
import type { ChallengeInput } from './challenge.input.js';
import { validateChallengeInput } from './challenge.validation.js';

const VALID: ChallengeInput = {
  title: '公園の見守り',
  description: '公園の安全を地域と見守る仕組みが欲しい',
  background: '',
  owningSectionId: null,
  fieldCodes: ['disaster-crime-prevention'],
  periodStart: '2026-12-01',
  periodEnd: '2027-03-31',
  contact: '03-0000-0000',
};

const input = (overrides: Partial<ChallengeInput>): ChallengeInput => ({ ...VALID, ...overrides });

/** The field errors an input is refused with, as [field, code] pairs in order; [] when accepted. */
function problems(value: ChallengeInput): [string, string][] {
  try {
    validateChallengeInput(value);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).fields.map((f) => [f.field, f.code]);
  }
}

describe('a valid input', () => {
  it('is returned cleaned', () => {
    expect(validateChallengeInput(input({ owningSectionId: 'abc' }))).toEqual({
      title: '公園の見守り',
      description: '公園の安全を地域と見守る仕組みが欲しい',
      background: '',
      owningSectionId: 'abc',
      fieldCodes: ['disaster-crime-prevention'],
      periodStart: '2026-12-01',
      periodEnd: '2027-03-31',
      contact: '03-0000-0000',
    });
  });

  it('treats empty optional values as absent', () => {
    const clean = validateChallengeInput(input({ owningSectionId: '', periodStart: '', periodEnd: null, fieldCodes: [] }));
    expect(clean).toMatchObject({ owningSectionId: null, periodStart: null, periodEnd: null, fieldCodes: [] });
  });
});

describe('required fields', () => {
  it.each(['title', 'description', 'contact'] as const)('%s: empty, whitespace-only or ideographic-space-only is REQUIRED', (field) => {
    for (const blank of ['', '   ', '\n\t', '\u3000']) {
      expect(problems(input({ [field]: blank })), JSON.stringify(blank)).toEqual([[field, 'REQUIRED']]);
    }
  });

  it('background is optional', () => {
    expect(problems(input({ background: '' }))).toEqual([]);
    expect(problems(input({ background: '   ' }))).toEqual([]);
  });
});

describe('length limits, counted after trimming', () => {
  // prettier-ignore
  const LIMITS: ['title' | 'description' | 'background' | 'contact', number][] = [
    ['title', 200], ['description', 10_000], ['background', 10_000], ['contact', 500],
  ];

  it.each(LIMITS)('%s: exactly %i characters is accepted, one more is TOO_LONG (ASCII and Japanese)', (field, limit) => {
    for (const char of ['a', 'あ', '課']) {
      expect(problems(input({ [field]: char.repeat(limit) })), `${char} × ${limit}`).toEqual([]);
      expect(problems(input({ [field]: char.repeat(limit + 1) })), `${char} × ${limit + 1}`).toEqual([[field, 'TOO_LONG']]);
    }
  });

  it.each(LIMITS)('%s: surrounding whitespace does not count toward the limit and is removed', (field, limit) => {
    const value = 'あ'.repeat(limit);
    const clean = validateChallengeInput(input({ [field]: `  \u3000${value}\n ` }));
    expect(clean[field]).toBe(value);
  });

  it('the error says what the limit is', () => {
    try {
      validateChallengeInput(input({ title: 'x'.repeat(201) }));
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).fields[0]!.message).toContain('200');
    }
  });

  // Pins current behaviour: the limit is in UTF-16 code units (as the browser's maxlength counts),
  // so a kanji outside the BMP such as 𠮷 counts as two. See the report.
  it('a surrogate-pair kanji (𠮷) counts as two units', () => {
    expect(problems(input({ title: '𠮷'.repeat(100) }))).toEqual([]);
    expect(problems(input({ title: '𠮷'.repeat(100) + 'a' }))).toEqual([['title', 'TOO_LONG']]);
  });
});

describe('field codes', () => {
  it('accepts every code in the catalogue at once', () => {
    const codes = CHALLENGE_FIELDS.map((f) => f.code);
    expect(validateChallengeInput(input({ fieldCodes: codes })).fieldCodes).toEqual(codes);
  });

  it('collapses duplicates, keeping first-seen order, before counting', () => {
    const codes = CHALLENGE_FIELDS.map((f) => f.code);
    const clean = validateChallengeInput(input({ fieldCodes: [...codes, ...[...codes].reverse()] }));
    expect(clean.fieldCodes).toEqual(codes);
    expect(validateChallengeInput(input({ fieldCodes: ['elderly-welfare', 'picture-books', 'elderly-welfare'] })).fieldCodes).toEqual([
      'elderly-welfare',
      'picture-books',
    ]);
  });

  it.each([['no-such-field'], ['Picture-Books'], [' picture-books'], ['']])('unknown code %j is UNKNOWN_REFERENCE', (code) => {
    expect(problems(input({ fieldCodes: ['picture-books', code] }))).toEqual([['fieldCodes', 'UNKNOWN_REFERENCE']]);
  });

  it('more than 9 distinct codes is TOO_LONG', () => {
    const codes = [...CHALLENGE_FIELDS.map((f) => f.code), 'a-tenth'];
    expect(problems(input({ fieldCodes: codes }))).toEqual([['fieldCodes', 'TOO_LONG']]);
  });
});

describe('period dates', () => {
  it.each(['2027-02-30', '2027-13-01', '20270101', '2027-1-1', '2027-02-29', '2027-00-10', '2027-01-00', '2027-01-32', '2027/01/01', '2027-01-01T00:00', ' 2027-01-01', '２０２７-０１-０１', 'tomorrow'])(
    '%j is INVALID in either position',
    (bad) => {
      expect(problems(input({ periodStart: bad, periodEnd: null }))).toEqual([['periodStart', 'INVALID']]);
      expect(problems(input({ periodStart: null, periodEnd: bad }))).toEqual([['periodEnd', 'INVALID']]);
    },
  );

  it.each(['2028-02-29', '2027-12-31', '2027-01-01', '2000-02-29'])('%j is a valid date', (good) => {
    expect(problems(input({ periodStart: good, periodEnd: null }))).toEqual([]);
  });

  it('start after end is OUT_OF_ORDER on periodEnd', () => {
    expect(problems(input({ periodStart: '2027-03-01', periodEnd: '2027-02-28' }))).toEqual([['periodEnd', 'OUT_OF_ORDER']]);
    expect(problems(input({ periodStart: '2028-01-01', periodEnd: '2027-12-31' }))).toEqual([['periodEnd', 'OUT_OF_ORDER']]);
  });

  it('the same day for start and end is allowed, as is only one end given', () => {
    expect(problems(input({ periodStart: '2027-03-01', periodEnd: '2027-03-01' }))).toEqual([]);
    expect(problems(input({ periodStart: '2027-03-01', periodEnd: null }))).toEqual([]);
    expect(problems(input({ periodStart: null, periodEnd: '2027-03-01' }))).toEqual([]);
  });

  it('an invalid date is not also reported as out of order', () => {
    expect(problems(input({ periodStart: '2027-13-01', periodEnd: '2027-01-01' }))).toEqual([['periodStart', 'INVALID']]);
  });
});

describe('several problems at once', () => {
  it('are all reported in one InputError', () => {
    let thrown: unknown;
    try {
      validateChallengeInput({
        title: '  ',
        description: '説'.repeat(10_001),
        background: 'b'.repeat(10_001),
        owningSectionId: null,
        fieldCodes: ['picture-books', 'bogus'],
        periodStart: '2027-02-30',
        periodEnd: '2027-1-1',
        contact: '',
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    const error = thrown as InputError;
    const pairs = error.fields.map((f: FieldError) => [f.field, f.code]);
    expect(pairs).toEqual([
      ['title', 'REQUIRED'],
      ['description', 'TOO_LONG'],
      ['background', 'TOO_LONG'],
      ['contact', 'REQUIRED'],
      ['fieldCodes', 'UNKNOWN_REFERENCE'],
      ['periodStart', 'INVALID'],
      ['periodEnd', 'INVALID'],
    ]);
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.extensions.fields).toEqual(error.fields);
    for (const [field, code] of pairs) expect(error.message).toContain(`${field} (${code})`);
  });

  it('out-of-order dates are reported alongside other problems', () => {
    expect(problems(input({ title: '', periodStart: '2027-04-01', periodEnd: '2027-03-31' }))).toEqual([
      ['title', 'REQUIRED'],
      ['periodEnd', 'OUT_OF_ORDER'],
    ]);
  });
});
