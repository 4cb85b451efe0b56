import type { RouteLocationRaw } from 'vue-router'
import type { Role, SearchKind } from '../gql/graphql'

export interface SearchHitLink {
  kind: SearchKind
  id: string
  proposalId?: string | null
  path: string
}

const WORKSPACE_ROUTE: Record<Role, string> = {
  DESK: 'desk-proposal',
  SECTION: 'section-proposal',
  PROPOSER: 'proposer-proposal',
}

/**
 * Where a hit is read: a case or a challenge on its public page; a proposal, and a message in its
 * dialogue, in the viewer's own workspace. The server's path is the fallback (e.g. unknown role).
 */
export function searchHitRoute(hit: SearchHitLink, role: Role | null | undefined): RouteLocationRaw {
  if (hit.kind === 'CHALLENGE') return { name: 'challenge', params: { id: hit.id } }
  if (hit.kind === 'CASE') return `/cases/${encodeURIComponent(hit.id)}`
  const proposalId = hit.proposalId ?? hit.id
  return role ? { name: WORKSPACE_ROUTE[role], params: { id: proposalId } } : hit.path
}
