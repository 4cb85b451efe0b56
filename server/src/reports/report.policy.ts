import { Role } from '../identity/account.entity.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { canSeeProposal, isAcceptedLeadStaff, isMemberOf, type ProposalActorFacts } from '../proposals/proposal.policy.js';
import { ReportState } from './implementation-report.entity.js';

/** The report's state, or null while none has been started. */
export type ReportStateOrNone = ReportState | null;

/** The states in which the lead section (主担当課) writes: its draft, or the one the desk returned. */
export const EDITABLE_REPORT_STATES: readonly ReportState[] = [ReportState.DRAFT, ReportState.RETURNED];

function editable(report: ReportStateOrNone): boolean {
  return report !== null && EDITABLE_REPORT_STATES.includes(report);
}

/**
 * Who reads the report (実施報告書), in every state: whoever sees the proposal — its
 * organisation's members, the desk, staff of actively matched sections. Nobody else. It is only
 * ever read as a field of a proposal already read through proposalVisibilityFilter.
 */
export function canReadReport(viewer: Viewer, facts: ProposalActorFacts): boolean {
  return canSeeProposal(viewer, facts);
}

/** Whether the viewer is the report's writer: staff of the ACCEPTED lead section (regardless of states). */
export function isReportWriter(viewer: Viewer, facts: ProposalActorFacts): boolean {
  return isAcceptedLeadStaff(viewer, facts) && canSeeProposal(viewer, facts);
}

/** Starting the report: the writer, while the proposal is IN_PROGRESS (idempotent once started). */
export function canStartReport(viewer: Viewer, facts: ProposalActorFacts, report: ReportStateOrNone): boolean {
  return isReportWriter(viewer, facts) && facts.state === ProposalState.IN_PROGRESS && (report === null || editable(report));
}

/** Editing, submitting, adding and removing photos: the writer, while IN_PROGRESS and the report is DRAFT or RETURNED. */
export function canEditReport(viewer: Viewer, facts: ProposalActorFacts, report: ReportStateOrNone): boolean {
  return isReportWriter(viewer, facts) && facts.state === ProposalState.IN_PROGRESS && editable(report);
}

/** Whether the viewer is the one who decides on a report: the desk (regardless of states). */
export function isReportDecider(viewer: Viewer, facts: ProposalActorFacts): boolean {
  return isDesk(viewer) && canSeeProposal(viewer, facts);
}

/** Returning (with a note) or accepting: the desk, while IN_PROGRESS and the report is SUBMITTED. */
export function canDecideReport(viewer: Viewer, facts: ProposalActorFacts, report: ReportStateOrNone): boolean {
  return isReportDecider(viewer, facts) && facts.state === ProposalState.IN_PROGRESS && report === ReportState.SUBMITTED;
}

/**
 * Who comments on the report (regardless of states): members of the proposal's organisation (the
 * proposer reads the draft before it goes to the desk) and staff of every ACCEPTED section, lead
 * and supporting. The desk answers with its return note instead.
 */
export function isReportCommenter(viewer: Viewer, facts: ProposalActorFacts): boolean {
  if (!canSeeProposal(viewer, facts)) return false;
  if (isMemberOf(viewer, facts.organisationId)) return true;
  return viewer.kind === 'account' && viewer.role === Role.SECTION && viewer.sectionId !== null && (facts.acceptedSectionIds ?? []).includes(viewer.sectionId);
}

/** Commenting: a commenter, while IN_PROGRESS and the report is DRAFT or RETURNED (being written). */
export function canCommentOnReport(viewer: Viewer, facts: ProposalActorFacts, report: ReportStateOrNone): boolean {
  return isReportCommenter(viewer, facts) && facts.state === ProposalState.IN_PROGRESS && editable(report);
}
