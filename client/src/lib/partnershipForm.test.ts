import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { en, ja } from '../i18n/messages'
import type { FieldError } from './appError'
import type { Translate } from './errorMessages'
import {
  agreementFormFrom,
  agreementInput,
  checkAgreementForm,
  checkDecisionForm,
  checkProgressNote,
  decisionInput,
  DECISION_LABEL_KEYS,
  emptyDecisionForm,
  parseYen,
  PARTNERSHIP_FORMS,
  partnershipFieldMessages,
  precheckAgreementDocument,
  PROCUREMENT_ROUTES,
  progressNoteInput,
  tokyoToday,
  WARD_COSTS,
  WARD_PARTY,
  withForm,
  type DecisionFormValues,
} from './partnershipForm'

const schema = fs.readFileSync(path.resolve(import.meta.dirname, '../../../schema/schema.graphql'), 'utf8')
function enumValues(name: string): string[] {
  const m = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(schema)
  if (!m) throw new Error(`enum ${name} not in the schema`)
  return m[1]!
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[A-Z_]+$/.test(l))
}
function translator(locale: 'ja' | 'en'): Translate {
  const i18n = createI18n({ legacy: false, locale, fallbackLocale: 'ja', messages: { ja, en }, missingWarn: false, fallbackWarn: false })
  return (key, named) => (i18n.global.te(key, locale) ? i18n.global.t(key, named ?? {}) : `MISSING:${key}`)
}
const codes = (errors: FieldError[]) => errors.map((e) => `${e.field}:${e.code}`).sort()

/** A complete no-cost 協定, as the desk would fill it in. */
function filled(changes: Partial<DecisionFormValues> = {}): DecisionFormValues {
  return {
    ...emptyDecisionForm(),
    startDate: '2027-04-01',
    endDate: '2028-03-31',
    scope: ' 区立施設での実証 ',
    wardResponsibilities: '施設の使用許可',
    proposerResponsibilities: '設備の設置',
    indicators: [{ name: ' 停電時の供給時間 ', target: '72時間' }],
    ...changes,
  }
}

describe('the choices follow the schema and read in both languages', () => {
  it('forms, ward costs and procurement routes are exactly the schema’s', () => {
    expect([...PARTNERSHIP_FORMS].sort()).toEqual(enumValues('PartnershipForm').sort())
    expect([...WARD_COSTS].sort()).toEqual(enumValues('DecisionWardCost').sort())
    expect([...PROCUREMENT_ROUTES].sort()).toEqual(enumValues('ProcurementRoute').sort())
  })

  it('every choice and field has a label in Japanese and English', () => {
    for (const locale of ['ja', 'en'] as const) {
      const t = translator(locale)
      const keys = [
        ...PARTNERSHIP_FORMS.flatMap((f) => [`partnership.form.${f}`, `partnership.formHint.${f}`]),
        ...WARD_COSTS.map((c) => `partnership.wardCost.${c}`),
        ...PROCUREMENT_ROUTES.map((r) => `partnership.route.${r}`),
        ...Object.values(DECISION_LABEL_KEYS),
      ]
      for (const key of keys) expect(t(key), `${locale} ${key}`).not.toMatch(/^MISSING:/)
    }
  })
})

describe('the decision form → PartnershipDecisionInput', () => {
  it('starts as a 協定 at no cost to the ward (the principle) with one indicator row', () => {
    expect(emptyDecisionForm()).toMatchObject({ form: 'AGREEMENT', wardCost: 'NONE', wardCostAmount: '', procurementRoute: '', indicators: [{ name: '', target: '' }] })
  })

  it('no cost: neither an amount nor a route is sent, even if typed before switching back; text is trimmed', () => {
    const input = decisionInput(filled({ wardCostAmount: '500000', procurementRoute: 'OTHER' }))
    expect(input).toEqual({
      form: 'AGREEMENT',
      wardCost: 'NONE',
      wardCostAmount: null,
      procurementRoute: null,
      startDate: '2027-04-01',
      endDate: '2028-03-31',
      scope: '区立施設での実証',
      wardResponsibilities: '施設の使用許可',
      proposerResponsibilities: '設備の設置',
      indicators: [{ name: '停電時の供給時間', target: '72時間' }],
    })
  })

  it('a paid contract sends the amount in yen and the route', () => {
    const values = withForm(filled(), 'CONTRACT')
    expect(values.wardCost).toBe('PAID')
    const input = decisionInput({ ...values, wardCostAmount: '８８０，０００円', procurementRoute: 'NEGOTIATED_CONTRACT' })
    expect(input).toMatchObject({ form: 'CONTRACT', wardCost: 'PAID', wardCostAmount: 880000, procurementRoute: 'NEGOTIATED_CONTRACT' })
  })

  it('reads yen as people type it, and refuses what is not a whole number', () => {
    expect(['880000', '880,000', '８８００００', '880,000円', ' 1 '].map(parseYen)).toEqual([880000, 880000, 880000, 880000, 1])
    expect(['', '12.5', '-3', 'abc', '99999999999'].map(parseYen)).toEqual([null, null, null, null, null])
  })
})

describe('checkDecisionForm: the server’s rules before sending', () => {
  it('a complete no-cost 協定 passes', () => {
    expect(checkDecisionForm(filled())).toEqual([])
  })

  it('the cost rule: a ward cost needs an amount and a procurement route', () => {
    expect(codes(checkDecisionForm(filled({ wardCost: 'PAID', wardCostAmount: '500000' })))).toEqual(['procurementRoute:REQUIRED'])
    expect(codes(checkDecisionForm(filled({ wardCost: 'PAID', procurementRoute: 'OTHER' })))).toEqual(['wardCostAmount:REQUIRED'])
    expect(codes(checkDecisionForm(filled({ wardCost: 'PAID', wardCostAmount: '0', procurementRoute: 'OTHER' })))).toEqual(['wardCostAmount:INVALID'])
    expect(checkDecisionForm(filled({ wardCost: 'PAID', wardCostAmount: '1', procurementRoute: 'OTHER' }))).toEqual([])
  })

  it('a contract at no cost is refused on the form', () => {
    expect(codes(checkDecisionForm(filled({ form: 'CONTRACT', wardCost: 'NONE' })))).toEqual(['form:INVALID'])
    expect(withForm(filled({ wardCost: 'NONE' }), 'NO_AGREEMENT').wardCost).toBe('NONE')
  })

  it('dates, texts and indicator rows, every problem at once', () => {
    const values = filled({ startDate: '2027-04-01', endDate: '2027-03-31', scope: '  ', indicators: [{ name: '', target: '10件' }, { name: '参加者数', target: '' }] })
    expect(codes(checkDecisionForm(values))).toEqual(['endDate:OUT_OF_ORDER', 'indicators.0.name:REQUIRED', 'indicators.1.target:REQUIRED', 'scope:REQUIRED'])
    expect(codes(checkDecisionForm(filled({ startDate: '', endDate: '2027-02-30', indicators: [] })))).toEqual(['endDate:INVALID', 'indicators:REQUIRED', 'startDate:REQUIRED'])
  })
})

describe('messages beside the fields', () => {
  it('say the cost rule in words, and name the indicator row’s field', () => {
    const errors = checkDecisionForm(filled({ form: 'CONTRACT', wardCost: 'PAID', wardCostAmount: '5000', indicators: [{ name: '', target: 'x' }] }))
    const jaMessages = partnershipFieldMessages(errors, translator('ja'), DECISION_LABEL_KEYS)
    expect(jaMessages.procurementRoute).toBe('区の費用負担がある場合は、契約手続きを選択してください。')
    expect(jaMessages['indicators.0.name']).toBe('指標名を入力してください。')
    const enMessages = partnershipFieldMessages(errors, translator('en'), DECISION_LABEL_KEYS)
    expect(enMessages.procurementRoute).toBe('When the ward bears a cost, choose the procurement route.')
    expect(Object.values(enMessages).every((m) => !m.startsWith('MISSING:'))).toBe(true)
  })

  it('the server’s indicator errors (indexes dropped) still get a label', () => {
    const fromServer: FieldError[] = [{ field: 'name', code: 'TOO_LONG', message: '' }]
    expect(partnershipFieldMessages(fromServer, translator('ja'), DECISION_LABEL_KEYS).name).toBe('指標名が長すぎます。短くしてください。')
  })
})

describe('the agreement record form', () => {
  it('starts from the ward and the organisation as parties and the decision’s dates as the term', () => {
    expect(agreementFormFrom(null, { startDate: '2027-04-01', endDate: '2028-03-31' }, WARD_PARTY, '株式会社いたばしラボ')).toEqual({
      title: '',
      parties: '板橋区\n株式会社いたばしラボ',
      signedOn: '',
      termStart: '2027-04-01',
      termEnd: '2028-03-31',
    })
  })

  it('a correction starts from the record as it is', () => {
    const record = { title: '協定書', parties: ['板橋区', 'A社', 'B大学'], signedOn: '2027-03-20', termStart: '2027-04-01', termEnd: '2028-03-31' }
    const values = agreementFormFrom(record, null, WARD_PARTY, 'A社')
    expect(agreementInput(values)).toEqual(record)
  })

  it('one party per line, blank lines ignored; at least two parties; dates in order', () => {
    const values = { title: ' 協定書 ', parties: '板橋区\n\n  A社  \n', signedOn: '2027-03-20', termStart: '2027-04-01', termEnd: '2028-03-31' }
    expect(agreementInput(values)).toEqual({ title: '協定書', parties: ['板橋区', 'A社'], signedOn: '2027-03-20', termStart: '2027-04-01', termEnd: '2028-03-31' })
    expect(checkAgreementForm(values)).toEqual([])
    expect(codes(checkAgreementForm({ ...values, title: '', parties: '板橋区', signedOn: '', termEnd: '2027-01-01' }))).toEqual([
      'parties:REQUIRED',
      'signedOn:REQUIRED',
      'termEnd:OUT_OF_ORDER',
      'title:REQUIRED',
    ])
  })

  it('the signed document is a PDF within the size limit', () => {
    expect(precheckAgreementDocument('協定書.PDF', 1000, 20)).toBe('TOO_LONG')
    expect(precheckAgreementDocument('協定書.pdf', 10, 20)).toBeNull()
    expect(precheckAgreementDocument('協定書.docx', 10, 20)).toBe('NOT_ACCEPTED')
    expect(precheckAgreementDocument('協定書.pdf', 0, 20)).toBe('INVALID')
  })
})

describe('progress notes', () => {
  it('an empty date means today (decided by the server)', () => {
    expect(progressNoteInput({ text: ' 説明会を開催 ', milestone: true, happenedOn: '' })).toEqual({ text: '説明会を開催', milestone: true, happenedOn: null })
    expect(progressNoteInput({ text: 'x', milestone: false, happenedOn: '2027-05-01' })).toEqual({ text: 'x', milestone: false, happenedOn: '2027-05-01' })
  })

  it('needs text, and a date not in the future (Asia/Tokyo)', () => {
    expect(codes(checkProgressNote({ text: ' ', milestone: false, happenedOn: '2027-05-02' }, '2027-05-01'))).toEqual(['happenedOn:INVALID', 'text:REQUIRED'])
    expect(checkProgressNote({ text: 'x', milestone: false, happenedOn: '2027-05-01' }, '2027-05-01')).toEqual([])
    // 15:30 UTC is already the next day in Tokyo.
    expect(tokyoToday(new Date('2027-04-30T15:30:00Z'))).toBe('2027-05-01')
  })
})
