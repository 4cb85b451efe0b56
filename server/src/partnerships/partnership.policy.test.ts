import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Role } from '../identity/account.entity.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { canTransition, type ProposalFacts } from '../proposals/proposal.policy.js';
import { PartnershipForm } from './partnership-decision.entity.js';
import { AGREED_OR_LATER, canAddProgressNote, canFileAgreementDocument, canRecordAgreement, canRecordAgreementDocument, canSeePartnership, canStartWork } from './partnership.policy.js';

/**
 * Every role × state for the new actions. `lead` is staff of the ACCEPTED lead section,
 * `supporting` of an ACCEPTED supporting section, `pendingSection` of a section whose match is
 * still PENDING (it sees the proposal), `unmatched` of a section without a match.
 */
type Who = 'public' | 'desk' | 'lead' | 'supporting' | 'pendingSection' | 'unmatched' | 'member' | 'otherMember';
const WHO: Who[] = ['public', 'desk', 'lead', 'supporting', 'pendingSection', 'unmatched', 'member', 'otherMember'];
const account = (role: Role, organisationId: string | null, sectionId: string | null = null): Viewer => ({ kind: 'account', accountId: randomUUID(), role, sectionId, organisationId });
const VIEWERS: Record<Who, Viewer> = {
  public: PUBLIC_VIEWER,
  desk: account(Role.DESK, null),
  lead: account(Role.SECTION, null, 'sec-lead'),
  supporting: account(Role.SECTION, null, 'sec-support'),
  pendingSection: account(Role.SECTION, null, 'sec-pending'),
  unmatched: account(Role.SECTION, null, 'sec-none'),
  member: account(Role.PROPOSER, 'org'),
  otherMember: account(Role.PROPOSER, 'org-other'),
};
const ALL_STATES = Object.values(ProposalState);

function facts(state: ProposalState, leadAccepted = true): ProposalFacts {
  return {
    organisationId: 'org',
    everSubmitted: true,
    state,
    organisationSuspended: false,
    matchedSectionIds: ['sec-lead', 'sec-pending', 'sec-support'],
    acceptedLeadSectionId: leadAccepted ? 'sec-lead' : null,
    acceptedSectionIds: leadAccepted ? ['sec-lead', 'sec-support'] : ['sec-support'],
  };
}

const seers: Who[] = ['desk', 'lead', 'supporting', 'pendingSection', 'member'];
const cases = ALL_STATES.flatMap((state) => WHO.map((who) => ({ name: `${who} ${state}`, who, state })));

describe('canSeePartnership: whoever sees the proposal', () => {
  it.each(cases)('$name', ({ who, state }) => expect(canSeePartnership(VIEWERS[who], facts(state))).toBe(seers.includes(who)));
});

describe('canRecordAgreement: the desk, IN_DIALOGUE, with an ACCEPTED lead', () => {
  it.each(cases)('$name', ({ who, state }) => {
    expect(canRecordAgreement(VIEWERS[who], facts(state))).toBe(who === 'desk' && state === ProposalState.IN_DIALOGUE);
    expect(canRecordAgreement(VIEWERS[who], facts(state, false))).toBe(false);
  });
});

describe('canStartWork: the ACCEPTED lead section only, AGREED', () => {
  it.each(cases)('$name', ({ who, state }) => {
    expect(canStartWork(VIEWERS[who], facts(state))).toBe(who === 'lead' && state === ProposalState.AGREED);
    expect(canTransition(VIEWERS[who], facts(state), 'startWork')).toBe(who === 'lead' && state === ProposalState.AGREED);
    // A lead whose match is still PENDING is not the accepted lead.
    expect(canStartWork(VIEWERS[who], facts(state, false))).toBe(false);
  });
});

describe('canAddProgressNote: the desk and ACCEPTED sections, IN_PROGRESS', () => {
  it.each(cases)('$name', ({ who, state }) => {
    expect(canAddProgressNote(VIEWERS[who], facts(state))).toBe(['desk', 'lead', 'supporting'].includes(who) && state === ProposalState.IN_PROGRESS);
  });
});

describe('canRecordAgreementDocument: the desk, AGREED or later, for a 協定 or contract', () => {
  const later = [ProposalState.AGREED, ProposalState.IN_PROGRESS, ProposalState.REPORTED, ProposalState.PUBLISHED];
  const forms = [PartnershipForm.NO_AGREEMENT, PartnershipForm.AGREEMENT, PartnershipForm.CONTRACT, null];
  it.each(cases)('$name', ({ who, state }) => {
    for (const form of forms) {
      const expected = who === 'desk' && later.includes(state) && (form === PartnershipForm.AGREEMENT || form === PartnershipForm.CONTRACT);
      expect(canRecordAgreementDocument(VIEWERS[who], facts(state), form)).toBe(expected);
    }
  });
});

describe('withdraw is never allowed from AGREED on', () => {
  it.each([ProposalState.AGREED, ProposalState.IN_PROGRESS])('%s', (state) => {
    for (const who of WHO) expect(canTransition(VIEWERS[who], facts(state), 'withdraw')).toBe(false);
  });
});

describe('canFileAgreementDocument: the desk, AGREED or later, once the agreement record exists', () => {
  it.each(cases)('$name', ({ who, state }) => {
    expect(canFileAgreementDocument(VIEWERS[who], facts(state), true)).toBe(who === 'desk' && AGREED_OR_LATER.includes(state));
    expect(canFileAgreementDocument(VIEWERS[who], facts(state), false)).toBe(false);
  });
});
