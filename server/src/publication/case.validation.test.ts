import { describe, expect, it } from 'vitest';
import type { InputError } from '../errors/domain-errors.js';
import { cleanWithdrawReason, CaseFieldErrors, publishingRefusals, validateCaseComposition, type CaseCompositionShape } from './case.validation.js';

const GOOD: CaseCompositionShape = {
  title: '  避難所の電源確保  ',
  summary: '区立施設に太陽光発電と蓄電池を設置した。',
  blocks: [
    { kind: 'PROPOSAL_FIELD', field: 'wardIssue' },
    { kind: 'REPORT_PART', part: 'activities' },
    { kind: 'REPORT_PHOTO', attachmentId: '7d4f8f3e-2a59-4b2f-9d8c-1c2b3a4d5e6f' },
  ],
  fieldCodes: ['disaster-crime-prevention', 'disaster-crime-prevention', 'environmental-education'],
  fiscalYear: 2027,
};

function codes(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    return ((error as InputError).extensions.fields as Array<{ field: string; code: string }>).map((f) => `${f.field}:${f.code}`).sort();
  }
  return [];
}

describe('validateCaseComposition', () => {
  it('trims, keeps the order of the items, deduplicates field codes', () => {
    const clean = validateCaseComposition(GOOD);
    expect(clean.title).toBe('避難所の電源確保');
    expect(clean.blocks).toEqual([
      { kind: 'PROPOSAL_FIELD', field: 'wardIssue' },
      { kind: 'REPORT_PART', part: 'activities' },
      { kind: 'REPORT_PHOTO', attachmentId: '7d4f8f3e-2a59-4b2f-9d8c-1c2b3a4d5e6f' },
    ]);
    expect(clean.fieldCodes).toEqual(['disaster-crime-prevention', 'environmental-education']);
  });

  it('a draft may have no summary and no items yet', () => {
    expect(validateCaseComposition({ ...GOOD, summary: '', blocks: [], fieldCodes: [] }).blocks).toEqual([]);
  });

  it('lists every problem at once with per-field codes', () => {
    expect(
      codes(() =>
        validateCaseComposition({
          title: ' ',
          summary: 'あ'.repeat(2001),
          blocks: [
            { kind: 'PROPOSAL_FIELD', field: 'title' },
            { kind: 'REPORT_PART', part: 'secretNotes' },
            { kind: 'ATTACHMENT', attachmentId: 'not-a-uuid' },
            { kind: 'REPORT_PART', part: 'issues' },
            { kind: 'REPORT_PART', part: 'issues' },
            { kind: 'MESSAGE' },
          ],
          fieldCodes: ['parks'],
          fiscalYear: 1999,
        }),
      ),
    ).toEqual(['blocks.0.field:UNKNOWN_FIELD', 'blocks.1.part:UNKNOWN_FIELD', 'blocks.2.attachmentId:UNKNOWN_REFERENCE', 'blocks.4:INVALID', 'blocks.5.kind:INVALID', 'fieldCodes.0:UNKNOWN_FIELD', 'fiscalYear:INVALID', 'summary:TOO_LONG', 'title:REQUIRED']);
  });

  it('too many items and too long a title', () => {
    const blocks = Array.from({ length: 41 }, () => ({ kind: 'REPORT_PART', part: 'issues' }));
    expect(codes(() => validateCaseComposition({ ...GOOD, title: 'あ'.repeat(201), blocks }))).toContain('blocks:TOO_MANY');
    expect(codes(() => validateCaseComposition({ ...GOOD, title: 'あ'.repeat(201) }))).toEqual(['title:TOO_LONG']);
  });
});

describe('publishingRefusals', () => {
  it('needs consent, a title, a summary, an item and a field', () => {
    const errors = new CaseFieldErrors();
    publishingRefusals({ title: '', summary: ' ', blocks: [], fieldCodes: [], consentedAt: null }, errors);
    expect(codes(() => errors.throwIfAny())).toEqual(['blocks:REQUIRED', 'consent:CONSENT_MISSING', 'fieldCodes:REQUIRED', 'summary:REQUIRED', 'title:REQUIRED']);
  });

  it('refuses a field code no longer in the catalogue; passes a complete consented page', () => {
    const bad = new CaseFieldErrors();
    publishingRefusals({ title: 't', summary: 's', blocks: [{ kind: 'REPORT_PART', part: 'issues' }], fieldCodes: ['gone'], consentedAt: new Date() }, bad);
    expect(codes(() => bad.throwIfAny())).toEqual(['fieldCodes.0:UNKNOWN_FIELD']);
    const good = new CaseFieldErrors();
    publishingRefusals({ title: 't', summary: 's', blocks: [{ kind: 'REPORT_PART', part: 'issues' }], fieldCodes: ['child-rearing'], consentedAt: new Date() }, good);
    expect(good.any).toBe(false);
  });
});

describe('cleanWithdrawReason', () => {
  it('is required and trimmed', () => {
    expect(codes(() => cleanWithdrawReason('  '))).toEqual(['reason:REASON_REQUIRED']);
    expect(codes(() => cleanWithdrawReason('あ'.repeat(2001)))).toEqual(['reason:TOO_LONG']);
    expect(cleanWithdrawReason(' 提案者の申出による ')).toBe('提案者の申出による');
  });
});
