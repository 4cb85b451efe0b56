import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/domain-errors.js';
import { DecisionWardCost, PartnershipForm, ProcurementRoute } from './partnership-decision.entity.js';
import type { PartnershipDecisionInput } from './partnership.input.js';
import { isDate, tokyoToday, validateAgreementDocumentInput, validateDecisionInput, validateProgressNoteInput } from './partnership.validation.js';

const DECISION: PartnershipDecisionInput = {
  form: PartnershipForm.AGREEMENT,
  wardCost: DecisionWardCost.NONE,
  startDate: '2027-04-01',
  endDate: '2028-03-31',
  scope: ' 区立施設2か所での実証 ',
  wardResponsibilities: '施設の使用許可と周知',
  proposerResponsibilities: '設備の設置と保守',
  indicators: [{ name: '参加者数', target: '延べ500人' }],
};

function fieldsOf(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof InputError) return error.fields.map((f) => `${f.field}:${f.code}`).sort();
    throw error;
  }
  return [];
}

describe('validateDecisionInput', () => {
  it('accepts a no-cost 協定 and trims it', () => {
    const clean = validateDecisionInput(DECISION);
    expect(clean).toMatchObject({ form: 'AGREEMENT', wardCost: 'NONE', wardCostAmount: null, procurementRoute: null, scope: '区立施設2か所での実証' });
  });

  it('accepts a paid contract with an amount and a route', () => {
    const clean = validateDecisionInput({ ...DECISION, form: PartnershipForm.CONTRACT, wardCost: DecisionWardCost.PAID, wardCostAmount: 1_200_000, procurementRoute: ProcurementRoute.NEGOTIATED_CONTRACT });
    expect(clean).toMatchObject({ wardCostAmount: 1_200_000, procurementRoute: 'NEGOTIATED_CONTRACT' });
  });

  it('a ward cost without a procurement route (or amount) is refused', () => {
    expect(fieldsOf(() => validateDecisionInput({ ...DECISION, wardCost: DecisionWardCost.PAID, wardCostAmount: 5000 }))).toEqual(['procurementRoute:REQUIRED']);
    expect(fieldsOf(() => validateDecisionInput({ ...DECISION, wardCost: DecisionWardCost.PAID }))).toEqual(['procurementRoute:REQUIRED', 'wardCostAmount:REQUIRED']);
    expect(fieldsOf(() => validateDecisionInput({ ...DECISION, wardCost: DecisionWardCost.PAID, wardCostAmount: 0, procurementRoute: ProcurementRoute.OTHER }))).toEqual(['wardCostAmount:INVALID']);
    expect(fieldsOf(() => validateDecisionInput({ ...DECISION, wardCost: DecisionWardCost.PAID, wardCostAmount: 1.5, procurementRoute: ProcurementRoute.OTHER }))).toEqual(['wardCostAmount:INVALID']);
  });

  it('no cost with an amount or a route is refused; a contract needs a cost', () => {
    expect(fieldsOf(() => validateDecisionInput({ ...DECISION, wardCostAmount: 100, procurementRoute: ProcurementRoute.OTHER }))).toEqual(['procurementRoute:INVALID', 'wardCostAmount:INVALID']);
    expect(fieldsOf(() => validateDecisionInput({ ...DECISION, form: PartnershipForm.CONTRACT }))).toEqual(['form:INVALID']);
  });

  it('reports every problem at once: dates, texts, indicators', () => {
    const fields = fieldsOf(() =>
      validateDecisionInput({
        ...DECISION,
        startDate: '2027-04-01',
        endDate: '2027-03-31',
        scope: '   ',
        wardResponsibilities: 'あ'.repeat(10_001),
        proposerResponsibilities: '',
        indicators: [{ name: '', target: 'い'.repeat(201) }],
      }),
    );
    expect(fields).toEqual(['endDate:OUT_OF_ORDER', 'indicators.0.name:REQUIRED', 'indicators.0.target:TOO_LONG', 'proposerResponsibilities:REQUIRED', 'scope:REQUIRED', 'wardResponsibilities:TOO_LONG']);
    expect(fieldsOf(() => validateDecisionInput({ ...DECISION, startDate: '2027-02-30', endDate: 'soon' }))).toEqual(['endDate:INVALID', 'startDate:INVALID']);
    expect(fieldsOf(() => validateDecisionInput({ ...DECISION, indicators: [] }))).toEqual(['indicators:REQUIRED']);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `指標${i}`, target: '1' }));
    expect(fieldsOf(() => validateDecisionInput({ ...DECISION, indicators: eleven }))).toEqual(['indicators:TOO_LONG']);
    expect(fieldsOf(() => validateDecisionInput({ ...DECISION, startDate: '2027-04-01', endDate: '2027-04-01' }))).toEqual([]);
  });
});

describe('validateAgreementDocumentInput', () => {
  const DOC = { title: '公民連携に関する協定書', parties: ['板橋区', '連携テスト株式会社'], signedOn: '2027-03-15', termStart: '2027-04-01', termEnd: '2028-03-31' };
  it('accepts a record', () => expect(validateAgreementDocumentInput(DOC)).toEqual(DOC));
  it('reports every problem at once', () => {
    expect(fieldsOf(() => validateAgreementDocumentInput({ title: '', parties: ['板橋区'], signedOn: '2027/03/15', termStart: '2027-04-01', termEnd: '2027-01-01' }))).toEqual([
      'parties:REQUIRED',
      'signedOn:INVALID',
      'termEnd:OUT_OF_ORDER',
      'title:REQUIRED',
    ]);
    expect(fieldsOf(() => validateAgreementDocumentInput({ ...DOC, parties: Array.from({ length: 11 }, (_, i) => `当事者${i}`) }))).toEqual(['parties:TOO_LONG']);
    expect(fieldsOf(() => validateAgreementDocumentInput({ ...DOC, parties: ['板橋区', ' '] }))).toEqual(['parties:REQUIRED']);
  });
});

describe('validateProgressNoteInput', () => {
  it('defaults to today and not a milestone', () => {
    expect(validateProgressNoteInput({ text: ' 第1回の説明会を実施 ' }, '2027-05-01')).toEqual({ text: '第1回の説明会を実施', milestone: false, happenedOn: '2027-05-01' });
  });
  it('refuses an empty text, a bad date and a future date', () => {
    expect(fieldsOf(() => validateProgressNoteInput({ text: ' ', happenedOn: '2027-13-01' }, '2027-05-01'))).toEqual(['happenedOn:INVALID', 'text:REQUIRED']);
    expect(fieldsOf(() => validateProgressNoteInput({ text: 'x', happenedOn: '2027-05-02' }, '2027-05-01'))).toEqual(['happenedOn:INVALID']);
  });
});

describe('dates', () => {
  it('isDate', () => {
    expect(isDate('2028-02-29')).toBe(true);
    expect(isDate('2027-02-29')).toBe(false);
    expect(isDate('2027-4-1')).toBe(false);
  });
  it('tokyoToday is the date in Asia/Tokyo', () => {
    expect(tokyoToday(new Date('2027-03-31T15:30:00Z'))).toBe('2027-04-01');
    expect(tokyoToday(new Date('2027-03-31T14:59:00Z'))).toBe('2027-03-31');
  });
});
