import { describe, expect, it } from 'vitest'
import { clearLocalDrafts, decideAutosave, localDraftKey, parseLocalDraft, shouldRestoreLocal, type AutosaveState } from './autosave'
import { draftFingerprint, emptyProposalForm } from './proposalForm'

const empty = draftFingerprint(emptyProposalForm())
const typed = draftFingerprint({ ...emptyProposalForm(), title: '公園の活用' })

function state(partial: Partial<AutosaveState>): AutosaveState {
  return {
    proposalId: 'p1',
    inFlight: false,
    conflict: false,
    editable: true,
    savedFingerprint: empty,
    currentFingerprint: empty,
    emptyFingerprint: empty,
    failedFingerprint: null,
    ...partial,
  }
}

describe('decideAutosave', () => {
  it('creates the draft on the first typing, not before', () => {
    expect(decideAutosave(state({ proposalId: null, savedFingerprint: null }))).toBe('none')
    expect(decideAutosave(state({ proposalId: null, savedFingerprint: null, currentFingerprint: typed }))).toBe('create')
  })

  it('saves when the form differs from what the server holds, and only then', () => {
    expect(decideAutosave(state({ currentFingerprint: typed }))).toBe('save')
    expect(decideAutosave(state({ savedFingerprint: typed, currentFingerprint: typed }))).toBe('none')
  })

  it('waits while a write is in flight (never two at once, never a second create)', () => {
    expect(decideAutosave(state({ inFlight: true, currentFingerprint: typed }))).toBe('wait')
    expect(decideAutosave(state({ proposalId: null, inFlight: true, currentFingerprint: typed }))).toBe('wait')
  })

  it('stops after a conflict and for a read-only proposal', () => {
    expect(decideAutosave(state({ conflict: true, currentFingerprint: typed }))).toBe('none')
    expect(decideAutosave(state({ editable: false, currentFingerprint: typed }))).toBe('none')
  })

  it('does not retry a refused write until the form changes', () => {
    expect(decideAutosave(state({ currentFingerprint: typed, failedFingerprint: typed }))).toBe('none')
    const more = draftFingerprint({ ...emptyProposalForm(), title: '公園の活用（改）' })
    expect(decideAutosave(state({ currentFingerprint: more, failedFingerprint: typed }))).toBe('save')
  })
})

describe('the local copy', () => {
  it('is keyed by proposal id, or "new" before the draft exists', () => {
    expect(localDraftKey('abc')).toBe('renkei.proposalDraft.abc')
    expect(localDraftKey(null)).toBe('renkei.proposalDraft.new')
  })

  it('round-trips and ignores anything malformed', () => {
    const values = { ...emptyProposalForm(), title: 'x', hopedSectionIds: ['s1'] }
    const raw = JSON.stringify({ values, baseVersion: 3, createKey: null, savedAt: '2026-01-01T00:00:00Z' })
    expect(parseLocalDraft(raw)).toEqual({ values, baseVersion: 3, createKey: null, savedAt: '2026-01-01T00:00:00Z' })
    expect(parseLocalDraft(null)).toBeNull()
    expect(parseLocalDraft('not json')).toBeNull()
    expect(parseLocalDraft(JSON.stringify({ values: { ...values, kind: 'OTHER' } }))).toBeNull()
    expect(parseLocalDraft(JSON.stringify({ values: { ...values, title: 5 } }))).toBeNull()
    expect(parseLocalDraft(JSON.stringify({ values: { ...values, hopedSectionIds: [1] } }))).toBeNull()
  })

  it('is restored only over the very version it was typed on, and only when it differs', () => {
    const local = { values: emptyProposalForm(), baseVersion: 4, createKey: null, savedAt: '' }
    expect(shouldRestoreLocal(local, 4, empty, typed)).toBe(true)
    expect(shouldRestoreLocal(local, 4, typed, typed)).toBe(false)
    expect(shouldRestoreLocal(local, 5, empty, typed)).toBe(false)
    expect(shouldRestoreLocal({ ...local, baseVersion: null }, 4, empty, typed)).toBe(false)
    expect(shouldRestoreLocal(null, 4, empty, typed)).toBe(false)
  })
})

describe('clearLocalDrafts', () => {
  it('removes only the stored proposal copies', () => {
    const data = new Map<string, string>([
      ['renkei.proposalDraft.new', '{}'],
      ['renkei.proposalDraft.p1', '{}'],
      ['renkei.locale', 'en'],
      ['renkei.proposalDraftOwner', 'a1'],
    ])
    const storage = {
      get length() {
        return data.size
      },
      key: (i: number) => [...data.keys()][i] ?? null,
      removeItem: (k: string) => void data.delete(k),
    }
    clearLocalDrafts(storage)
    expect([...data.keys()]).toEqual(['renkei.locale'])
    clearLocalDrafts(undefined)
  })
})
