import { DomainError, FieldErrors } from '../errors/domain-errors.js';
import { fiscalYearOf } from '../proposals/proposal-reference.js';

/** The earliest fiscal year (年度) the figures and the lists' year filter accept. */
export const FIRST_FISCAL_YEAR = 2000;

/** A half-open period [start, end) of instants. */
export interface Period {
  start: Date;
  end: Date;
}

/** 00:00 in Tokyo of a calendar day (JST has no daylight saving: always UTC+9). */
function tokyoMidnight(year: number, month: number, day = 1): Date {
  return new Date(Date.UTC(year, month - 1, day) - 9 * 3_600_000);
}

/** 年度 n: 1 April n 00:00 JST up to 1 April n+1 00:00 JST. */
export function fiscalYearPeriod(fiscalYear: number): Period {
  return { start: tokyoMidnight(fiscalYear, 4), end: tokyoMidnight(fiscalYear + 1, 4) };
}

/** A calendar month 'YYYY-MM' in Tokyo. */
export function monthPeriod(month: string): Period {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return { start: tokyoMidnight(year, m), end: m === 12 ? tokyoMidnight(year + 1, 1) : tokyoMidnight(year, m + 1) };
}

/** The twelve months of a fiscal year, April first: 'YYYY-MM'. */
export function monthsOfFiscalYear(fiscalYear: number): string[] {
  return Array.from({ length: 12 }, (_, i) => {
    const m = ((3 + i) % 12) + 1;
    return `${m <= 3 ? fiscalYear + 1 : fiscalYear}-${String(m).padStart(2, '0')}`;
  });
}

/**
 * A fiscal year from 2000 to next year (a year about to start may be looked at ahead), else
 * BAD_USER_INPUT with the field code OUT_OF_RANGE.
 */
export function checkFiscalYear(fiscalYear: number, now: Date, field = 'fiscalYear'): number {
  const last = fiscalYearOf(now) + 1;
  if (!Number.isInteger(fiscalYear) || fiscalYear < FIRST_FISCAL_YEAR || fiscalYear > last) {
    const message = `Fiscal years from ${FIRST_FISCAL_YEAR} to ${last}`;
    // FieldErrorCode has no OUT_OF_RANGE; the error is built by hand with the same shape.
    throw new DomainError('BAD_USER_INPUT', `Invalid input: ${field} (OUT_OF_RANGE)`, { fields: [{ field, code: 'OUT_OF_RANGE', message }] });
  }
  return fiscalYear;
}

/** A month 'YYYY-MM' whose fiscal year is in range. */
export function checkMonth(month: string, now: Date, field = 'submittedMonth'): string {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) {
    new FieldErrors().add(field, 'INVALID', 'A month as YYYY-MM').throwIfAny();
    return month;
  }
  checkFiscalYear(fiscalYearOf(monthPeriod(month).start), now, field);
  return month;
}
