import { describe, expect, it } from 'vitest'
import { searchCountMessage, searchHasMore } from './searchCount'

describe('searchCountMessage', () => {
  it('says an exact count as it is, and a capped one as "at least"', () => {
    expect(searchCountMessage({ totalCount: 12, totalCountIsLowerBound: false })).toEqual({ key: 'search.count', n: 12 })
    expect(searchCountMessage({ totalCount: 50, totalCountIsLowerBound: true })).toEqual({ key: 'search.countAtLeast', n: 50 })
  })
})

describe('searchHasMore', () => {
  it('is true when more matched than are shown, or the count is a lower bound', () => {
    expect(searchHasMore({ totalCount: 12, totalCountIsLowerBound: false }, 12)).toBe(false)
    expect(searchHasMore({ totalCount: 30, totalCountIsLowerBound: false }, 20)).toBe(true)
    expect(searchHasMore({ totalCount: 50, totalCountIsLowerBound: true }, 50)).toBe(true)
  })
})
