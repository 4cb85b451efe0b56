import { describe, expect, it } from 'vitest';
import { ProtectedItemKind, ProtectionState } from './protection-request.entity.js';
import { csvCell, formatJst, guardFormula } from '../shared/csv.js';
import { registerCsv, REGISTER_CSV_HEADER, type RegisterCsvEntry } from './protection.csv.js';

const ENTRY: RegisterCsvEntry = {
  itemKind: ProtectedItemKind.FIELD,
  fieldName: 'content',
  attachmentFileName: null,
  messagePostedAt: null,
  messageAuthorName: null,
  reason: '法人の競争上の地位',
  requestedByName: '提案 太郎',
  requestedAt: new Date('2026-11-24T01:05:00Z'),
  state: ProtectionState.AGREED,
  decidedByName: 'デスク 花子',
  decidedAt: new Date('2026-11-24T15:30:00Z'),
  decisionReason: '公にすると法人の正当な利益を害するおそれ',
};

describe('CSV cells', () => {
  it('quote commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('彼は"秘密"と言った')).toBe('"彼は""秘密""と言った"');
    expect(csvCell('一行目\n二行目')).toBe('"一行目\n二行目"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
  });

  it('make formulas inert: = + - @ (and a leading tab or CR) get an apostrophe', () => {
    for (const value of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(guardFormula(value), JSON.stringify(value)).toBe(`'${value}`);
    for (const value of ['1=1', 'a@b', '理由', '']) expect(guardFormula(value)).toBe(value);
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
  });

  it('write dates in Japan time', () => {
    expect(formatJst(new Date('2026-11-24T15:05:00Z'))).toBe('2026-11-25 00:05');
    expect(formatJst(null)).toBe('');
  });
});

describe('the register CSV', () => {
  it('starts with a BOM and the header, one CRLF line per entry, items named in Japanese', () => {
    const csv = registerCsv([
      ENTRY,
      { ...ENTRY, itemKind: ProtectedItemKind.ATTACHMENT, fieldName: null, attachmentFileName: '=事業計画,最終.pdf', state: ProtectionState.REQUESTED, decidedByName: null, decidedAt: null, decisionReason: null },
      { ...ENTRY, itemKind: ProtectedItemKind.MESSAGE, fieldName: null, messagePostedAt: new Date('2026-11-20T00:00:00Z'), messageAuthorName: '提案 次郎', state: ProtectionState.DECLINED },
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(REGISTER_CSV_HEADER.join(','));
    expect(lines[1]).toBe('提案の項目,提案内容,法人の競争上の地位,提案 太郎,2026-11-24 10:05,保護に同意,デスク 花子,2026-11-25 00:30,公にすると法人の正当な利益を害するおそれ');
    expect(lines[2]).toBe(`添付ファイル,"'=事業計画,最終.pdf",法人の競争上の地位,提案 太郎,2026-11-24 10:05,申請中（決定まで保護）,,,`);
    expect(lines[3]).toBe('メッセージ,2026-11-20 09:00 投稿（提案 次郎）,法人の競争上の地位,提案 太郎,2026-11-24 10:05,保護しない,デスク 花子,2026-11-25 00:30,公にすると法人の正当な利益を害するおそれ');
    expect(lines[4]).toBe('');
  });
});
