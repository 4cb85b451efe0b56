import { MatchState } from './match.entity.js';

/** What can happen to a match. Being named lead is not a state change: see setLeadSection. */
export type MatchTransitionName = 'accept' | 'decline' | 'withdraw';

export const MATCH_TRANSITIONS: readonly MatchTransitionName[] = ['accept', 'decline', 'withdraw'];

/** Who makes a transition: staff of the match's own section, or the desk. */
export type MatchActor = 'section' | 'desk';

export interface MatchTransitionRule {
  from: readonly MatchState[];
  to: MatchState;
  actor: MatchActor;
  needsReason: boolean;
}

const { PENDING, ACCEPTED, DECLINED, WITHDRAWN } = MatchState;

/** A match that gives its section access to the proposal. */
export const ACTIVE_MATCH_STATES: readonly MatchState[] = [PENDING, ACCEPTED];

export function isActiveMatchState(state: MatchState): boolean {
  return ACTIVE_MATCH_STATES.includes(state);
}

/**
 * The match lifecycle, pure:
 *   (matchProposal, desk) ──▶ PENDING ──accept (the section)──▶ ACCEPTED
 *   PENDING ──decline (the section, reason)──▶ DECLINED
 *   PENDING | ACCEPTED ──withdraw (desk, reason)──▶ WITHDRAWN
 * DECLINED and WITHDRAWN are final; the desk may match the section again, which makes a new match.
 */
export const MATCH_TRANSITION_RULES: Readonly<Record<MatchTransitionName, MatchTransitionRule>> = {
  accept: { from: [PENDING], to: ACCEPTED, actor: 'section', needsReason: false },
  decline: { from: [PENDING], to: DECLINED, actor: 'section', needsReason: true },
  withdraw: { from: [PENDING, ACCEPTED], to: WITHDRAWN, actor: 'desk', needsReason: true },
};

export type MatchTransitionCheck = { ok: true; to: MatchState } | { ok: false; reason: 'ILLEGAL_STATE' };

/** Whether the state allows the transition, and where it leads. Who makes it is the policy's job. */
export function checkMatchTransition(state: MatchState, transition: MatchTransitionName): MatchTransitionCheck {
  const rule = MATCH_TRANSITION_RULES[transition];
  return rule.from.includes(state) ? { ok: true, to: rule.to } : { ok: false, reason: 'ILLEGAL_STATE' };
}

export interface LeadCandidate {
  sectionId: string;
  state: MatchState;
  createdAt: Date;
}

/**
 * Who leads once the lead's match ends (declined or withdrawn) and other active matches remain:
 * the longest-standing ACCEPTED one, else the longest-standing PENDING one; null when none is
 * left. The desk can name another lead at any time.
 */
export function successorLead(remaining: readonly LeadCandidate[]): string | null {
  const byAge = (a: LeadCandidate, b: LeadCandidate) => a.createdAt.getTime() - b.createdAt.getTime() || a.sectionId.localeCompare(b.sectionId);
  const accepted = remaining.filter((m) => m.state === ACCEPTED).sort(byAge);
  const pending = remaining.filter((m) => m.state === PENDING).sort(byAge);
  return accepted[0]?.sectionId ?? pending[0]?.sectionId ?? null;
}

