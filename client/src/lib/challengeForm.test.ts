import { describe, expect, it } from 'vitest'
import { emptyChallengeForm, formToInput, inputFingerprint } from './challengeForm'
import { submissionFor } from './idempotency'

describe('formToInput', () => {
  it('sends empty optional choices as null and trims single-line text', () => {
    const input = formToInput({ ...emptyChallengeForm(), title: '  防災訓練のデジタル化 ', contact: ' 防災課 ' })
    expect(input).toEqual({
      title: '防災訓練のデジタル化',
      description: '',
      background: '',
      owningSectionId: null,
      fieldCodes: [],
      periodStart: null,
      periodEnd: null,
      contact: '防災課',
    })
  })

  it('keeps chosen values', () => {
    const input = formToInput({
      ...emptyChallengeForm(),
      owningSectionId: 's-1',
      fieldCodes: ['bousai'],
      periodStart: '2026-04-01',
      periodEnd: '2026-06-30',
    })
    expect(input).toMatchObject({ owningSectionId: 's-1', fieldCodes: ['bousai'], periodStart: '2026-04-01', periodEnd: '2026-06-30' })
  })
})

describe('submissionFor (idempotency key per submission)', () => {
  let n = 0
  const gen = () => `key-${++n}`

  it('reuses the key when the same submission is retried', () => {
    const fp = inputFingerprint(formToInput({ ...emptyChallengeForm(), title: 'A' }))
    const first = submissionFor(null, fp, gen)
    const retry = submissionFor(first, fp, gen)
    expect(retry.key).toBe(first.key)
  })

  it('uses a fresh key when the content changed', () => {
    const a = submissionFor(null, inputFingerprint(formToInput({ ...emptyChallengeForm(), title: 'A' })), gen)
    const b = submissionFor(a, inputFingerprint(formToInput({ ...emptyChallengeForm(), title: 'B' })), gen)
    expect(b.key).not.toBe(a.key)
  })

  it('treats field order as the same submission', () => {
    const fp1 = inputFingerprint(formToInput({ ...emptyChallengeForm(), fieldCodes: ['a', 'b'] }))
    const fp2 = inputFingerprint(formToInput({ ...emptyChallengeForm(), fieldCodes: ['b', 'a'] }))
    expect(fp1).toBe(fp2)
  })

  it('makes v4 UUIDs by default', () => {
    expect(submissionFor(null, 'x').key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
