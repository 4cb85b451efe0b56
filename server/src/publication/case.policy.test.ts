import { describe, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import type { Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import type { ProposalActorFacts } from '../proposals/proposal.policy.js';
import { canChangeCaseConsent, canComposeCase, canPreviewCase, canPublishCase, canReadCase, canWithdrawCase, type CaseStateOrNone } from './case.policy.js';
import { CaseState } from './public-case.entity.js';

const ORG = 'org-1';
const LEAD = 'sec-lead';
const SUPPORT = 'sec-support';
const PENDING = 'sec-pending';
const account = (role: Role, extra: { sectionId?: string; organisationId?: string } = {}): Viewer => ({ kind: 'account', accountId: `a-${role}`, role, sectionId: extra.sectionId ?? null, organisationId: extra.organisationId ?? null });

const VIEWERS = {
  desk: account(Role.DESK),
  member: account(Role.PROPOSER, { organisationId: ORG }),
  otherMember: account(Role.PROPOSER, { organisationId: 'org-2' }),
  lead: account(Role.SECTION, { sectionId: LEAD }),
  supporting: account(Role.SECTION, { sectionId: SUPPORT }),
  pending: account(Role.SECTION, { sectionId: PENDING }),
  unmatched: account(Role.SECTION, { sectionId: 'sec-none' }),
  public: { kind: 'public' } as Viewer,
} as const;
type Who = keyof typeof VIEWERS;
const WHO = Object.keys(VIEWERS) as Who[];

const facts = (state: ProposalState): ProposalActorFacts => ({
  organisationId: ORG,
  everSubmitted: state !== ProposalState.DRAFT,
  state,
  matchedSectionIds: [LEAD, PENDING, SUPPORT].sort(),
  acceptedLeadSectionId: LEAD,
  acceptedSectionIds: [LEAD, SUPPORT].sort(),
});

const STATES = Object.values(ProposalState);
const CASE_STATES: CaseStateOrNone[] = [null, CaseState.DRAFT, CaseState.PUBLISHED, CaseState.WITHDRAWN];
const { REPORTED, PUBLISHED } = ProposalState;

/** Written out from the brief (issue 6, item 2): who does what, in which proposal and case state. */
const READERS: Who[] = ['desk', 'member', 'lead', 'supporting'];
const PREVIEWERS: Who[] = ['desk', 'member'];
function expected(act: string, who: Who, state: ProposalState, caseState: CaseStateOrNone): boolean {
  // The desk sees a proposal only once submitted; every state here but DRAFT is.
  const deskSees = state !== ProposalState.DRAFT;
  const desk = who === 'desk' && deskSees;
  switch (act) {
    case 'read':
      return READERS.includes(who) && (who !== 'desk' || deskSees);
    case 'preview':
      return PREVIEWERS.includes(who) && (who !== 'desk' || deskSees);
    case 'compose':
      return desk && state === REPORTED && caseState !== CaseState.PUBLISHED;
    case 'consent':
      return who === 'member' && state === REPORTED && (caseState === CaseState.DRAFT || caseState === CaseState.WITHDRAWN);
    case 'publish':
      return desk && state === REPORTED && (caseState === CaseState.DRAFT || caseState === CaseState.WITHDRAWN);
    case 'withdraw':
      return desk && state === PUBLISHED && caseState === CaseState.PUBLISHED;
    default:
      throw new Error(act);
  }
}

const ACTS = {
  read: (v: Viewer, f: ProposalActorFacts) => canReadCase(v, f),
  preview: (v: Viewer, f: ProposalActorFacts) => canPreviewCase(v, f),
  compose: canComposeCase,
  consent: canChangeCaseConsent,
  publish: canPublishCase,
  withdraw: canWithdrawCase,
};

describe('case policy: every viewer × act × proposal state × case state', () => {
  const cases = WHO.flatMap((who) =>
    Object.keys(ACTS).flatMap((act) => STATES.flatMap((state) => CASE_STATES.map((caseState) => ({ name: `${who} ${act} ${state}/${caseState ?? 'none'}`, who, act, state, caseState })))),
  );
  it.each(cases)('$name', ({ who, act, state, caseState }) => {
    const fn = ACTS[act as keyof typeof ACTS] as (v: Viewer, f: ProposalActorFacts, s: CaseStateOrNone) => boolean;
    expect(fn(VIEWERS[who], facts(state), caseState)).toBe(expected(act, who, state, caseState));
  });

  it('a member who left (no organisation) and a declined section are nobody', () => {
    const left = account(Role.PROPOSER);
    const f = { ...facts(REPORTED), matchedSectionIds: [LEAD], acceptedSectionIds: [LEAD] };
    expect(canReadCase(left, f)).toBe(false);
    expect(canChangeCaseConsent(left, f, CaseState.DRAFT)).toBe(false);
    expect(canReadCase(VIEWERS.supporting, f)).toBe(false);
  });
});
