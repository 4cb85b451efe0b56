// How a search's count reads (server/src/search: counts are exact up to a cap, then a lower bound).

export interface SearchCount {
  totalCount: number
  totalCountIsLowerBound: boolean
}

/** The message key and its number: "50件以上 / 50+" when there are more than the server counted. */
export function searchCountMessage(results: SearchCount): { key: 'search.count' | 'search.countAtLeast'; n: number } {
  return { key: results.totalCountIsLowerBound ? 'search.countAtLeast' : 'search.count', n: results.totalCount }
}

/** Whether more matched than the page shows (so the reader is told to narrow the search). */
export function searchHasMore(results: SearchCount, shown: number): boolean {
  return results.totalCountIsLowerBound || results.totalCount > shown
}
