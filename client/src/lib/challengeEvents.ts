import type {
  ChallengeDetailsFragment,
  ChallengeEventsSubscription,
  ChallengeFilter,
  ChallengesQuery,
} from '../gql/graphql'

export type ChallengeConnection = ChallengesQuery['challenges']
export type ChallengeEvent = ChallengeEventsSubscription['challengeEvents']

/** What happened to a list when an event was applied, for a polite announcement. */
export type ListChange = 'added' | 'updated' | 'removed' | 'none'

export interface AppliedEvent {
  connection: ChallengeConnection
  change: ListChange
}

/**
 * The client-side mirror of the server's ChallengeFilter, used only to decide whether a live
 * event's challenge still belongs in a list that was fetched with that filter.
 */
export function matchesFilter(filter: ChallengeFilter | null | undefined): (c: ChallengeDetailsFragment) => boolean {
  return (c) => {
    if (!filter) return true
    if (filter.status != null && c.status !== filter.status) return false
    if (filter.published != null && c.published !== filter.published) return false
    if (filter.fieldCode != null && filter.fieldCode !== '' && !c.fields.some((f) => f.code === filter.fieldCode)) {
      return false
    }
    return true
  }
}

/**
 * Applies one ChallengeEvent to a cached connection, returning a new connection (never mutating).
 * - `challenge` null (the viewer may no longer see it) or no longer matching the filter: remove it.
 * - already listed: replace it in place.
 * - new and matching: put it first.
 */
export function applyChallengeEvent(
  connection: ChallengeConnection,
  event: Pick<ChallengeEvent, 'challengeId' | 'challenge'>,
  matches: (c: ChallengeDetailsFragment) => boolean,
): AppliedEvent {
  const index = connection.edges.findIndex((e) => e.node.id === event.challengeId)
  const challenge = event.challenge
  if (!challenge || !matches(challenge)) {
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
    const existing = edges[index]!
    edges[index] = { ...existing, node: challenge }
    return { connection: { ...connection, edges }, change: 'updated' }
  }
  return {
    connection: {
      ...connection,
      edges: [{ __typename: 'ChallengeEdge', cursor: `live:${challenge.id}`, node: challenge }, ...connection.edges],
      totalCount: connection.totalCount + 1,
    },
    change: 'added',
  }
}
