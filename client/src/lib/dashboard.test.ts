import { describe, expect, it } from 'vitest'
import { debounced, fiscalYearFromQuery, fiscalYearOf, fiscalYearOptions, formatRate, monthLabel, movesFigures } from './dashboard'
import { vi } from 'vitest'

describe('dashboard helpers', () => {
  it('fiscal years turn on 1 April 00:00 in Tokyo', () => {
    expect(fiscalYearOf(new Date('2027-03-31T14:59:59Z'))).toBe(2026)
    expect(fiscalYearOf(new Date('2027-03-31T15:00:00Z'))).toBe(2027)
  })

  it('offers 2000 to next year and reads only those from the URL', () => {
    const now = new Date('2026-11-24T00:00:00Z')
    expect(fiscalYearOptions(now)[0]).toBe(2027)
    expect(fiscalYearOptions(now).at(-1)).toBe(2000)
    expect(fiscalYearFromQuery('2025', now)).toBe(2025)
    expect(fiscalYearFromQuery('1999', now)).toBeNull()
    expect(fiscalYearFromQuery('2028', now)).toBeNull()
    expect(fiscalYearFromQuery(undefined, now)).toBeNull()
  })

  it('refreshes on events that move figures only', () => {
    expect(movesFigures('SUBMITTED')).toBe(true)
    expect(movesFigures('MATCH_ACCEPTED')).toBe(true)
    expect(movesFigures('MEETING_SCHEDULED')).toBe(false)
  })

  it('formats rates and months', () => {
    expect(formatRate(null, 'ja')).toBe('—')
    expect(formatRate(0.5, 'en')).toBe('50%')
    expect(monthLabel('2026-04', 'en')).toBe('Apr')
  })

  it('debounces a burst into one call', () => {
    vi.useFakeTimers()
    const fn = vi.fn()
    const d = debounced(fn, 100)
    d.call()
    d.call()
    vi.advanceTimersByTime(150)
    expect(fn).toHaveBeenCalledTimes(1)
    vi.useRealTimers()
  })
})
