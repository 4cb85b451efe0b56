import { describe, expect, it } from 'vitest';
import { checkCorporateNumber, corporateNumberCheckDigit, isValidCorporateNumber, normaliseCorporateNumber } from './corporate-number.js';

/** The formula written out again, independently, from the ministerial ordinance's wording. */
function referenceCheckDigit(base: string): number {
  const digitsFromRight = [...base].reverse().map(Number);
  const weighted = digitsFromRight.reduce((sum, digit, index) => sum + digit * ((index + 1) % 2 === 1 ? 1 : 2), 0);
  return 9 - (weighted % 9);
}

/** A deterministic spread of 12-digit bases (no Math.random: a failure must be reproducible). */
function bases(count: number): string[] {
  const out: string[] = ['000000000000', '999999999999', '123456789012', '000012050002'];
  let x = 123456789;
  while (out.length < count) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const y = (x * 2654435761) % 10 ** 12;
    out.push(String(y).padStart(12, '0'));
  }
  return out;
}

describe('法人番号 check digit', () => {
  it('accepts the National Tax Agency’s own number and other published ones', () => {
    expect(isValidCorporateNumber('7000012050002')).toBe(true); // 国税庁
    expect(corporateNumberCheckDigit('000012050002')).toBe(7);
    expect(isValidCorporateNumber('8000012010038')).toBe(true); // 総務省 (computed by hand: 8)
  });

  it('agrees with an independent rendering of the formula on 500 bases, and the check digit is 1–9', () => {
    for (const base of bases(500)) {
      const check = corporateNumberCheckDigit(base);
      expect(check).toBe(referenceCheckDigit(base));
      expect(check).toBeGreaterThanOrEqual(1);
      expect(check).toBeLessThanOrEqual(9);
      expect(isValidCorporateNumber(`${check}${base}`)).toBe(true);
    }
  });

  it('refuses every single-digit change of a valid number, at every position', () => {
    for (const base of bases(60)) {
      const valid = `${corporateNumberCheckDigit(base)}${base}`;
      for (let position = 0; position < 13; position += 1) {
        for (let digit = 0; digit <= 9; digit += 1) {
          if (String(digit) === valid[position]) continue;
          const changed = `${valid.slice(0, position)}${digit}${valid.slice(position + 1)}`;
          // A change by ±9 in an odd position keeps the sum mod 9 (0↔9): the ordinance's scheme cannot see it.
          const weight = (12 - position) % 2 === 1 ? 1 : 2;
          const undetectable = position > 0 && (Math.abs(digit - Number(valid[position])) * weight) % 9 === 0;
          expect([changed, isValidCorporateNumber(changed)]).toEqual([changed, undetectable]);
        }
      }
    }
  });

  it('refuses a wrong check digit with its own reason', () => {
    expect(checkCorporateNumber('1000012050002')).toEqual({ ok: false, problem: 'CHECK_DIGIT' });
    expect(checkCorporateNumber('7000012050003')).toEqual({ ok: false, problem: 'CHECK_DIGIT' });
  });

  it('normalises full-width digits, spaces and hyphens before checking', () => {
    for (const typed of ['７０００ー０１２０５ー０００２', '7-0000-1205-0002', '7 0000 1205 0002', ' 7000012050002 ', '７０００－０１２０－５０００２', '7‐0000‐1205‐0002']) {
      expect([typed, checkCorporateNumber(typed)]).toEqual([typed, { ok: true, value: '7000012050002' }]);
    }
    expect(normaliseCorporateNumber('７０００')).toBe('7000');
  });

  it('refuses anything that is not 13 digits', () => {
    for (const typed of ['', '700001205000', '70000120500021', '7000012O50002', 'abcdefghijklm', '7000012050002x', '+7000012050002', '7.000012050002']) {
      expect([typed, checkCorporateNumber(typed)]).toEqual([typed, { ok: false, problem: 'NOT_13_DIGITS' }]);
    }
  });
});
