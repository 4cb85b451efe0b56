import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { en, ja } from '../i18n/messages'
import {
  MATCH_STATES,
  affectsInbox,
  canMatchProposal,
  inboxFilterFromQuery,
  inboxVariables,
  INBOX_FILTERS,
  INBOX_PAGE_SIZE,
  keptLeadSectionId,
  leadSectionOptions,
  matchStateLabelKey,
  matchStateTagClass,
  type SectionRef,
} from './matches'

const schema = fs.readFileSync(path.resolve(import.meta.dirname, '../../../schema/schema.graphql'), 'utf8')

function enumValues(name: string): string[] {
  const m = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(schema)
  if (!m) throw new Error(`enum ${name} not in the schema`)
  return m[1]!
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[A-Z_]+$/.test(l))
}

function translator(locale: 'ja' | 'en') {
  const i18n = createI18n({ legacy: false, locale, fallbackLocale: 'ja', messages: { ja, en }, missingWarn: false, fallbackWarn: false })
  return (key: string) => (i18n.global.te(key, locale) ? i18n.global.t(key) : null)
}

const section = (id: string, dept = '危機管理室'): SectionRef => ({ id, name: `課${id}`, department: { name: dept } })
const byId = (id: string) => (id.startsWith('x') ? undefined : section(id, '環境政策部'))

describe('match states', () => {
  it('lists exactly the states of the schema, PENDING first', () => {
    expect([...MATCH_STATES].sort()).toEqual(enumValues('MatchState').sort())
    expect(MATCH_STATES[0]).toBe('PENDING')
  })

  it('has a readable, distinct label for every state in Japanese and English', () => {
    for (const locale of ['ja', 'en'] as const) {
      const t = translator(locale)
      const labels = MATCH_STATES.map((s) => t(matchStateLabelKey(s)))
      expect(labels.every((l) => typeof l === 'string' && l.length > 0), locale).toBe(true)
      expect(new Set(labels).size, locale).toBe(labels.length)
    }
    const t = translator('ja')
    expect(MATCH_STATES.map((s) => [s, t(matchStateLabelKey(s))])).toEqual([
      ['PENDING', '打診中'],
      ['ACCEPTED', '受諾'],
      ['DECLINED', '辞退'],
      ['WITHDRAWN', '取り下げ'],
    ])
  })

  it('gives every state a tag style', () => {
    for (const s of MATCH_STATES) expect(matchStateTagClass(s)).toMatch(/^tag--/)
    expect(matchStateTagClass('DECLINED')).toBe(matchStateTagClass('WITHDRAWN'))
  })

  it('matches only proposals in dialogue', () => {
    expect(canMatchProposal('IN_DIALOGUE')).toBe(true)
    for (const s of enumValues('ProposalState').filter((s) => s !== 'IN_DIALOGUE')) expect(canMatchProposal(s as never), s).toBe(false)
  })
})

describe('lead section options', () => {
  it('offers nothing before any choice or match', () => {
    expect(leadSectionOptions([], [], byId)).toEqual([])
  })

  it('offers the chosen sections with their department', () => {
    expect(leadSectionOptions(['a', 'b'], [], byId)).toEqual([
      { id: 'a', name: '課a', departmentName: '環境政策部' },
      { id: 'b', name: '課b', departmentName: '環境政策部' },
    ])
  })

  it('offers active matches first, then new choices, each once', () => {
    const matches = [
      { state: 'ACCEPTED' as const, section: section('m1') },
      { state: 'PENDING' as const, section: section('m2') },
    ]
    expect(leadSectionOptions(['c', 'm2'], matches, byId).map((o) => o.id)).toEqual(['m1', 'm2', 'c'])
  })

  it('leaves out declined and withdrawn matches unless chosen again', () => {
    const matches = [
      { state: 'DECLINED' as const, section: section('d') },
      { state: 'WITHDRAWN' as const, section: section('w') },
    ]
    expect(leadSectionOptions([], matches, byId)).toEqual([])
    expect(leadSectionOptions(['d'], matches, byId).map((o) => o.id)).toEqual(['d'])
  })

  it('skips a chosen id it cannot resolve', () => {
    expect(leadSectionOptions(['x1', 'a'], [], byId).map((o) => o.id)).toEqual(['a'])
  })

  it('keeps the current lead while it is offered, else the active lead, else none', () => {
    const options = leadSectionOptions(['a', 'b'], [], byId)
    expect(keptLeadSectionId('b', options, 'a')).toBe('b')
    expect(keptLeadSectionId('z', options, 'a')).toBe('a')
    expect(keptLeadSectionId('', options, null)).toBe('')
    expect(keptLeadSectionId('z', options, 'y')).toBe('')
  })
})

describe('section inbox filter', () => {
  it('asks for the pending matches by default', () => {
    expect(inboxFilterFromQuery(undefined)).toBe('PENDING')
    expect(inboxFilterFromQuery('nonsense')).toBe('PENDING')
    expect(inboxVariables('PENDING')).toEqual({ states: ['PENDING'], first: INBOX_PAGE_SIZE, after: null })
  })

  it('asks for one state, or every state for ALL', () => {
    expect(inboxVariables('DECLINED').states).toEqual(['DECLINED'])
    expect([...(inboxVariables('ALL').states as string[])].sort()).toEqual(enumValues('MatchState').sort())
    expect(inboxVariables('ACCEPTED', 'c1')).toEqual({ states: ['ACCEPTED'], first: INBOX_PAGE_SIZE, after: 'c1' })
  })

  it('reads every filter back from the URL and labels it', () => {
    for (const f of INBOX_FILTERS) expect(inboxFilterFromQuery(f)).toBe(f)
    for (const locale of ['ja', 'en'] as const) expect(translator(locale)('match.inbox.filterAll')).toBeTruthy()
  })

  it('is read again after match and lead events only', () => {
    const kinds = enumValues('ProposalEventKind')
    expect(kinds.filter((k) => affectsInbox(k as never)).sort()).toEqual(
      ['LEAD_CHANGED', 'MATCH_ACCEPTED', 'MATCH_DECLINED', 'MATCH_PROPOSED', 'MATCH_WITHDRAWN'].sort(),
    )
  })
})
