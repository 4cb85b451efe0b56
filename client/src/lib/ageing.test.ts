import { describe, expect, it } from 'vitest'
import type { ProposalSummaryFragment } from '../gql/graphql'
import { matchesProposalFilter } from './proposalFilter'
import { AGEING_STAGES, ageingBadgeText, formatChangedAt, overTargetFromQuery, parseTargetInput, stageLabelKey, withOverTarget } from './ageing'

describe('AGEING_STAGES', () => {
  it('lists every stage once, in the order a proposal meets them', () => {
    expect(AGEING_STAGES).toEqual(['INTAKE', 'REVIEW', 'DIALOGUE', 'MATCH_ANSWER', 'START_OF_WORK'])
    expect(stageLabelKey('MATCH_ANSWER')).toBe('ageing.stage.MATCH_ANSWER')
  })
})

describe('parseTargetInput', () => {
  it.each([
    ['5', 5],
    [' 40 ', 40],
    ['1', 1],
    ['365', 365],
    ['１０', 10],
  ])('accepts %j as %i business days', (text, value) => {
    expect(parseTargetInput(text)).toEqual({ ok: true, value })
  })

  it('asks for a value when empty', () => {
    expect(parseTargetInput('  ')).toEqual({ ok: false, code: 'REQUIRED' })
  })

  it.each(['0', '366', '-3', '2.5', 'five', '1e2'])('refuses %j', (text) => {
    expect(parseTargetInput(text)).toEqual({ ok: false, code: 'INVALID' })
  })
})

describe('ageingBadgeText', () => {
  it('says how long against the target, and flags what is over it', () => {
    expect(ageingBadgeText({ businessDays: 7, targetBusinessDays: 5, overTarget: true })).toEqual({ key: 'ageing.badge.over', named: { n: 7, target: 5 }, over: true })
    expect(ageingBadgeText({ businessDays: 5, targetBusinessDays: 5, overTarget: false })).toEqual({ key: 'ageing.badge.within', named: { n: 5, target: 5 }, over: false })
  })

  it('is null when nothing waits', () => {
    expect(ageingBadgeText(null)).toBeNull()
    expect(ageingBadgeText(undefined)).toBeNull()
  })
})

describe('withOverTarget', () => {
  it('adds overTarget only when the toggle is on, keeping the other filters', () => {
    expect(withOverTarget(null, false)).toBeNull()
    expect(withOverTarget(null, true)).toEqual({ overTarget: true })
    expect(withOverTarget({ kind: 'FREE' }, true)).toEqual({ kind: 'FREE', overTarget: true })
    expect(withOverTarget({ kind: 'FREE' }, false)).toEqual({ kind: 'FREE' })
  })

  it('reads the toggle from the URL', () => {
    expect(overTargetFromQuery('1')).toBe(true)
    expect(overTargetFromQuery(undefined)).toBe(false)
    expect(overTargetFromQuery(['1'])).toBe(false)
  })
})

describe('formatChangedAt', () => {
  it('shows the time in Japan whatever the browser’s zone', () => {
    expect(formatChangedAt('2026-11-24T01:05:00Z', 'ja')).toBe('2026/11/24 10:05')
    expect(formatChangedAt('2026-11-24T01:05:00Z', 'en')).toMatch(/Nov 24, 2026.*10:05\sAM/)
    expect(formatChangedAt('not a date', 'ja')).toBe('not a date')
  })
})

describe('the live intake list with "over target only"', () => {
  it('keeps only rows flagged over target (a live event must not slip one in)', () => {
    const row = (overTarget: boolean | null) =>
      ({ state: 'SUBMITTED', kind: 'FREE', challenge: null, organisation: { kind: 'NPO' }, ageing: overTarget === null ? null : { businessDays: 7, targetBusinessDays: 5, overTarget } }) as unknown as ProposalSummaryFragment
    const onlyOver = matchesProposalFilter(withOverTarget(null, true))
    expect(onlyOver(row(true))).toBe(true)
    expect(onlyOver(row(false))).toBe(false)
    expect(onlyOver(row(null))).toBe(false)
    expect(matchesProposalFilter(withOverTarget(null, false))(row(false))).toBe(true)
  })
})
