import { describe, expect, it } from 'vitest'
import { corporateNumberProblem, normaliseCorporateNumber } from './corporateNumber'

describe('法人番号', () => {
  it('accepts a real one, however it is typed', () => {
    expect(corporateNumberProblem('7000012050002')).toBeNull() // 国税庁
    expect(corporateNumberProblem('７０００-０１２０-５０００２')).toBeNull()
    expect(normaliseCorporateNumber('7 0000 1205 0002')).toBe('7000012050002')
    expect(corporateNumberProblem('')).toBeNull()
  })

  it('says what is wrong', () => {
    expect(corporateNumberProblem('7000012050003')).toBe('CHECK_DIGIT')
    expect(corporateNumberProblem('700001205000')).toBe('NOT_13_DIGITS')
    expect(corporateNumberProblem('70000120500ab')).toBe('NOT_13_DIGITS')
  })
})
