import { Role } from '../identity/account.entity.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { canSeeProposal, isMemberOf, type ProposalActorFacts } from '../proposals/proposal.policy.js';
import { CaseState } from './public-case.entity.js';

/** The case's state, or null while the desk has not composed one. */
export type CaseStateOrNone = CaseState | null;

/** Staff of a section whose match is ACCEPTED (lead or supporting): they follow the case's status. */
function isAcceptedSectionStaff(viewer: Viewer, facts: ProposalActorFacts): boolean {
  return viewer.kind === 'account' && viewer.role === Role.SECTION && viewer.sectionId !== null && (facts.acceptedSectionIds ?? []).includes(viewer.sectionId);
}

/** The proposer: a member of the proposal's organisation now (any colleague may consent for it). */
export function isCaseProposer(viewer: Viewer, facts: ProposalActorFacts): boolean {
  return isMemberOf(viewer, facts.organisationId) && canSeeProposal(viewer, facts);
}

/** The desk: it composes, publishes and withdraws the case page (事例). */
export function isCasePublisher(viewer: Viewer, facts: ProposalActorFacts): boolean {
  return isDesk(viewer) && canSeeProposal(viewer, facts);
}

/**
 * Who reads the case page and its state (the draft included): the desk, the proposer (who
 * consents to it) and staff of ACCEPTED sections (who follow its status). A section whose match
 * is only PENDING, another organisation, the public: nobody else (the public reads the portal).
 */
export function canReadCase(viewer: Viewer, facts: ProposalActorFacts): boolean {
  if (!canSeeProposal(viewer, facts)) return false;
  return isDesk(viewer) || isMemberOf(viewer, facts.organisationId) || isAcceptedSectionStaff(viewer, facts);
}

/** The preview (what the public would see): the desk, who composes it, and the proposer, who consents to it. */
export function canPreviewCase(viewer: Viewer, facts: ProposalActorFacts): boolean {
  return isCasePublisher(viewer, facts) || isCaseProposer(viewer, facts);
}

/**
 * Composing (creating or editing the draft): the desk, once the report is accepted (REPORTED),
 * while the case is not PUBLISHED — a published page is withdrawn first, then edited and
 * published again.
 */
export function canComposeCase(viewer: Viewer, facts: ProposalActorFacts, state: CaseStateOrNone): boolean {
  return isCasePublisher(viewer, facts) && facts.state === ProposalState.REPORTED && state !== CaseState.PUBLISHED;
}

/** Giving or withdrawing consent (公表への同意): the proposer, once a case is composed, until it is published. */
export function canChangeCaseConsent(viewer: Viewer, facts: ProposalActorFacts, state: CaseStateOrNone): boolean {
  return isCaseProposer(viewer, facts) && facts.state === ProposalState.REPORTED && state !== null && state !== CaseState.PUBLISHED;
}

/**
 * Publishing: the desk, while REPORTED and the case is a DRAFT or WITHDRAWN (re-publication).
 * What the page needs (consent, title, summary, blocks, nothing protected) is validation's job.
 */
export function canPublishCase(viewer: Viewer, facts: ProposalActorFacts, state: CaseStateOrNone): boolean {
  return isCasePublisher(viewer, facts) && facts.state === ProposalState.REPORTED && (state === CaseState.DRAFT || state === CaseState.WITHDRAWN);
}

/** Withdrawing from the portal (公開取下げ, with a reason): the desk, while PUBLISHED. */
export function canWithdrawCase(viewer: Viewer, facts: ProposalActorFacts, state: CaseStateOrNone): boolean {
  return isCasePublisher(viewer, facts) && facts.state === ProposalState.PUBLISHED && state === CaseState.PUBLISHED;
}
