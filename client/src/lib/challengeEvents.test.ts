import { describe, expect, it } from 'vitest'
import type { ChallengeDetailsFragment } from '../gql/graphql'
import { applyChallengeEvent, matchesFilter, type ChallengeConnection } from './challengeEvents'

function challenge(id: string, over: Partial<ChallengeDetailsFragment> = {}): ChallengeDetailsFragment {
  return {
    __typename: 'Challenge',
    id,
    title: `課題 ${id}`,
    description: '',
    background: '',
    owningSection: null,
    fields: [{ __typename: 'ChallengeField', code: 'bousai', nameJa: '防災', nameEn: 'Disaster prevention' }],
    status: 'OPEN',
    published: true,
    publishedAt: null,
    periodStart: null,
    periodEnd: null,
    contact: '',
    version: 1,
    updatedAt: '2026-01-01T00:00:00Z',
    viewerCan: { __typename: 'ChallengeAbilities', edit: false, open: false, close: false, publish: false, unpublish: false },
    ...over,
  }
}

function connection(...nodes: ChallengeDetailsFragment[]): ChallengeConnection {
  return {
    __typename: 'ChallengeConnection',
    edges: nodes.map((node) => ({ __typename: 'ChallengeEdge', cursor: `c-${node.id}`, node })),
    pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
    totalCount: nodes.length,
  }
}

const all = () => true
const ids = (c: ChallengeConnection) => c.edges.map((e) => e.node.id)

describe('applyChallengeEvent', () => {
  it('puts a new visible challenge first and counts it', () => {
    const { connection: next, change } = applyChallengeEvent(connection(challenge('1')), { challengeId: '2', challenge: challenge('2') }, all)
    expect(change).toBe('added')
    expect(ids(next)).toEqual(['2', '1'])
    expect(next.totalCount).toBe(2)
  })

  it('replaces a listed challenge in place', () => {
    const before = connection(challenge('1'), challenge('2'), challenge('3'))
    const updated = challenge('2', { title: '新しい題', version: 2 })
    const { connection: next, change } = applyChallengeEvent(before, { challengeId: '2', challenge: updated }, all)
    expect(change).toBe('updated')
    expect(ids(next)).toEqual(['1', '2', '3'])
    expect(next.edges[1]!.node.title).toBe('新しい題')
    expect(next.edges[1]!.cursor).toBe('c-2')
    expect(next.totalCount).toBe(3)
    // the input is not mutated
    expect(before.edges[1]!.node.title).toBe('課題 2')
  })

  it('removes a challenge the viewer may no longer see (challenge null)', () => {
    const { connection: next, change } = applyChallengeEvent(connection(challenge('1'), challenge('2')), { challengeId: '1', challenge: null }, all)
    expect(change).toBe('removed')
    expect(ids(next)).toEqual(['2'])
    expect(next.totalCount).toBe(1)
  })

  it('removes a challenge that no longer matches the list filter', () => {
    const board = matchesFilter({ published: true })
    const { connection: next, change } = applyChallengeEvent(
      connection(challenge('1'), challenge('2')),
      { challengeId: '2', challenge: challenge('2', { published: false }) },
      board,
    )
    expect(change).toBe('removed')
    expect(ids(next)).toEqual(['1'])
  })

  it('ignores events about challenges that are neither listed nor matching', () => {
    const before = connection(challenge('1'))
    const board = matchesFilter({ published: true })
    expect(applyChallengeEvent(before, { challengeId: '9', challenge: null }, all)).toEqual({ connection: before, change: 'none' })
    expect(
      applyChallengeEvent(before, { challengeId: '9', challenge: challenge('9', { published: false }) }, board).change,
    ).toBe('none')
  })
})

describe('matchesFilter', () => {
  it('mirrors the server filter: status, published, field', () => {
    const c = challenge('1', { status: 'CLOSED', published: true })
    expect(matchesFilter(null)(c)).toBe(true)
    expect(matchesFilter({ published: true })(c)).toBe(true)
    expect(matchesFilter({ status: 'OPEN' })(c)).toBe(false)
    expect(matchesFilter({ fieldCode: 'bousai' })(c)).toBe(true)
    expect(matchesFilter({ fieldCode: 'kosodate' })(c)).toBe(false)
    expect(matchesFilter({ fieldCode: '' })(c)).toBe(true)
  })
})
