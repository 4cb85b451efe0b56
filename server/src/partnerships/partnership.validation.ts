import { FieldErrors } from '../errors/domain-errors.js';
import { DecisionWardCost, PartnershipForm, type PartnershipIndicator, type ProcurementRoute } from './partnership-decision.entity.js';
import type { AgreementDocumentInput, PartnershipDecisionInput, ProgressNoteInput } from './partnership.input.js';

export const PARTNERSHIP_LIMITS = { text: 10_000, short: 200, indicatorsMin: 1, indicatorsMax: 10, partiesMin: 2, partiesMax: 10 } as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD. */
export function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Today's date in Asia/Tokyo, YYYY-MM-DD. */
export function tokyoToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function requiredText(errors: FieldErrors, field: string, value: string | null | undefined, max: number): string {
  const clean = (value ?? '').trim();
  if (clean === '') errors.add(field, 'REQUIRED', `${field} is required`);
  else if (clean.length > max) errors.add(field, 'TOO_LONG', `${field} must be at most ${max} characters`);
  return clean;
}

/** Checks a start/end pair: each a date, the end not before the start. */
function dateRange(errors: FieldErrors, startField: string, start: string, endField: string, end: string): void {
  const startOk = isDate(start);
  const endOk = isDate(end);
  if (!startOk) errors.add(startField, 'INVALID', `${startField} must be a date YYYY-MM-DD`);
  if (!endOk) errors.add(endField, 'INVALID', `${endField} must be a date YYYY-MM-DD`);
  if (startOk && endOk && end < start) errors.add(endField, 'OUT_OF_ORDER', `${endField} must not be before ${startField}`);
}

export interface CleanDecision {
  form: PartnershipForm;
  wardCost: DecisionWardCost;
  wardCostAmount: number | null;
  procurementRoute: ProcurementRoute | null;
  startDate: string;
  endDate: string;
  scope: string;
  wardResponsibilities: string;
  proposerResponsibilities: string;
  indicators: PartnershipIndicator[];
}

/**
 * Pure: every problem with a decision at once, or the cleaned decision. The guideline (§5(3)):
 * no cost to the ward in principle; where the ward pays, a contract procedure — so PAID needs an
 * amount and a procurement route, NONE takes neither. A CONTRACT is the procedure for money, so
 * it requires PAID (a no-cost partnership is NO_AGREEMENT or a 協定). An AGREEMENT (協定) may be
 * with or without cost.
 */
export function validateDecisionInput(input: PartnershipDecisionInput): CleanDecision {
  const errors = new FieldErrors();
  const paid = input.wardCost === DecisionWardCost.PAID;
  const amount = input.wardCostAmount ?? null;
  const route = input.procurementRoute ?? null;
  if (paid) {
    if (amount === null) errors.add('wardCostAmount', 'REQUIRED', 'Give the amount the ward pays, in yen');
    else if (!Number.isInteger(amount) || amount <= 0) errors.add('wardCostAmount', 'INVALID', 'The amount is a whole number of yen, more than 0');
    if (route === null) errors.add('procurementRoute', 'REQUIRED', 'A ward cost needs a procurement route (契約手続き)');
  } else {
    if (amount !== null) errors.add('wardCostAmount', 'INVALID', 'No amount when the ward bears no cost');
    if (route !== null) errors.add('procurementRoute', 'INVALID', 'No procurement route when the ward bears no cost');
  }
  if (input.form === PartnershipForm.CONTRACT && !paid) errors.add('form', 'INVALID', 'A contract is the procedure for a ward cost: record wardCost PAID, or choose NO_AGREEMENT or AGREEMENT');
  const startDate = input.startDate.trim();
  const endDate = input.endDate.trim();
  dateRange(errors, 'startDate', startDate, 'endDate', endDate);
  const scope = requiredText(errors, 'scope', input.scope, PARTNERSHIP_LIMITS.text);
  const wardResponsibilities = requiredText(errors, 'wardResponsibilities', input.wardResponsibilities, PARTNERSHIP_LIMITS.text);
  const proposerResponsibilities = requiredText(errors, 'proposerResponsibilities', input.proposerResponsibilities, PARTNERSHIP_LIMITS.text);
  const given = input.indicators ?? [];
  if (given.length < PARTNERSHIP_LIMITS.indicatorsMin) errors.add('indicators', 'REQUIRED', 'Name at least one indicator to report on');
  else if (given.length > PARTNERSHIP_LIMITS.indicatorsMax) errors.add('indicators', 'TOO_LONG', `At most ${PARTNERSHIP_LIMITS.indicatorsMax} indicators`);
  const indicators = given.slice(0, PARTNERSHIP_LIMITS.indicatorsMax).map((indicator, index) => ({
    name: requiredText(errors, `indicators.${index}.name`, indicator.name, PARTNERSHIP_LIMITS.short),
    target: requiredText(errors, `indicators.${index}.target`, indicator.target, PARTNERSHIP_LIMITS.short),
  }));
  errors.throwIfAny();
  return {
    form: input.form,
    wardCost: input.wardCost,
    wardCostAmount: paid ? amount : null,
    procurementRoute: paid ? route : null,
    startDate,
    endDate,
    scope,
    wardResponsibilities,
    proposerResponsibilities,
    indicators,
  };
}

export interface CleanAgreementDocument {
  title: string;
  parties: string[];
  signedOn: string;
  termStart: string;
  termEnd: string;
}

/** Pure: every problem with an agreement record at once. */
export function validateAgreementDocumentInput(input: AgreementDocumentInput): CleanAgreementDocument {
  const errors = new FieldErrors();
  const title = requiredText(errors, 'title', input.title, PARTNERSHIP_LIMITS.short);
  const parties = (input.parties ?? []).map((party) => party.trim());
  if (parties.length < PARTNERSHIP_LIMITS.partiesMin) errors.add('parties', 'REQUIRED', `Name at least ${PARTNERSHIP_LIMITS.partiesMin} parties`);
  else if (parties.length > PARTNERSHIP_LIMITS.partiesMax) errors.add('parties', 'TOO_LONG', `At most ${PARTNERSHIP_LIMITS.partiesMax} parties`);
  else if (parties.some((party) => party === '')) errors.add('parties', 'REQUIRED', 'A party cannot be blank');
  else if (parties.some((party) => party.length > PARTNERSHIP_LIMITS.short)) errors.add('parties', 'TOO_LONG', `Each party at most ${PARTNERSHIP_LIMITS.short} characters`);
  const signedOn = input.signedOn.trim();
  if (!isDate(signedOn)) errors.add('signedOn', 'INVALID', 'signedOn must be a date YYYY-MM-DD');
  const termStart = input.termStart.trim();
  const termEnd = input.termEnd.trim();
  dateRange(errors, 'termStart', termStart, 'termEnd', termEnd);
  errors.throwIfAny();
  return { title, parties, signedOn, termStart, termEnd };
}

export interface CleanProgressNote {
  text: string;
  milestone: boolean;
  happenedOn: string;
}

/** Pure: a progress note; `today` is the date in Asia/Tokyo (the default, and the latest allowed). */
export function validateProgressNoteInput(input: ProgressNoteInput, today: string): CleanProgressNote {
  const errors = new FieldErrors();
  const text = requiredText(errors, 'text', input.text, PARTNERSHIP_LIMITS.text);
  const happenedOn = (input.happenedOn ?? '').trim() || today;
  if (!isDate(happenedOn)) errors.add('happenedOn', 'INVALID', 'happenedOn must be a date YYYY-MM-DD');
  else if (happenedOn > today) errors.add('happenedOn', 'INVALID', 'happenedOn cannot be in the future');
  errors.throwIfAny();
  return { text, milestone: input.milestone === true, happenedOn };
}
