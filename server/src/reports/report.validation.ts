import { FieldErrors } from '../errors/domain-errors.js';
import { DecisionWardCost, type PartnershipIndicator } from '../partnerships/partnership-decision.entity.js';
import { isDate } from '../partnerships/partnership.validation.js';
import { ContinuationIntent, type IndicatorResult } from './implementation-report.entity.js';
import type { ReportInput } from './report.input.js';

export const REPORT_LIMITS = { text: 10_000, actual: 200, note: 1_000, comment: 4_000, returnNote: 4_000, photos: 20, yen: 2_000_000_000 } as const;

/** What the report's row takes, cleaned. */
export interface CleanReport {
  periodStart: string | null;
  periodEnd: string | null;
  activities: string;
  indicatorResults: IndicatorResult[];
  peopleReached: number | null;
  wardCostYen: number;
  partnerContribution: string;
  partnerContributionYen: number | null;
  issues: string;
  nextSteps: string;
  continuation: ContinuationIntent;
}

/** What of the agreement the report is checked against. */
export interface AgreedTerms {
  wardCost: DecisionWardCost;
  indicators: PartnershipIndicator[];
}

function text(errors: FieldErrors, field: string, value: string | null | undefined, max: number): string {
  const clean = (value ?? '').trim();
  if (clean.length > max) errors.add(field, 'TOO_LONG', `${field} must be at most ${max} characters`);
  return clean;
}

function count(errors: FieldErrors, field: string, value: number | null | undefined, required: boolean): number | null {
  if (value === null || value === undefined) {
    if (required) errors.add(field, 'REQUIRED', `${field} is required`);
    return null;
  }
  if (!Number.isInteger(value) || value < 0 || value > REPORT_LIMITS.yen) errors.add(field, 'INVALID', `${field} must be a whole number, 0 or more`);
  return value;
}

function date(errors: FieldErrors, field: string, value: string | null | undefined): string | null {
  const clean = (value ?? '').trim();
  if (clean === '') return null;
  if (!isDate(clean)) errors.add(field, 'INVALID', `${field} must be a date YYYY-MM-DD`);
  return clean;
}

/**
 * Pure: every problem with a report as saved, at once. A draft may be incomplete (empty texts, no
 * dates, empty actuals), but what is there must be right: dates real and in order, texts within
 * their lengths, figures whole and not negative, and the indicator results exactly the agreed
 * indicators by name (each at most once; the targets are the agreement's, never the writer's).
 *
 * The ward's cost (区の費用負担): the principle is none. If the agreement said NONE and the report
 * shows a cost above 0, it must be explained under `issues` — we do not refuse a true figure,
 * but it may not pass unexplained.
 */
export function validateReportInput(input: ReportInput, agreed: AgreedTerms): CleanReport {
  const errors = new FieldErrors();
  const periodStart = date(errors, 'periodStart', input.periodStart);
  const periodEnd = date(errors, 'periodEnd', input.periodEnd);
  if (periodStart && periodEnd && isDate(periodStart) && isDate(periodEnd) && periodEnd < periodStart) errors.add('periodEnd', 'OUT_OF_ORDER', 'periodEnd must not be before periodStart');
  const activities = text(errors, 'activities', input.activities, REPORT_LIMITS.text);
  const partnerContribution = text(errors, 'partnerContribution', input.partnerContribution, REPORT_LIMITS.text);
  const issues = text(errors, 'issues', input.issues, REPORT_LIMITS.text);
  const nextSteps = text(errors, 'nextSteps', input.nextSteps, REPORT_LIMITS.text);
  const peopleReached = count(errors, 'peopleReached', input.peopleReached, false);
  const wardCostYen = count(errors, 'wardCostYen', input.wardCostYen, true) ?? 0;
  const partnerContributionYen = count(errors, 'partnerContributionYen', input.partnerContributionYen, false);
  if (!Object.values(ContinuationIntent).includes(input.continuation)) errors.add('continuation', 'INVALID', 'continuation must be CONTINUE, END or UNDECIDED');
  if (wardCostYen > 0 && agreed.wardCost === DecisionWardCost.NONE && issues === '') {
    errors.add('issues', 'REQUIRED', 'The agreement said no cost to the ward: explain the cost under issues');
  }

  const targets = new Map(agreed.indicators.map((indicator) => [indicator.name, indicator.target]));
  const seen = new Set<string>();
  const indicatorResults: IndicatorResult[] = [];
  (input.indicatorResults ?? []).forEach((result, i) => {
    const name = (result.name ?? '').trim();
    const target = targets.get(name);
    if (target === undefined) errors.add(`indicatorResults.${i}.name`, 'UNKNOWN_REFERENCE', `"${name}" is not one of the agreed indicators`);
    else if (seen.has(name)) errors.add(`indicatorResults.${i}.name`, 'INVALID', `"${name}" is reported twice`);
    seen.add(name);
    const actual = text(errors, `indicatorResults.${i}.actual`, result.actual, REPORT_LIMITS.actual);
    const note = text(errors, `indicatorResults.${i}.note`, result.note, REPORT_LIMITS.note);
    indicatorResults.push({ name, target: target ?? '', actual, note });
  });
  errors.throwIfAny();
  // In the agreement's order, each agreed indicator present (the ones not sent are kept, empty).
  const byName = new Map(indicatorResults.map((result) => [result.name, result]));
  const ordered = agreed.indicators.map((indicator) => byName.get(indicator.name) ?? { name: indicator.name, target: indicator.target, actual: '', note: '' });
  return { periodStart, periodEnd, activities, indicatorResults: ordered, peopleReached, wardCostYen, partnerContribution, partnerContributionYen, issues, nextSteps, continuation: input.continuation };
}

/** The report as first started: the agreed indicators' names and targets, nothing achieved yet. */
export function initialIndicatorResults(indicators: PartnershipIndicator[]): IndicatorResult[] {
  return indicators.map((indicator) => ({ name: indicator.name, target: indicator.target, actual: '', note: '' }));
}

/**
 * Pure: what a report needs before it goes to the desk (提出): the period, what was done, a
 * result for every agreed indicator and the people reached (UNDECIDED is an answer for continuation: 未定).
 */
export function checkReportComplete(report: CleanReport): void {
  const errors = new FieldErrors();
  if (!report.periodStart) errors.add('periodStart', 'REQUIRED', 'periodStart is required');
  if (!report.periodEnd) errors.add('periodEnd', 'REQUIRED', 'periodEnd is required');
  if (report.activities === '') errors.add('activities', 'REQUIRED', 'activities is required');
  if (report.peopleReached === null) errors.add('peopleReached', 'REQUIRED', 'peopleReached is required');
  report.indicatorResults.forEach((result, i) => {
    if (result.actual.trim() === '') errors.add(`indicatorResults.${i}.actual`, 'REQUIRED', `The result of "${result.name}" is required`);
  });
  errors.throwIfAny();
}

/** The desk's note when it returns the report: required, at most REPORT_LIMITS.returnNote. */
export function cleanReturnNote(note: string | null | undefined): string {
  const errors = new FieldErrors();
  const clean = (note ?? '').trim();
  if (clean === '') errors.add('note', 'REQUIRED', 'Say what to revise');
  else if (clean.length > REPORT_LIMITS.returnNote) errors.add('note', 'TOO_LONG', `note must be at most ${REPORT_LIMITS.returnNote} characters`);
  errors.throwIfAny();
  return clean;
}

/** A comment on the report: required, at most REPORT_LIMITS.comment. */
export function cleanCommentBody(body: string | null | undefined): string {
  const errors = new FieldErrors();
  const clean = (body ?? '').trim();
  if (clean === '') errors.add('body', 'REQUIRED', 'body is required');
  else if (clean.length > REPORT_LIMITS.comment) errors.add('body', 'TOO_LONG', `body must be at most ${REPORT_LIMITS.comment} characters`);
  errors.throwIfAny();
  return clean;
}
