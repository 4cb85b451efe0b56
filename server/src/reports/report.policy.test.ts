import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Role } from '../identity/account.entity.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import type { ProposalActorFacts } from '../proposals/proposal.policy.js';
import { ReportState } from './implementation-report.entity.js';
import { canCommentOnReport, canDecideReport, canEditReport, canReadReport, canStartReport, type ReportStateOrNone } from './report.policy.js';

const ORG = randomUUID();
const LEAD = randomUUID();
const SUPPORT = randomUUID();
const PENDING = randomUUID();
const OTHER = randomUUID();

type Who = 'public' | 'desk' | 'lead' | 'supporting' | 'pending' | 'otherSection' | 'member' | 'otherMember' | 'formerMember';
const account = (role: Role, organisationId: string | null, sectionId: string | null = null): Viewer => ({ kind: 'account', accountId: randomUUID(), role, sectionId, organisationId });
const VIEWERS: Record<Who, Viewer> = {
  public: PUBLIC_VIEWER,
  desk: account(Role.DESK, null),
  lead: account(Role.SECTION, null, LEAD),
  supporting: account(Role.SECTION, null, SUPPORT),
  pending: account(Role.SECTION, null, PENDING),
  otherSection: account(Role.SECTION, null, OTHER),
  member: account(Role.PROPOSER, ORG),
  otherMember: account(Role.PROPOSER, randomUUID()),
  formerMember: account(Role.PROPOSER, null),
};
const WHO = Object.keys(VIEWERS) as Who[];
const REPORT_STATES: ReportStateOrNone[] = [null, ...Object.values(ReportState)];

/** Submitted, with the lead and a supporting section ACCEPTED and a third still PENDING. */
function factsIn(state: ProposalState): ProposalActorFacts {
  return { organisationId: ORG, everSubmitted: true, state, matchedSectionIds: [LEAD, PENDING, SUPPORT].sort(), acceptedLeadSectionId: LEAD, acceptedSectionIds: [LEAD, SUPPORT].sort() };
}

/** Who sees the proposal (and so reads the report): written out by hand. */
const SEES: Record<Who, boolean> = { public: false, desk: true, lead: true, supporting: true, pending: true, otherSection: false, member: true, otherMember: false, formerMember: false };

const cases = Object.values(ProposalState).flatMap((state) =>
  REPORT_STATES.flatMap((report) => WHO.map((who) => ({ name: `${who} · proposal ${state} · report ${report ?? 'none'}`, who, state, report }))),
);

describe('the report policy: every viewer × proposal state × report state', () => {
  it.each(cases)('$name', ({ who, state, report }) => {
    const facts = factsIn(state);
    const viewer = VIEWERS[who];
    const inProgress = state === ProposalState.IN_PROGRESS;
    const beingWritten = report === ReportState.DRAFT || report === ReportState.RETURNED;
    expect(canReadReport(viewer, facts)).toBe(SEES[who]);
    expect(canStartReport(viewer, facts, report)).toBe(who === 'lead' && inProgress && (report === null || beingWritten));
    expect(canEditReport(viewer, facts, report)).toBe(who === 'lead' && inProgress && beingWritten);
    expect(canDecideReport(viewer, facts, report)).toBe(who === 'desk' && inProgress && report === ReportState.SUBMITTED);
    expect(canCommentOnReport(viewer, facts, report)).toBe((who === 'member' || who === 'lead' || who === 'supporting') && inProgress && beingWritten);
  });

  it('a proposal not yet submitted hides the report from the desk; a section whose match is not ACCEPTED never writes', () => {
    const unsent = { ...factsIn(ProposalState.IN_PROGRESS), everSubmitted: false };
    expect(canReadReport(VIEWERS.desk, unsent)).toBe(false);
    const noLead = { ...factsIn(ProposalState.IN_PROGRESS), acceptedLeadSectionId: null };
    expect(canEditReport(VIEWERS.lead, noLead, ReportState.DRAFT)).toBe(false);
    // Facts written without the accepted sections (old events) name no writer and no section commenter.
    const legacy = { organisationId: ORG, everSubmitted: true, state: ProposalState.IN_PROGRESS, matchedSectionIds: [LEAD] };
    expect(canEditReport(VIEWERS.lead, legacy, ReportState.DRAFT)).toBe(false);
    expect(canCommentOnReport(VIEWERS.lead, legacy, ReportState.DRAFT)).toBe(false);
  });
});
