import { describe, expect, it } from 'vitest';
import { businessDaysBetween, median } from './durations.js';
import { checkFiscalYear, fiscalYearPeriod, monthsOfFiscalYear } from './dashboard.validation.js';

const jst = (local: string) => new Date(`${local}+09:00`);

describe('business days between two moments (Tokyo)', () => {
  it('counts the days after the first, up to and including the last, skipping weekends, holidays and 12/29–1/3', () => {
    expect(businessDaysBetween(jst('2026-11-20T18:00:00'), jst('2026-11-20T19:00:00'))).toBe(0); // the same day
    expect(businessDaysBetween(jst('2026-11-20T18:00:00'), jst('2026-11-24T09:00:00'))).toBe(1); // Fri → Tue; Mon 23 is 勤労感謝の日
    expect(businessDaysBetween(jst('2026-12-25T10:00:00'), jst('2027-01-04T10:00:00'))).toBe(2); // Mon 28, Mon 4
    expect(businessDaysBetween(jst('2026-11-24T23:59:00'), jst('2026-11-25T00:00:00'))).toBe(1);
  });

  it('medians: the middle, or the mean of the middle two; none for no values', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 2, 10])).toBe(3);
  });
});

describe('fiscal years', () => {
  it('run from 1 April 00:00 to the next 1 April 00:00, Tokyo time', () => {
    expect(fiscalYearPeriod(2026)).toEqual({ start: new Date('2026-03-31T15:00:00Z'), end: new Date('2027-03-31T15:00:00Z') });
    expect(monthsOfFiscalYear(2026)[0]).toBe('2026-04');
    expect(monthsOfFiscalYear(2026)[11]).toBe('2027-03');
  });

  it('are accepted from 2000 to next year', () => {
    const now = jst('2027-03-31T23:59:59');
    expect(checkFiscalYear(2000, now)).toBe(2000);
    expect(checkFiscalYear(2027, now)).toBe(2027);
    expect(() => checkFiscalYear(2028, now)).toThrow(/OUT_OF_RANGE/);
    expect(() => checkFiscalYear(1999, now)).toThrow(/OUT_OF_RANGE/);
    expect(checkFiscalYear(2028, jst('2027-04-01T00:00:00'))).toBe(2028);
  });
});
