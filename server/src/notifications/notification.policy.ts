import { Role } from '../identity/account.entity.js';
import type { Viewer } from '../identity/viewer.js';
import { canSeeProposal, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { Audience } from '../shared/audience.js';

/**
 * Whether the viewer may read a thread now: whoever sees its proposal, except that an INTERNAL
 * thread is the ward's own (desk and matched sections), never the proposer's. The same rule as
 * meetings (canSeeMeeting); kept here so notifications and typing indicators need no other domain.
 */
export function canReadThreadNow(viewer: Viewer, proposal: ProposalVisibilityFacts, audience: Audience): boolean {
  if (!canSeeProposal(viewer, proposal)) return false;
  if (audience === Audience.SHARED) return true;
  return viewer.kind === 'account' && (viewer.role === Role.DESK || viewer.role === Role.SECTION);
}

/** Where a proposal opens for the viewer's role; null for someone with no proposal pages. */
export function proposalLinkFor(viewer: Viewer, proposalId: string): string | null {
  if (viewer.kind !== 'account') return null;
  if (viewer.role === Role.DESK) return `/desk/proposals/${proposalId}`;
  if (viewer.role === Role.SECTION) return `/section/proposals/${proposalId}`;
  if (viewer.role === Role.PROPOSER) return `/proposer/proposals/${proposalId}`;
  return null;
}

/** A possible recipient of a proposal's state notice, as read from the database. */
export interface CandidateRecipient {
  accountId: string;
  role: Role;
  sectionId: string | null;
  organisationId: string | null;
}

/**
 * Who is told that a proposal changed state: the candidates (members of its organisation, its
 * desk owner, staff of sections with an active match) who can see the proposal as it is now, but
 * never the person who made the change. Each once.
 */
export function stateNoticeRecipients(candidates: readonly CandidateRecipient[], proposal: ProposalVisibilityFacts, actorId: string | null): string[] {
  const chosen = new Set<string>();
  for (const candidate of candidates) {
    if (candidate.accountId === actorId) continue;
    const viewer: Viewer = { kind: 'account', accountId: candidate.accountId, role: candidate.role, sectionId: candidate.sectionId, organisationId: candidate.organisationId };
    if (canSeeProposal(viewer, proposal)) chosen.add(candidate.accountId);
  }
  return [...chosen].sort();
}
