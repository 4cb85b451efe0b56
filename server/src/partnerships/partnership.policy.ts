import { Role } from '../identity/account.entity.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { canSeeProposal, canTransition, type ProposalActorFacts, type ProposalFacts, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { PartnershipForm } from './partnership-decision.entity.js';

/**
 * Who sees the decision, the agreement record and the progress notes: whoever may see the
 * proposal (its members, the desk, staff of actively matched sections). They are only ever read
 * as fields of a proposal already read through proposalVisibilityFilter, so the SQL rule and this
 * one are the proposal's (proposal.policy.test.ts checks that they agree).
 */
export function canSeePartnership(viewer: Viewer, facts: ProposalVisibilityFacts): boolean {
  return canSeeProposal(viewer, facts);
}

/** Recording AGREED: the desk, while IN_DIALOGUE, once the lead section has ACCEPTED its match. */
export function canRecordAgreement(viewer: Viewer, facts: ProposalFacts): boolean {
  return canTransition(viewer, facts, 'agree') && (facts.acceptedLeadSectionId ?? null) !== null;
}

/** Starting the work (IN_PROGRESS): staff of the ACCEPTED lead section only, while AGREED. */
export function canStartWork(viewer: Viewer, facts: ProposalFacts): boolean {
  return canTransition(viewer, facts, 'startWork');
}

/** The states in which the partnership has been agreed. */
export const AGREED_OR_LATER: readonly ProposalState[] = [ProposalState.AGREED, ProposalState.IN_PROGRESS, ProposalState.REPORTED, ProposalState.PUBLISHED];

/** Recording the signed 協定書・契約書: the desk, once AGREED (or later), for a 協定 or a contract. */
export function canRecordAgreementDocument(viewer: Viewer, facts: ProposalVisibilityFacts, form: PartnershipForm | null): boolean {
  return isDesk(viewer) && canSeeProposal(viewer, facts) && AGREED_OR_LATER.includes(facts.state) && (form === PartnershipForm.AGREEMENT || form === PartnershipForm.CONTRACT);
}

/** Who may write progress notes (regardless of the state): the desk, and staff of a section with an ACCEPTED match (lead or supporting). */
export function isProgressAuthor(viewer: Viewer, facts: ProposalActorFacts): boolean {
  if (!canSeeProposal(viewer, facts)) return false;
  if (isDesk(viewer)) return true;
  return viewer.kind === 'account' && viewer.role === Role.SECTION && viewer.sectionId !== null && (facts.acceptedSectionIds ?? []).includes(viewer.sectionId);
}

/** Adding a progress note: a progress author, while IN_PROGRESS. */
export function canAddProgressNote(viewer: Viewer, facts: ProposalActorFacts): boolean {
  return isProgressAuthor(viewer, facts) && facts.state === ProposalState.IN_PROGRESS;
}

/**
 * Filing the signed PDF (協定書・契約書の原本) on the agreement record: the desk, once AGREED (or
 * later), and only after the record (title, parties, dates) exists — the file belongs to it.
 */
export function canFileAgreementDocument(viewer: Viewer, facts: ProposalVisibilityFacts, hasAgreementRecord: boolean): boolean {
  return isDesk(viewer) && canSeeProposal(viewer, facts) && AGREED_OR_LATER.includes(facts.state) && hasAgreementRecord;
}
