import { describe, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import { PUBLIC_VIEWER, type AccountViewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import type { ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { Audience } from '../shared/audience.js';
import { canReadThreadNow, proposalLinkFor, stateNoticeRecipients } from './notification.policy.js';

const facts: ProposalVisibilityFacts = { organisationId: 'org', everSubmitted: true, state: ProposalState.IN_DIALOGUE, matchedSectionIds: ['secA'] };
const person = (accountId: string, role: Role, sectionId: string | null = null, organisationId: string | null = null): AccountViewer => ({ kind: 'account', accountId, role, sectionId, organisationId });
const desk = person('desk', Role.DESK);
const staffA = person('staffA', Role.SECTION, 'secA');
const staffB = person('staffB', Role.SECTION, 'secB');
const member = person('member', Role.PROPOSER, null, 'org');
const outsider = person('outsider', Role.PROPOSER, null, 'other');

describe('canReadThreadNow', () => {
  it('SHARED: whoever sees the proposal', () => {
    expect([desk, staffA, member].map((v) => canReadThreadNow(v, facts, Audience.SHARED))).toEqual([true, true, true]);
    expect([staffB, outsider, PUBLIC_VIEWER].map((v) => canReadThreadNow(v, facts, Audience.SHARED))).toEqual([false, false, false]);
  });
  it('INTERNAL: the ward only, never the proposer', () => {
    expect([desk, staffA, member, staffB].map((v) => canReadThreadNow(v, facts, Audience.INTERNAL))).toEqual([true, true, false, false]);
  });
  it('nothing once the proposal is out of sight (a declined match)', () => {
    expect(canReadThreadNow(staffA, { ...facts, matchedSectionIds: [] }, Audience.INTERNAL)).toBe(false);
  });
});

describe('proposalLinkFor', () => {
  it('opens the page of the viewer’s role', () => {
    expect(proposalLinkFor(desk, 'p')).toBe('/desk/proposals/p');
    expect(proposalLinkFor(staffA, 'p')).toBe('/section/proposals/p');
    expect(proposalLinkFor(member, 'p')).toBe('/proposer/proposals/p');
    expect(proposalLinkFor(PUBLIC_VIEWER, 'p')).toBeNull();
  });
});

describe('stateNoticeRecipients', () => {
  const candidates = [desk, staffA, staffB, member, outsider].map(({ accountId, role, sectionId, organisationId }) => ({ accountId, role, sectionId, organisationId }));
  it('whoever of the candidates sees the proposal, each once, never the actor', () => {
    expect(stateNoticeRecipients([...candidates, candidates[1]!], facts, 'desk')).toEqual(['member', 'staffA']);
    expect(stateNoticeRecipients(candidates, facts, null)).toEqual(['desk', 'member', 'staffA']);
  });
  it('a draft never submitted is the organisation’s own: only its members are told', () => {
    expect(stateNoticeRecipients(candidates, { ...facts, everSubmitted: false, state: ProposalState.DRAFT, matchedSectionIds: [] }, 'nobody')).toEqual(['member']);
  });
});
