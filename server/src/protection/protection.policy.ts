import { Role } from '../identity/account.entity.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { canSeeProposal, isMemberOf, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { ProtectionState } from './protection-request.entity.js';

/**
 * The proposal fields a proposer may ask to protect: everything they write in prose except the
 * title. The title is what the desk, mail, notifications and (once published) the portal name the
 * proposal by; a proposer who needs it hidden writes a neutral one. Structured facts (kind,
 * challenge, ward cost, hoped sections) are the desk's working data, not the proposer's idea.
 */
export const PROTECTABLE_FIELDS = ['wardIssue', 'content', 'expectedEffects', 'askOfWard', 'wardCostReason', 'ownResources', 'schedule'] as const;
export type ProtectableField = (typeof PROTECTABLE_FIELDS)[number];

export function isProtectableField(name: string): name is ProtectableField {
  return (PROTECTABLE_FIELDS as readonly string[]).includes(name);
}

/** The field names as the desk's register (and its CSV) says them: the form's own labels. */
export const FIELD_LABELS_JA: Record<ProtectableField, string> = {
  wardIssue: '解決したい課題',
  content: '提案内容',
  expectedEffects: '期待される効果',
  askOfWard: '区に求める協力',
  wardCostReason: '費用負担が必要な理由',
  ownResources: '提案者が提供する資源',
  schedule: 'スケジュール',
};

/**
 * When the proposer may ask: from submission on, while the partnership's record is open — the
 * dialogue, the work, the report and the published case (a request then takes the item off the
 * public page at once: publication/case.service.ts). Before submission nobody outside the
 * organisation sees the proposal (nothing to protect from, nobody to decide); once returned, not
 * realised or withdrawn, it is closed.
 */
export const PROTECTION_REQUEST_STATES: readonly ProposalState[] = [
  ProposalState.SUBMITTED,
  ProposalState.UNDER_REVIEW,
  ProposalState.IN_DIALOGUE,
  ProposalState.AGREED,
  ProposalState.IN_PROGRESS,
  ProposalState.REPORTED,
  ProposalState.PUBLISHED,
];

/** REQUESTED counts as protected until the desk decides; DECLINED does not. */
export function isProtectingState(state: ProtectionState): boolean {
  return state === ProtectionState.REQUESTED || state === ProtectionState.AGREED;
}

/** Who the proposer is: a member of the proposal's organisation now (colleagues included). */
export function isProposerOf(viewer: Viewer, facts: ProposalVisibilityFacts): boolean {
  return isMemberOf(viewer, facts.organisationId) && canSeeProposal(viewer, facts);
}

/** Asking for protection: the proposer (any member of its organisation), while the proposal is open. */
export function canRequestProtection(viewer: Viewer, facts: ProposalVisibilityFacts): boolean {
  return isProposerOf(viewer, facts) && PROTECTION_REQUEST_STATES.includes(facts.state);
}

/**
 * Whose messages the proposer may protect: those written on the proposer's side. Only members of
 * the proposal's organisation can write as proposers in its threads, so a PROPOSER author is a
 * member (then or now) — a colleague's message is the organisation's idea too, and one whose
 * author has since left stays protectable. Ward staff's messages are never the proposer's to protect.
 */
export function isProposerSideMessage(authorRole: Role | null): boolean {
  return authorRole === Role.PROPOSER;
}

/**
 * Deciding: the desk alone, on any proposal it sees and in any state — an undecided request keeps
 * the item protected, so the desk can always settle it, even after the proposal closed.
 */
export function canDecideProtection(viewer: Viewer, facts: ProposalVisibilityFacts): boolean {
  return isDesk(viewer) && canSeeProposal(viewer, facts);
}

/** The register (item, reason, who, when): everyone who sees the proposal — the same audience as the protected content. */
export function canSeeProtectionRegister(viewer: Viewer, facts: ProposalVisibilityFacts): boolean {
  return canSeeProposal(viewer, facts);
}

/** The CSV for an information-disclosure request (情報公開請求): the desk alone. */
export function canExportProtectionRegister(viewer: Viewer, facts: ProposalVisibilityFacts): boolean {
  return isDesk(viewer) && canSeeProposal(viewer, facts);
}
