import { describe, expect, it } from 'vitest';
import { contentDisposition, parseFileNameHeader } from './attachment.validation.js';

describe('parseFileNameHeader', () => {
  it.each([
    [encodeURIComponent('提案書.pdf'), '提案書.pdf'],
    [encodeURIComponent('C:\\fakepath\\資料.xlsx'), '資料.xlsx'],
    [encodeURIComponent('dir/sub/a.png'), 'a.png'],
    [encodeURIComponent('  spaced.pdf  '), 'spaced.pdf'],
    // macOS sends decomposed kana (か + ゛); it is kept composed.
    [encodeURIComponent('か\u3099いと.pdf'), 'がいと.pdf'],
    ['plain.pdf', 'plain.pdf'],
  ])('%s → %s', (header, expected) => {
    expect(parseFileNameHeader(header)).toEqual({ ok: true, fileName: expected });
  });

  it.each([
    [undefined, 'INVALID'],
    [['a.pdf', 'b.pdf'], 'INVALID'],
    ['', 'INVALID'],
    ['%E3%81', 'INVALID'],
    ['%', 'INVALID'],
    [encodeURIComponent('..'), 'INVALID'],
    [encodeURIComponent('a/'), 'INVALID'],
    [encodeURIComponent('tab\there.pdf'), 'INVALID'],
    [encodeURIComponent('exe\u202Efdp.pdf'), 'INVALID'],
    [encodeURIComponent(`${'x'.repeat(197)}.pdf`), 'TOO_LONG'],
  ] as const)('%j → %s', (header, code) => {
    expect(parseFileNameHeader(header as string | string[] | undefined)).toMatchObject({ ok: false, code });
  });

  it('200 characters are allowed, counted as characters not bytes', () => {
    expect(parseFileNameHeader(encodeURIComponent(`${'あ'.repeat(196)}.pdf`)).ok).toBe(true);
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(contentDisposition('提案書(案).pdf')).toBe(`attachment; filename="___(_).pdf"; filename*=UTF-8''%E6%8F%90%E6%A1%88%E6%9B%B8%28%E6%A1%88%29.pdf`);
  });

  it('quotes, backslashes and header separators cannot break out of the header', () => {
    const header = contentDisposition('a";b\\c%d\r\n.pdf');
    expect(header.startsWith('attachment; filename="a__b_c_d__.pdf"; ')).toBe(true);
    expect(header).not.toMatch(/[\r\n]/);
  });
});
