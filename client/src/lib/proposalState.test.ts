import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { en, ja } from '../i18n/messages'
import { ORGANISATION_KINDS, PROPOSAL_KINDS, PROPOSAL_STATES, stateLabelKey, stateTagClass } from './proposalState'

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

describe('proposal states', () => {
  it('lists exactly the states of the schema', () => {
    expect([...PROPOSAL_STATES].sort()).toEqual(enumValues('ProposalState').sort())
  })

  it('has a readable, distinct label for every state in Japanese and English', () => {
    for (const locale of ['ja', 'en'] as const) {
      const t = translator(locale)
      const labels = PROPOSAL_STATES.map((s) => t(stateLabelKey(s)))
      expect(labels.every((l) => typeof l === 'string' && l.length > 0), locale).toBe(true)
      expect(new Set(labels).size, locale).toBe(labels.length)
    }
    expect(translator('ja')(stateLabelKey('UNDER_REVIEW'))).toBe('審査中')
    expect(translator('ja')(stateLabelKey('RETURNED'))).toBe('対象外として返却')
  })

  it('starts with DRAFT and ends with the closed states', () => {
    expect(PROPOSAL_STATES[0]).toBe('DRAFT')
    expect(PROPOSAL_STATES.slice(-3)).toEqual(['RETURNED', 'NOT_REALIZED', 'WITHDRAWN'])
  })

  it('gives every state a tag style', () => {
    for (const s of PROPOSAL_STATES) expect(stateTagClass(s)).toMatch(/^tag--/)
  })

  it('labels every proposal kind, organisation kind and applicant kind', () => {
    expect([...PROPOSAL_KINDS].sort()).toEqual(enumValues('ProposalKind').sort())
    expect([...ORGANISATION_KINDS].sort()).toEqual(enumValues('OrganisationKind').sort())
    for (const locale of ['ja', 'en'] as const) {
      const t = translator(locale)
      for (const k of PROPOSAL_KINDS) expect(t(`proposal.kind.${k}`)).toBeTruthy()
      for (const k of enumValues('ApplicantKind')) expect(t(`organisation.kind.${k}`)).toBeTruthy()
    }
  })
})
