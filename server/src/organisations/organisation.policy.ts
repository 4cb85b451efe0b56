import type { FilterQuery } from '@mikro-orm/core';
import { Role } from '../identity/account.entity.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import type { Organisation } from './organisation.entity.js';

/** The facts about an organisation that decide who may see and do what. */
export interface OrganisationFacts {
  id: string;
  verified: boolean;
  suspended: boolean;
}

export function organisationFactsOf(organisation: Organisation): OrganisationFacts {
  return { id: organisation.id, verified: organisation.verifiedAt !== null, suspended: organisation.suspendedAt !== null };
}

export type OrganisationAction = 'see' | 'invite' | 'revokeInvitation' | 'leave' | 'removeMember' | 'verify' | 'suspend' | 'reinstate';
export const ORGANISATION_ACTIONS: OrganisationAction[] = ['see', 'invite', 'revokeInvitation', 'leave', 'removeMember', 'verify', 'suspend', 'reinstate'];

/** A current member: a proposer account whose active membership (read this request) is this organisation. */
export function isMemberOf(viewer: Viewer, organisationId: string): boolean {
  return viewer.kind === 'account' && viewer.role === Role.PROPOSER && viewer.organisationId !== null && viewer.organisationId === organisationId;
}

/**
 * Who may do what to an organisation:
 * - see it (its details, members and pending invitations): the desk and its current members;
 *   nobody else — not the public, section staff, other organisations or former members.
 * - invite: a current member, while the organisation is not suspended.
 * - revoke an invitation, leave, remove another member: a current member. Any member may remove
 *   any other (there are no owner roles yet); the last member cannot leave (checked in the service,
 *   which knows the count).
 * - verify (確認済み): the desk, once. suspend: the desk, when not suspended; reinstate: the desk, when suspended.
 */
export function canActOnOrganisation(viewer: Viewer, facts: OrganisationFacts, action: OrganisationAction): boolean {
  const member = isMemberOf(viewer, facts.id);
  const desk = isDesk(viewer);
  switch (action) {
    case 'see':
      return desk || member;
    case 'invite':
      return member && !facts.suspended;
    case 'revokeInvitation':
    case 'leave':
    case 'removeMember':
      return member;
    case 'verify':
      return desk && !facts.verified;
    case 'suspend':
      return desk && !facts.suspended;
    case 'reinstate':
      return desk && facts.suspended;
  }
}

/** The 'see' rule as a query condition: lists and counts filter in SQL. */
export function organisationVisibilityFilter(viewer: Viewer): FilterQuery<Organisation> {
  if (isDesk(viewer)) return {};
  if (viewer.kind === 'account' && viewer.role === Role.PROPOSER && viewer.organisationId) return { id: viewer.organisationId };
  return { id: { $in: [] } };
}
