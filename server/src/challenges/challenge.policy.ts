import type { FilterQuery } from '@mikro-orm/core';
import { Role } from '../identity/account.entity.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import { ChallengeStatus, type Challenge } from './challenge.entity.js';
import { checkTransition, type ChallengeTransition } from './challenge.state.js';

/** The facts about a challenge that decide who sees it. */
export interface ChallengeVisibilityFacts {
  status: ChallengeStatus;
  published: boolean;
  owningSectionId: string | null;
}

export function visibilityFactsOf(challenge: Challenge): ChallengeVisibilityFacts {
  return { status: challenge.status, published: challenge.publishedAt !== null, owningSectionId: challenge.owningSection?.id ?? null };
}

/**
 * Who sees a challenge: the desk, every one; its owning section (所管課), its own; everyone else
 * (the public, proposers, other sections), only published ones that are not drafts.
 */
export function canSeeChallenge(viewer: Viewer, facts: ChallengeVisibilityFacts): boolean {
  if (isDesk(viewer)) return true;
  if (viewer.kind === 'account' && viewer.role === Role.SECTION && viewer.sectionId !== null && viewer.sectionId === facts.owningSectionId) return true;
  return facts.published && facts.status !== ChallengeStatus.DRAFT;
}

/** The same rule as canSeeChallenge, as a query condition: lists and counts filter in SQL. */
export function challengeVisibilityFilter(viewer: Viewer): FilterQuery<Challenge> {
  if (isDesk(viewer)) return {};
  const publicRule: FilterQuery<Challenge> = { publishedAt: { $ne: null }, status: { $ne: ChallengeStatus.DRAFT } };
  if (viewer.kind === 'account' && viewer.role === Role.SECTION && viewer.sectionId !== null) {
    return { $or: [publicRule, { owningSection: viewer.sectionId }] };
  }
  return publicRule;
}

export function canCreateChallenge(viewer: Viewer): boolean {
  return isDesk(viewer);
}

/** Content edits: the desk only (sections propose changes through the desk for now). */
export function canEditChallenge(viewer: Viewer): boolean {
  return isDesk(viewer);
}

/** Whether the viewer may make this transition now: the role and the state machine both agree. */
export function canTransitionChallenge(viewer: Viewer, facts: ChallengeVisibilityFacts, transition: ChallengeTransition): boolean {
  if (!isDesk(viewer)) return false;
  // A reason is asked for at the moment of unpublishing; here only the state matters.
  const check = checkTransition({ status: facts.status, published: facts.published, hasOwningSection: facts.owningSectionId !== null }, transition, 'x');
  return check.ok;
}
