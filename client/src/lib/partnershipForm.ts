// The desk's decision (合意), the agreement record (協定書・契約書) and progress notes (進捗):
// form values ↔ the server's inputs, and the same rules the server checks, so most mistakes are
// shown beside the field before anything is sent. The server stays the judge.
import type {
  AgreementDocumentInput,
  AgreementRecordDetailsFragment,
  DecisionWardCost,
  PartnershipDecisionDetailsFragment,
  PartnershipDecisionInput,
  PartnershipForm,
  ProcurementRoute,
  ProgressNoteInput,
} from '../gql/graphql'
import type { FieldError } from './appError'
import { fieldErrorMessage, type LabelKeys, type Translate } from './errorMessages'

export const PARTNERSHIP_FORMS: readonly PartnershipForm[] = ['NO_AGREEMENT', 'AGREEMENT', 'CONTRACT']
export const WARD_COSTS: readonly DecisionWardCost[] = ['NONE', 'PAID']
export const PROCUREMENT_ROUTES: readonly ProcurementRoute[] = ['NEGOTIATED_CONTRACT', 'COMPETITIVE_BIDDING', 'OTHER']
export const PARTNERSHIP_LIMITS = { text: 10_000, short: 200, indicatorsMin: 1, indicatorsMax: 10, partiesMin: 2, partiesMax: 10 } as const

/** Labels of the server's field names in these forms (indicator rows come back as name / target). */
export const DECISION_LABEL_KEYS: LabelKeys = {
  form: 'partnership.field.form',
  wardCost: 'partnership.field.wardCost',
  wardCostAmount: 'partnership.field.wardCostAmount',
  procurementRoute: 'partnership.field.procurementRoute',
  startDate: 'partnership.field.startDate',
  endDate: 'partnership.field.endDate',
  scope: 'partnership.field.scope',
  wardResponsibilities: 'partnership.field.wardResponsibilities',
  proposerResponsibilities: 'partnership.field.proposerResponsibilities',
  indicators: 'partnership.field.indicators',
  name: 'partnership.field.indicatorName',
  target: 'partnership.field.indicatorTarget',
}
export const AGREEMENT_LABEL_KEYS: LabelKeys = {
  title: 'partnership.agreement.field.title',
  parties: 'partnership.agreement.field.parties',
  signedOn: 'partnership.agreement.field.signedOn',
  termStart: 'partnership.agreement.field.termStart',
  termEnd: 'partnership.agreement.field.termEnd',
}
export const PROGRESS_LABEL_KEYS: LabelKeys = {
  text: 'partnership.progress.field.text',
  happenedOn: 'partnership.progress.field.happenedOn',
}

export interface IndicatorValues {
  name: string
  target: string
}

export interface DecisionFormValues {
  form: PartnershipForm
  wardCost: DecisionWardCost
  /** As typed: 880000, 880,000, ８８０，０００円 … */
  wardCostAmount: string
  procurementRoute: ProcurementRoute | ''
  startDate: string
  endDate: string
  scope: string
  wardResponsibilities: string
  proposerResponsibilities: string
  indicators: IndicatorValues[]
}

/** A fresh decision: a 協定 at no cost to the ward (the guideline's principle), one indicator row. */
export function emptyDecisionForm(): DecisionFormValues {
  return {
    form: 'AGREEMENT',
    wardCost: 'NONE',
    wardCostAmount: '',
    procurementRoute: '',
    startDate: '',
    endDate: '',
    scope: '',
    wardResponsibilities: '',
    proposerResponsibilities: '',
    indicators: [{ name: '', target: '' }],
  }
}

/** A contract is the procedure for money: it is recorded only with a ward cost. */
export function formRequiresWardCost(form: PartnershipForm): boolean {
  return form === 'CONTRACT'
}

/** Whether the amount and the procurement route are asked for. */
export function asksForCost(values: Pick<DecisionFormValues, 'wardCost'>): boolean {
  return values.wardCost === 'PAID'
}

/** Choosing the form: a contract turns the ward cost to PAID (the desk still gives amount and route). */
export function withForm(values: DecisionFormValues, form: PartnershipForm): DecisionFormValues {
  return { ...values, form, wardCost: formRequiresWardCost(form) ? 'PAID' : values.wardCost }
}

/** "880,000円", "８８００００" → 880000; anything that is not a whole number of yen → null. */
export function parseYen(text: string): number | null {
  const plain = text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[,，\s円]/g, '')
  if (!/^\d{1,10}$/.test(plain)) return null
  const n = Number(plain)
  return Number.isSafeInteger(n) && n <= 2_147_483_647 ? n : null
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** A real calendar date written YYYY-MM-DD (what a date input gives). */
export function isDate(value: string): boolean {
  if (!DATE.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
}

/**
 * The input the server takes. With no ward cost, neither amount nor route is sent (the server
 * refuses them); an amount that is not a number is sent as null, so the server says REQUIRED
 * rather than the request failing as a whole.
 */
export function decisionInput(values: DecisionFormValues): PartnershipDecisionInput {
  const paid = values.wardCost === 'PAID'
  return {
    form: values.form,
    wardCost: values.wardCost,
    wardCostAmount: paid ? parseYen(values.wardCostAmount) : null,
    procurementRoute: paid && values.procurementRoute !== '' ? values.procurementRoute : null,
    startDate: values.startDate.trim(),
    endDate: values.endDate.trim(),
    scope: values.scope.trim(),
    wardResponsibilities: values.wardResponsibilities.trim(),
    proposerResponsibilities: values.proposerResponsibilities.trim(),
    indicators: values.indicators.map((i) => ({ name: i.name.trim(), target: i.target.trim() })),
  }
}

function required(out: FieldError[], field: string, value: string, max: number): void {
  const clean = value.trim()
  if (clean === '') out.push({ field, code: 'REQUIRED', message: '' })
  else if (clean.length > max) out.push({ field, code: 'TOO_LONG', message: '' })
}

function dateRange(out: FieldError[], startField: string, start: string, endField: string, end: string): void {
  if (!isDate(start)) out.push({ field: startField, code: start.trim() === '' ? 'REQUIRED' : 'INVALID', message: '' })
  if (!isDate(end)) out.push({ field: endField, code: end.trim() === '' ? 'REQUIRED' : 'INVALID', message: '' })
  if (isDate(start) && isDate(end) && end < start) out.push({ field: endField, code: 'OUT_OF_ORDER', message: '' })
}

/**
 * The server's rules for a decision, field by field (indicator rows as `indicators.N.name` /
 * `indicators.N.target`). The cost rule: no cost in principle; a cost needs an amount and a
 * procurement route; a contract needs a cost.
 */
export function checkDecisionForm(values: DecisionFormValues): FieldError[] {
  const out: FieldError[] = []
  if (values.wardCost === 'PAID') {
    const amount = parseYen(values.wardCostAmount)
    if (values.wardCostAmount.trim() === '') out.push({ field: 'wardCostAmount', code: 'REQUIRED', message: '' })
    else if (amount === null || amount <= 0) out.push({ field: 'wardCostAmount', code: 'INVALID', message: '' })
    if (values.procurementRoute === '') out.push({ field: 'procurementRoute', code: 'REQUIRED', message: '' })
  }
  if (formRequiresWardCost(values.form) && values.wardCost !== 'PAID') out.push({ field: 'form', code: 'INVALID', message: '' })
  dateRange(out, 'startDate', values.startDate, 'endDate', values.endDate)
  required(out, 'scope', values.scope, PARTNERSHIP_LIMITS.text)
  required(out, 'wardResponsibilities', values.wardResponsibilities, PARTNERSHIP_LIMITS.text)
  required(out, 'proposerResponsibilities', values.proposerResponsibilities, PARTNERSHIP_LIMITS.text)
  if (values.indicators.length < PARTNERSHIP_LIMITS.indicatorsMin) out.push({ field: 'indicators', code: 'REQUIRED', message: '' })
  else if (values.indicators.length > PARTNERSHIP_LIMITS.indicatorsMax) out.push({ field: 'indicators', code: 'TOO_LONG', message: '' })
  values.indicators.forEach((indicator, index) => {
    required(out, `indicators.${index}.name`, indicator.name, PARTNERSHIP_LIMITS.short)
    required(out, `indicators.${index}.target`, indicator.target, PARTNERSHIP_LIMITS.short)
  })
  return out
}

/** The ward as a party to its agreements: the name written in the signed document, whatever the UI language. */
export const WARD_PARTY = '板橋区'

export interface AgreementFormValues {
  title: string
  /** One party per line. */
  parties: string
  signedOn: string
  termStart: string
  termEnd: string
}

/**
 * The agreement record form: the record as it is (a correction), or a start from what is known —
 * the ward and the proposing organisation as parties, the decision's dates as the term.
 */
export function agreementFormFrom(
  record: Pick<AgreementRecordDetailsFragment, 'title' | 'parties' | 'signedOn' | 'termStart' | 'termEnd'> | null,
  decision: Pick<PartnershipDecisionDetailsFragment, 'startDate' | 'endDate'> | null,
  wardName: string,
  organisationName: string,
): AgreementFormValues {
  if (record) return { title: record.title, parties: record.parties.join('\n'), signedOn: record.signedOn, termStart: record.termStart, termEnd: record.termEnd }
  return { title: '', parties: [wardName, organisationName].join('\n'), signedOn: '', termStart: decision?.startDate ?? '', termEnd: decision?.endDate ?? '' }
}

export function partiesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
}

export function agreementInput(values: AgreementFormValues): AgreementDocumentInput {
  return { title: values.title.trim(), parties: partiesOf(values.parties), signedOn: values.signedOn.trim(), termStart: values.termStart.trim(), termEnd: values.termEnd.trim() }
}

export function checkAgreementForm(values: AgreementFormValues): FieldError[] {
  const out: FieldError[] = []
  required(out, 'title', values.title, PARTNERSHIP_LIMITS.short)
  const parties = partiesOf(values.parties)
  if (parties.length < PARTNERSHIP_LIMITS.partiesMin) out.push({ field: 'parties', code: 'REQUIRED', message: '' })
  else if (parties.length > PARTNERSHIP_LIMITS.partiesMax || parties.some((p) => p.length > PARTNERSHIP_LIMITS.short)) out.push({ field: 'parties', code: 'TOO_LONG', message: '' })
  if (!isDate(values.signedOn)) out.push({ field: 'signedOn', code: values.signedOn.trim() === '' ? 'REQUIRED' : 'INVALID', message: '' })
  dateRange(out, 'termStart', values.termStart, 'termEnd', values.termEnd)
  return out
}

/** Only a PDF is filed as the signed document; checked again (from the bytes) by the server. */
export function precheckAgreementDocument(name: string, size: number, maxBytes: number): 'NOT_ACCEPTED' | 'TOO_LONG' | 'INVALID' | null {
  if (!/\.pdf$/i.test(name.trim())) return 'NOT_ACCEPTED'
  if (size > maxBytes) return 'TOO_LONG'
  if (size === 0) return 'INVALID'
  return null
}

export interface ProgressNoteValues {
  text: string
  milestone: boolean
  /** Empty: today (Asia/Tokyo), as the server decides. */
  happenedOn: string
}

export function emptyProgressNote(): ProgressNoteValues {
  return { text: '', milestone: false, happenedOn: '' }
}

export function progressNoteInput(values: ProgressNoteValues): ProgressNoteInput {
  const happenedOn = values.happenedOn.trim()
  return { text: values.text.trim(), milestone: values.milestone, happenedOn: happenedOn === '' ? null : happenedOn }
}

/** `today` is the date in Asia/Tokyo, YYYY-MM-DD: a note cannot be dated in the future. */
export function checkProgressNote(values: ProgressNoteValues, today: string): FieldError[] {
  const out: FieldError[] = []
  required(out, 'text', values.text, PARTNERSHIP_LIMITS.text)
  const on = values.happenedOn.trim()
  if (on !== '' && (!isDate(on) || on > today)) out.push({ field: 'happenedOn', code: 'INVALID', message: '' })
  return out
}

/** Today's date in Asia/Tokyo, YYYY-MM-DD. */
export function tokyoToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

/** Errors that say more than the general "not valid" / "required" (the cost rule above all). */
const SPECIFIC_MESSAGE_KEYS: Record<string, string> = {
  'form:INVALID': 'partnership.error.contractNeedsCost',
  'wardCostAmount:INVALID': 'partnership.error.amountInvalid',
  'procurementRoute:REQUIRED': 'partnership.error.routeRequired',
  'indicators:REQUIRED': 'partnership.error.indicatorsRequired',
  'parties:REQUIRED': 'partnership.error.partiesRequired',
  'happenedOn:INVALID': 'partnership.error.happenedOn',
}

/**
 * Messages by field, the first per field: `indicators.2.name` keeps its path (the row shows it),
 * while its label is the label of `name`. The server's own indicator errors arrive as `name` /
 * `target` (indexes are not fields in AppError) and are shown on the indicator list.
 */
export function partnershipFieldMessages(errors: readonly FieldError[], t: Translate, labelKeys: LabelKeys): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of errors) {
    if (e.field in out) continue
    const base = e.field.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? e.field
    const specific = SPECIFIC_MESSAGE_KEYS[`${base}:${e.code}`]
    out[e.field] = specific ? t(specific) : fieldErrorMessage({ ...e, field: base }, t, labelKeys)
  }
  return out
}
