import { describe, expect, it } from 'vitest';
import { escapeLike, parseSearchQuery, SearchInputError } from './search.validation.js';

function codeOf(raw: string): string | undefined {
  try {
    parseSearchQuery(raw);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(SearchInputError);
    const e = error as SearchInputError;
    expect(e.extensions.code).toBe('BAD_USER_INPUT');
    return (e.extensions.fields as Array<{ field: string; code: string }>)[0]!.code;
  }
}

describe('parseSearchQuery', () => {
  it('trims, applies NFKC and lower-cases each term', () => {
    expect(parseSearchQuery('  ＡＢＣ　防災  ').map((t) => t.text)).toEqual(['abc', '防災']);
    expect(parseSearchQuery('ｶﾞｲﾄﾞ').map((t) => t.text)).toEqual(['ガイド']);
  });

  it('accepts two-character terms and drops duplicates', () => {
    expect(parseSearchQuery('防災 子育 防災').map((t) => t.text)).toEqual(['防災', '子育']);
  });

  it('refuses a one-character term, an empty query, a long one and too many terms', () => {
    expect(codeOf('防')).toBe('TERM_TOO_SHORT');
    expect(codeOf('防災 a')).toBe('TERM_TOO_SHORT');
    expect(codeOf('   ')).toBe('REQUIRED');
    expect(codeOf('')).toBe('REQUIRED');
    expect(codeOf('あ'.repeat(101))).toBe('TOO_LONG');
    expect(codeOf('x'.repeat(500))).toBe('TOO_LONG');
    expect(codeOf('あ'.repeat(100))).toBeUndefined();
    expect(codeOf('aa bb cc dd ee ff')).toBe('TOO_MANY');
    expect(codeOf('aa bb cc dd ee')).toBeUndefined();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(codeOf('𠮷')).toBe('TERM_TOO_SHORT');
    expect(codeOf('𠮷野')).toBeUndefined();
  });

  it('escapes LIKE wildcards and the escape character so they are searched literally', () => {
    expect(parseSearchQuery('100% a_b c\\d').map((t) => t.likePattern)).toEqual(['100\\%', 'a\\_b', 'c\\\\d']);
    // A full-width percent sign becomes % under NFKC, and is escaped after that.
    expect(parseSearchQuery('５０％').map((t) => t.likePattern)).toEqual(['50\\%']);
    expect(escapeLike("'; drop table x;--")).toBe("'; drop table x;--");
  });
});
