/**
 * 法人番号 (corporate number), checked before sending so a typo gets a precise message at once.
 * 13 digits; the first is a check digit over the other twelve (National Tax Agency):
 *   check = 9 − (Σ_{n=1..12} P_n × Q_n mod 9), P_n the n-th digit from the right, Q_n 1 (odd n) or 2 (even n).
 * The server checks the same and stays the authority.
 */

const SEPARATORS = /[\s\u002D\u2010-\u2015\u2212\uFF0D\u30FC\uFF70]/g

/** Full-width digits become ASCII; spaces and hyphens are dropped. */
export function normaliseCorporateNumber(raw: string): string {
  return raw.normalize('NFKC').replace(SEPARATORS, '')
}

export function corporateNumberCheckDigit(base: string): number {
  let sum = 0
  for (let n = 1; n <= 12; n += 1) sum += Number(base[12 - n]) * (n % 2 === 1 ? 1 : 2)
  return 9 - (sum % 9)
}

/** null when it looks right (or is empty: whether it is required is the server's call), else what is wrong. */
export function corporateNumberProblem(raw: string): 'NOT_13_DIGITS' | 'CHECK_DIGIT' | null {
  const v = normaliseCorporateNumber(raw)
  if (v === '') return null
  if (!/^\d{13}$/.test(v)) return 'NOT_13_DIGITS'
  return Number(v[0]) === corporateNumberCheckDigit(v.slice(1)) ? null : 'CHECK_DIGIT'
}
