import { describe, expect, it } from 'vitest'
import { draftFingerprint, emptyProposalForm, formToDraftInput, parseYen } from './proposalForm'

describe('the proposal form', () => {
  it('preselects the challenge from ?challenge=', () => {
    expect(emptyProposalForm('c1')).toMatchObject({ kind: 'CHALLENGE', challengeId: 'c1' })
    expect(emptyProposalForm()).toMatchObject({ kind: 'FREE', challengeId: '' })
  })

  it('reads yen as people type them', () => {
    expect(parseYen('500000')).toBe(500000)
    expect(parseYen('1,200,000円')).toBe(1200000)
    expect(parseYen('１２０００')).toBe(12000)
    expect(parseYen('')).toBeNull()
    expect(parseYen('約10万')).toBeNull()
  })

  it('sends no challenge for a free proposal and no estimate without a cost', () => {
    const v = { ...emptyProposalForm('c1'), kind: 'FREE' as const, wardCostEstimate: '100', wardCostReason: 'r' }
    expect(formToDraftInput(v)).toMatchObject({ kind: 'FREE', challengeId: null, wardCost: 'NONE', wardCostEstimate: null, wardCostReason: '' })
    const cost = { ...emptyProposalForm('c1'), wardCost: 'ESTIMATE' as const, wardCostEstimate: '100,000', wardCostReason: 'r' }
    expect(formToDraftInput(cost)).toMatchObject({ challengeId: 'c1', wardCostEstimate: 100000, wardCostReason: 'r' })
  })

  it('fingerprints what would be saved (section order does not matter)', () => {
    const a = { ...emptyProposalForm(), hopedSectionIds: ['s1', 's2'] }
    const b = { ...emptyProposalForm(), hopedSectionIds: ['s2', 's1'] }
    expect(draftFingerprint(a)).toBe(draftFingerprint(b))
    expect(draftFingerprint(a)).not.toBe(draftFingerprint({ ...a, title: 'x' }))
    // An estimate typed while "no cost" is chosen is not sent, so it is not a change.
    expect(draftFingerprint(a)).toBe(draftFingerprint({ ...a, wardCostEstimate: '5' }))
  })
})
