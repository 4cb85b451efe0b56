import { describe, expect, it } from 'vitest'
import type { ProposalSummaryFragment } from '../gql/graphql'
import { applyProposalEvent, type ProposalConnection } from './proposalEvents'

function p(id: string, submittedAt: string | null, extra: Partial<ProposalSummaryFragment> = {}): ProposalSummaryFragment {
  return {
    __typename: 'Proposal',
    id,
    referenceNumber: null,
    title: id,
    state: 'SUBMITTED',
    kind: 'FREE',
    awaiting: 'DESK',
    changeRequestNote: null,
    submittedAt,
    daysSinceSubmission: 0,
    ageing: null,
    updatedAt: '2026-05-01T00:00:00Z',
    version: 1,
    challenge: null,
    organisation: { __typename: 'ProposalOrganisation', id: 'o', name: 'o', kind: 'NPO' },
    ...extra,
  }
}

function conn(nodes: ProposalSummaryFragment[], hasNextPage = false): ProposalConnection {
  return {
    __typename: 'ProposalConnection',
    edges: nodes.map((n) => ({ __typename: 'ProposalEdge', cursor: n.id, node: n })),
    pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor: null },
    totalCount: nodes.length,
  }
}

const all = () => true

describe('applyProposalEvent', () => {
  const a = p('a', '2026-05-01T00:00:00Z')
  const c = p('c', '2026-05-03T00:00:00Z')

  it('inserts a new submission where the oldest-first order puts it', () => {
    const b = p('b', '2026-05-02T00:00:00Z')
    const out = applyProposalEvent(conn([a, c]), { proposalId: 'b', proposal: b }, all)
    expect(out.change).toBe('added')
    expect(out.connection.edges.map((e) => e.node.id)).toEqual(['a', 'b', 'c'])
    expect(out.connection.totalCount).toBe(3)
    const newest = applyProposalEvent(conn([a, c]), { proposalId: 'd', proposal: p('d', '2026-05-09T00:00:00Z') }, all)
    expect(newest.connection.edges.map((e) => e.node.id)).toEqual(['a', 'c', 'd'])
  })

  it('leaves a newest one to the next page when there is one, but counts it', () => {
    const out = applyProposalEvent(conn([a, c], true), { proposalId: 'd', proposal: p('d', '2026-05-09T00:00:00Z') }, all)
    expect(out.connection.edges.map((e) => e.node.id)).toEqual(['a', 'c'])
    expect(out.connection.totalCount).toBe(3)
  })

  it('puts it first for other orders', () => {
    const out = applyProposalEvent(conn([a, c]), { proposalId: 'd', proposal: p('d', null) }, all, false)
    expect(out.connection.edges.map((e) => e.node.id)).toEqual(['d', 'a', 'c'])
  })

  it('replaces a listed one, and removes one that is gone or no longer matches', () => {
    const updated = applyProposalEvent(conn([a, c]), { proposalId: 'a', proposal: { ...a, state: 'UNDER_REVIEW' } }, all)
    expect(updated.change).toBe('updated')
    expect(updated.connection.edges[0]!.node.state).toBe('UNDER_REVIEW')
    expect(applyProposalEvent(conn([a, c]), { proposalId: 'a', proposal: null }, all).connection.edges.map((e) => e.node.id)).toEqual(['c'])
    const onlySubmitted = (x: ProposalSummaryFragment) => x.state === 'SUBMITTED'
    const moved = applyProposalEvent(conn([a, c]), { proposalId: 'a', proposal: { ...a, state: 'UNDER_REVIEW' } }, onlySubmitted)
    expect(moved.change).toBe('removed')
    expect(applyProposalEvent(conn([a]), { proposalId: 'z', proposal: null }, all).change).toBe('none')
  })
})
