import type { ProposalEventsSubscription, ProposalSummaryFragment, ProposalsQuery } from '../gql/graphql'
import type { ListChange } from './challengeEvents'

export type ProposalConnection = ProposalsQuery['proposals']
export type ProposalEvent = ProposalEventsSubscription['proposalEvents']

/** Sort key of the intake queue: oldest submission first, never-submitted drafts last. */
function submittedKey(p: ProposalSummaryFragment): number {
  return p.submittedAt ? Date.parse(p.submittedAt) : Number.POSITIVE_INFINITY
}

/**
 * Applies one ProposalEvent to a cached connection (never mutating):
 * - `proposal` null (no longer visible) or no longer matching: remove it;
 * - already listed: replace it in place;
 * - new and matching: insert it where the order puts it (`oldestFirst`) or first.
 */
export function applyProposalEvent(
  connection: ProposalConnection,
  event: { proposalId: string; proposal?: ProposalSummaryFragment | null },
  matches: (p: ProposalSummaryFragment) => boolean,
  oldestFirst = true,
): { connection: ProposalConnection; change: ListChange } {
  const index = connection.edges.findIndex((e) => e.node.id === event.proposalId)
  const proposal = event.proposal ?? null
  if (!proposal || !matches(proposal)) {
    if (index === -1) return { connection, change: 'none' }
    return {
      connection: {
        ...connection,
        edges: connection.edges.filter((_, i) => i !== index),
        totalCount: Math.max(0, connection.totalCount - 1),
      },
      change: 'removed',
    }
  }
  if (index !== -1) {
    const edges = connection.edges.slice()
    edges[index] = { ...edges[index]!, node: proposal }
    return { connection: { ...connection, edges }, change: 'updated' }
  }
  const edge = { __typename: 'ProposalEdge' as const, cursor: `live:${proposal.id}`, node: proposal }
  let at = 0
  if (oldestFirst) {
    const key = submittedKey(proposal)
    at = connection.edges.findIndex((e) => submittedKey(e.node) > key)
    // Past the end of a page that has more: leave it to the next page rather than show it out of order.
    if (at === -1) {
      if (connection.pageInfo.hasNextPage) return { connection: { ...connection, totalCount: connection.totalCount + 1 }, change: 'added' }
      at = connection.edges.length
    }
  }
  const edges = connection.edges.slice()
  edges.splice(at, 0, edge)
  return { connection: { ...connection, edges, totalCount: connection.totalCount + 1 }, change: 'added' }
}
