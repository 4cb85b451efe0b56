import { ProposalState } from './proposal.entity.js';

/** What can be done to a proposal's lifecycle (DESIGN.md §3). Editing the content is not a transition. */
export type ProposalTransitionName = 'submit' | 'acceptForReview' | 'return' | 'requestChanges' | 'startDialogue' | 'markNotRealized' | 'withdraw' | 'agree' | 'startWork' | 'acceptReport' | 'publish' | 'withdrawPublication';

export const PROPOSAL_TRANSITIONS: readonly ProposalTransitionName[] = [
  'submit',
  'acceptForReview',
  'return',
  'requestChanges',
  'startDialogue',
  'markNotRealized',
  'withdraw',
  'agree',
  'startWork',
  'acceptReport',
  'publish',
  'withdrawPublication',
];

/**
 * Who may make a transition: a member of the proposal's organisation, the desk, or staff of the
 * section whose lead match (主担当課) is ACCEPTED.
 */
export type TransitionActor = 'member' | 'desk' | 'leadSection';

/**
 * What a transition needs besides the right state and actor: a reason, a note, the pledges; for
 * agree, the partnership decision (form, cost, term, scope, roles, indicators) and an ACCEPTED
 * lead-section match.
 */
export type TransitionNeed = 'reason' | 'note' | 'pledges' | 'decision' | 'acceptedLead' | 'submittedReport' | 'consentedCase';

export interface TransitionRule {
  from: readonly ProposalState[];
  to: ProposalState;
  actor: TransitionActor;
  needs: readonly TransitionNeed[];
}

const { DRAFT, SUBMITTED, UNDER_REVIEW, IN_DIALOGUE, AGREED, IN_PROGRESS, REPORTED, PUBLISHED, RETURNED, NOT_REALIZED, WITHDRAWN } = ProposalState;

/**
 * The proposal lifecycle, pure:
 *   DRAFT ──submit (member, pledges + complete)──▶ SUBMITTED ──acceptForReview (desk)──▶ UNDER_REVIEW ──startDialogue (desk)──▶ IN_DIALOGUE
 *   SUBMITTED | UNDER_REVIEW ──return (desk, reason: 対象外)──▶ RETURNED
 *   SUBMITTED | UNDER_REVIEW ──requestChanges (desk, note; the submitted content is kept as a revision)──▶ DRAFT
 *   UNDER_REVIEW | IN_DIALOGUE ──markNotRealized (desk, reason: 見送り)──▶ NOT_REALIZED
 *   DRAFT | SUBMITTED | UNDER_REVIEW | IN_DIALOGUE ──withdraw (member, reason optional)──▶ WITHDRAWN
 *   IN_DIALOGUE ──agree (desk, the decision + an ACCEPTED lead match)──▶ AGREED
 *   AGREED ──startWork (staff of the ACCEPTED lead section only)──▶ IN_PROGRESS
 *   IN_PROGRESS ──acceptReport (desk, a SUBMITTED implementation report 実施報告書)──▶ REPORTED
 *   REPORTED ──publish (desk, a composed case page 事例 with the proposer's consent)──▶ PUBLISHED
 *   PUBLISHED ──withdrawPublication (desk, reason: 公開取下げ)──▶ REPORTED (publishable again)
 *
 * Withdraw is never allowed from AGREED on: once agreed, ending it is the desk's decision.
 * acceptReport is made only by the reports domain, when the desk accepts the lead section's
 * report (reports/report.service.ts); publish and withdrawPublication only by the publication
 * domain (publication/case.service.ts), with the case page. RETURNED, NOT_REALIZED and WITHDRAWN are final.
 */
export const TRANSITION_RULES: Readonly<Record<ProposalTransitionName, TransitionRule>> = {
  submit: { from: [DRAFT], to: SUBMITTED, actor: 'member', needs: ['pledges'] },
  acceptForReview: { from: [SUBMITTED], to: UNDER_REVIEW, actor: 'desk', needs: [] },
  return: { from: [SUBMITTED, UNDER_REVIEW], to: RETURNED, actor: 'desk', needs: ['reason'] },
  requestChanges: { from: [SUBMITTED, UNDER_REVIEW], to: DRAFT, actor: 'desk', needs: ['note'] },
  startDialogue: { from: [UNDER_REVIEW], to: IN_DIALOGUE, actor: 'desk', needs: [] },
  markNotRealized: { from: [UNDER_REVIEW, IN_DIALOGUE], to: NOT_REALIZED, actor: 'desk', needs: ['reason'] },
  withdraw: { from: [DRAFT, SUBMITTED, UNDER_REVIEW, IN_DIALOGUE], to: WITHDRAWN, actor: 'member', needs: [] },
  agree: { from: [IN_DIALOGUE], to: AGREED, actor: 'desk', needs: ['decision', 'acceptedLead'] },
  startWork: { from: [AGREED], to: IN_PROGRESS, actor: 'leadSection', needs: [] },
  acceptReport: { from: [IN_PROGRESS], to: REPORTED, actor: 'desk', needs: ['submittedReport'] },
  publish: { from: [REPORTED], to: PUBLISHED, actor: 'desk', needs: ['consentedCase'] },
  withdrawPublication: { from: [PUBLISHED], to: REPORTED, actor: 'desk', needs: ['reason'] },
};

export type ProposalTransitionCheck = { ok: true; to: ProposalState } | { ok: false; reason: 'ILLEGAL_STATE' };

/** Whether the state allows the transition, and where it leads. Who makes it is the policy's job. */
export function checkProposalTransition(state: ProposalState, transition: ProposalTransitionName): ProposalTransitionCheck {
  const rule = TRANSITION_RULES[transition];
  return rule.from.includes(state) ? { ok: true, to: rule.to } : { ok: false, reason: 'ILLEGAL_STATE' };
}

/** What the proposal waits for: the proposer (a draft, also after changes were asked), the desk, or nobody. */
export type Awaiting = 'PROPOSER' | 'DESK' | 'NONE';

export function awaitingOf(state: ProposalState): Awaiting {
  if (state === DRAFT) return 'PROPOSER';
  if (state === SUBMITTED || state === UNDER_REVIEW || state === IN_DIALOGUE) return 'DESK';
  return 'NONE';
}
