import { ChallengeStatus } from './challenge.entity.js';

/** What can be done to a challenge's lifecycle. Editing content is allowed in every state. */
export type ChallengeTransition = 'open' | 'close' | 'publish' | 'unpublish';

export interface ChallengeLifecycle {
  status: ChallengeStatus;
  published: boolean;
  hasOwningSection: boolean;
}

export type TransitionCheck = { ok: true } | { ok: false; reason: 'ILLEGAL_STATE' | 'NEEDS_OWNING_SECTION' | 'NEEDS_REASON' };

/**
 * The challenge lifecycle, pure:
 *   DRAFT ──open──▶ OPEN ──close──▶ CLOSED ──open──▶ OPEN (reopen)
 *   publish: a non-draft, unpublished challenge with an owning section becomes public
 *   unpublish: a published one is withdrawn from the public, with a reason
 */
export function checkTransition(state: ChallengeLifecycle, transition: ChallengeTransition, reason?: string): TransitionCheck {
  switch (transition) {
    case 'open':
      return state.status === ChallengeStatus.OPEN ? { ok: false, reason: 'ILLEGAL_STATE' } : { ok: true };
    case 'close':
      return state.status === ChallengeStatus.OPEN ? { ok: true } : { ok: false, reason: 'ILLEGAL_STATE' };
    case 'publish':
      if (state.published || state.status === ChallengeStatus.DRAFT) return { ok: false, reason: 'ILLEGAL_STATE' };
      if (!state.hasOwningSection) return { ok: false, reason: 'NEEDS_OWNING_SECTION' };
      return { ok: true };
    case 'unpublish':
      if (!state.published) return { ok: false, reason: 'ILLEGAL_STATE' };
      if (!reason || reason.trim() === '') return { ok: false, reason: 'NEEDS_REASON' };
      return { ok: true };
  }
}

export function nextStatus(current: ChallengeStatus, transition: ChallengeTransition): ChallengeStatus {
  if (transition === 'open') return ChallengeStatus.OPEN;
  if (transition === 'close') return ChallengeStatus.CLOSED;
  return current;
}
