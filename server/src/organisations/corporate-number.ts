/**
 * 法人番号 (corporate number), pure. 13 digits; the first is a check digit over the other twelve:
 *   check = 9 − (Σ_{n=1..12} P_n × Q_n mod 9)
 * where P_n is the n-th digit of the 12-digit base counted from the right, and Q_n is 1 for odd n
 * and 2 for even n (National Tax Agency, 法人番号の指定等に関する省令 第二条).
 */

/** Spaces and the hyphen-like characters people type between groups of digits. */
const SEPARATORS = /[\s\u002D\u2010-\u2015\u2212\uFF0D\u30FC\uFF70]/g;

/** Full-width digits become ASCII; spaces and hyphens are dropped. Anything else is kept (and refused later). */
export function normaliseCorporateNumber(raw: string): string {
  return raw.normalize('NFKC').replace(SEPARATORS, '');
}

/** The check digit for a 12-digit base. */
export function corporateNumberCheckDigit(base: string): number {
  if (!/^\d{12}$/.test(base)) throw new Error('The base of a 法人番号 is 12 digits');
  let sum = 0;
  for (let n = 1; n <= 12; n += 1) {
    const digit = Number(base[12 - n]);
    sum += digit * (n % 2 === 1 ? 1 : 2);
  }
  return 9 - (sum % 9);
}

/** Whether an already normalised value is 13 digits with the right check digit. */
export function isValidCorporateNumber(normalised: string): boolean {
  if (!/^\d{13}$/.test(normalised)) return false;
  return Number(normalised[0]) === corporateNumberCheckDigit(normalised.slice(1));
}

export type CorporateNumberCheck = { ok: true; value: string } | { ok: false; problem: 'NOT_13_DIGITS' | 'CHECK_DIGIT' };

/** Normalises and checks, saying why it is wrong. */
export function checkCorporateNumber(raw: string): CorporateNumberCheck {
  const value = normaliseCorporateNumber(raw);
  if (!/^\d{13}$/.test(value)) return { ok: false, problem: 'NOT_13_DIGITS' };
  if (!isValidCorporateNumber(value)) return { ok: false, problem: 'CHECK_DIGIT' };
  return { ok: true, value };
}
