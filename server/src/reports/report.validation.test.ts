import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/domain-errors.js';
import { DecisionWardCost } from '../partnerships/partnership-decision.entity.js';
import { ContinuationIntent } from './implementation-report.entity.js';
import type { ReportInput } from './report.input.js';
import { checkReportComplete, cleanCommentBody, cleanReturnNote, initialIndicatorResults, REPORT_LIMITS, validateReportInput, type AgreedTerms } from './report.validation.js';

const AGREED: AgreedTerms = {
  wardCost: DecisionWardCost.NONE,
  indicators: [
    { name: '停電時の供給時間', target: '72時間' },
    { name: 'CO2削減量', target: '年10トン' },
  ],
};
const GOOD: ReportInput = {
  periodStart: '2027-04-01',
  periodEnd: '2028-03-31',
  activities: '区立施設2か所に設置し、防災訓練で活用',
  indicatorResults: [
    { name: 'CO2削減量', actual: '年8トン', note: '冬季の日照不足' },
    { name: '停電時の供給時間', actual: '80時間' },
  ],
  peopleReached: 420,
  wardCostYen: 0,
  partnerContribution: '設備一式の提供と保守',
  partnerContributionYen: 3_000_000,
  issues: '',
  nextSteps: '他施設への展開を検討',
  continuation: ContinuationIntent.CONTINUE,
};

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.fields.map((f) => `${f.field}:${f.code}`).sort();
    throw error;
  }
  return [];
}

describe('validateReportInput', () => {
  it('cleans a good report: results in the agreement’s order, targets from the agreement', () => {
    const clean = validateReportInput(GOOD, AGREED);
    expect(clean.indicatorResults).toEqual([
      { name: '停電時の供給時間', target: '72時間', actual: '80時間', note: '' },
      { name: 'CO2削減量', target: '年10トン', actual: '年8トン', note: '冬季の日照不足' },
    ]);
    expect(clean).toMatchObject({ peopleReached: 420, wardCostYen: 0, partnerContributionYen: 3_000_000 });
  });

  it('a draft may be incomplete: no dates, empty texts, missing indicators kept empty', () => {
    const clean = validateReportInput({ ...GOOD, periodStart: null, periodEnd: '', activities: ' ', indicatorResults: [], peopleReached: null }, AGREED);
    expect(clean).toMatchObject({ periodStart: null, periodEnd: null, activities: '', peopleReached: null });
    expect(clean.indicatorResults.map((r) => [r.name, r.actual])).toEqual([
      ['停電時の供給時間', ''],
      ['CO2削減量', ''],
    ]);
  });

  it('reports every problem at once', () => {
    const bad: ReportInput = {
      ...GOOD,
      periodStart: '2027-02-30',
      periodEnd: '2026-01-01',
      activities: 'x'.repeat(REPORT_LIMITS.text + 1),
      indicatorResults: [
        { name: '来場者数', actual: '100' },
        { name: 'CO2削減量', actual: 'y'.repeat(REPORT_LIMITS.actual + 1) },
        { name: 'CO2削減量', actual: '1' },
      ],
      peopleReached: -1,
      wardCostYen: -5,
      partnerContributionYen: 1.5,
      continuation: 'MAYBE' as ContinuationIntent,
    };
    expect(fieldsOf(() => validateReportInput(bad, AGREED))).toEqual([
      'activities:TOO_LONG',
      'continuation:INVALID',
      'indicatorResults.0.name:UNKNOWN_REFERENCE',
      'indicatorResults.1.actual:TOO_LONG',
      'indicatorResults.2.name:INVALID',
      'partnerContributionYen:INVALID',
      'peopleReached:INVALID',
      'periodStart:INVALID',
      'wardCostYen:INVALID',
    ]);
  });

  it('the end of the period is not before its start', () => {
    expect(fieldsOf(() => validateReportInput({ ...GOOD, periodEnd: '2027-03-31' }, AGREED))).toEqual(['periodEnd:OUT_OF_ORDER']);
    expect(fieldsOf(() => validateReportInput({ ...GOOD, periodEnd: '2027-04-01' }, AGREED))).toEqual([]);
  });

  it('a ward cost above 0 where the agreement said none must be explained under issues', () => {
    expect(fieldsOf(() => validateReportInput({ ...GOOD, wardCostYen: 12_000 }, AGREED))).toEqual(['issues:REQUIRED']);
    expect(fieldsOf(() => validateReportInput({ ...GOOD, wardCostYen: 12_000, issues: '会場使用料が発生' }, AGREED))).toEqual([]);
    expect(fieldsOf(() => validateReportInput({ ...GOOD, wardCostYen: 12_000 }, { ...AGREED, wardCost: DecisionWardCost.PAID }))).toEqual([]);
  });
});

describe('checkReportComplete (before submitting)', () => {
  it('needs the period, activities, people reached and every indicator’s result', () => {
    const draft = validateReportInput({ ...GOOD, periodStart: null, periodEnd: null, activities: '', peopleReached: null, indicatorResults: [{ name: 'CO2削減量', actual: '年8トン' }] }, AGREED);
    expect(fieldsOf(() => checkReportComplete(draft))).toEqual(['activities:REQUIRED', 'indicatorResults.0.actual:REQUIRED', 'peopleReached:REQUIRED', 'periodEnd:REQUIRED', 'periodStart:REQUIRED']);
    expect(fieldsOf(() => checkReportComplete(validateReportInput(GOOD, AGREED)))).toEqual([]);
  });
});

describe('notes, comments and the first draft', () => {
  it('a return note and a comment are required and bounded', () => {
    expect(fieldsOf(() => cleanReturnNote('  '))).toEqual(['note:REQUIRED']);
    expect(fieldsOf(() => cleanReturnNote('x'.repeat(REPORT_LIMITS.returnNote + 1)))).toEqual(['note:TOO_LONG']);
    expect(cleanReturnNote(' 参加者数の根拠を ')).toBe('参加者数の根拠を');
    expect(fieldsOf(() => cleanCommentBody(''))).toEqual(['body:REQUIRED']);
    expect(fieldsOf(() => cleanCommentBody('x'.repeat(REPORT_LIMITS.comment + 1)))).toEqual(['body:TOO_LONG']);
  });

  it('the first draft carries the agreed indicators with nothing achieved', () => {
    expect(initialIndicatorResults(AGREED.indicators)).toEqual([
      { name: '停電時の供給時間', target: '72時間', actual: '', note: '' },
      { name: 'CO2削減量', target: '年10トン', actual: '', note: '' },
    ]);
  });
});
