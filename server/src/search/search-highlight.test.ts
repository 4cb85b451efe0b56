import { describe, expect, it } from 'vitest';
import { highlight, SNIPPET_LENGTH } from './search-highlight.js';

const joined = (segments: Array<{ text: string }>) => segments.map((s) => s.text).join('');
const marked = (segments: Array<{ text: string; match: boolean }>) => segments.filter((s) => s.match).map((s) => s.text);

describe('highlight', () => {
  it('marks a two-character term inside a word', () => {
    const segments = highlight('公園での防災ワークショップ', ['防災']);
    expect(segments).toEqual([
      { text: '公園での', match: false },
      { text: '防災', match: true },
      { text: 'ワークショップ', match: false },
    ]);
  });

  it('marks the original characters for a normalised match (ＡＢＣ for abc, ｶﾞ for ガ)', () => {
    expect(marked(highlight('株式会社ＡＢＣの提案', ['abc']))).toEqual(['ＡＢＣ']);
    expect(marked(highlight('ｶﾞｲﾄﾞ作成', ['ガイド']))).toEqual(['ｶﾞｲﾄﾞ']);
  });

  it('marks every term and every occurrence, merging overlaps', () => {
    const segments = highlight('子育て支援と防災、子育て', ['子育', '防災', '育て']);
    expect(marked(segments)).toEqual(['子育て', '防災', '子育て']);
  });

  it('cuts a snippet of at most about the limit around the first match, with ellipses', () => {
    const text = `${'あ'.repeat(300)}防災${'い'.repeat(300)}`;
    const segments = highlight(text, ['防災']);
    expect(segments[0]).toEqual({ text: expect.stringMatching(/^…あ+$/), match: false });
    expect(marked(segments)).toEqual(['防災']);
    expect(segments.at(-1)!.text.endsWith('…')).toBe(true);
    expect([...joined(segments)].length).toBeLessThanOrEqual(SNIPPET_LENGTH + 2);
  });

  it('shows the start of the text when nothing matches, and nothing for an empty text', () => {
    expect(highlight('短い文', ['防災'])).toEqual([{ text: '短い文', match: false }]);
    expect(highlight('  ', ['防災'])).toEqual([]);
  });

  it('returns text, never markup: angle brackets stay as they are', () => {
    const segments = highlight('<script>alert(1)</script> 防災', ['防災']);
    expect(joined(segments)).toBe('<script>alert(1)</script> 防災');
  });

  it('treats wildcard characters literally', () => {
    expect(marked(highlight('割引率は100%です', ['100%']))).toEqual(['100%']);
    expect(marked(highlight('a_b と axb', ['a_b']))).toEqual(['a_b']);
  });

  it('flattens line breaks into spaces', () => {
    expect(joined(highlight('一行目\n\n二行目の防災', ['防災']))).toBe('一行目 二行目の防災');
  });
});
