import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Role } from '../identity/account.entity.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { MatchState } from './match.entity.js';
import { canAssignDeskOwner, canMakeLead, canMatchProposal, canReadMatchReason, canTransitionMatch, inboxSectionOf, type MatchFacts } from './match.policy.js';
import { MATCH_TRANSITIONS, type MatchTransitionName } from './match.state.js';

/**
 * The roles every rule is checked against: `matchedSection` is staff of the match's section,
 * `otherSection` of another one, `sectionless` a section account without a section.
 */
type ViewerKey = 'public' | 'desk' | 'matchedSection' | 'otherSection' | 'sectionless' | 'member';
const VIEWER_KEYS: ViewerKey[] = ['public', 'desk', 'matchedSection', 'otherSection', 'sectionless', 'member'];
const SECTION = 'section-matched';
const account = (role: Role, sectionId: string | null = null, organisationId: string | null = null): Viewer => ({ kind: 'account', accountId: randomUUID(), role, sectionId, organisationId });
const VIEWERS: Record<ViewerKey, Viewer> = {
  public: PUBLIC_VIEWER,
  desk: account(Role.DESK),
  matchedSection: account(Role.SECTION, SECTION),
  otherSection: account(Role.SECTION, 'section-other'),
  sectionless: account(Role.SECTION, null),
  member: account(Role.PROPOSER, null, 'org'),
};

/** By hand: accept and decline are the matched section's while PENDING; withdraw is the desk's while PENDING or ACCEPTED. */
function expected(viewer: ViewerKey, state: MatchState, transition: MatchTransitionName): boolean {
  if (transition === 'withdraw') return viewer === 'desk' && (state === MatchState.PENDING || state === MatchState.ACCEPTED);
  return viewer === 'matchedSection' && state === MatchState.PENDING;
}

const FACTS: MatchFacts[] = Object.values(MatchState).flatMap((state) => [false, true].map((lead) => ({ sectionId: SECTION, state, lead })));

describe('canTransitionMatch: every role × state × transition', () => {
  const cases = FACTS.flatMap((facts) => VIEWER_KEYS.flatMap((viewer) => MATCH_TRANSITIONS.map((transition) => ({ name: `${viewer} ${transition} ${facts.state}${facts.lead ? '/lead' : ''}`, viewer, facts, transition }))));
  it.each(cases)('$name', ({ viewer, facts, transition }) => {
    expect(canTransitionMatch(VIEWERS[viewer], facts, transition)).toBe(expected(viewer, facts.state, transition));
  });
});

describe('canMakeLead: the desk, for an active match not already the lead', () => {
  const cases = FACTS.flatMap((facts) => VIEWER_KEYS.map((viewer) => ({ name: `${viewer} ${facts.state}${facts.lead ? '/lead' : ''}`, viewer, facts })));
  it.each(cases)('$name', ({ viewer, facts }) => {
    const active = facts.state === MatchState.PENDING || facts.state === MatchState.ACCEPTED;
    expect(canMakeLead(VIEWERS[viewer], facts)).toBe(viewer === 'desk' && active && !facts.lead);
  });
});

describe('canMatchProposal: the desk, while the proposal is IN_DIALOGUE', () => {
  const cases = Object.values(ProposalState).flatMap((state) => VIEWER_KEYS.map((viewer) => ({ viewer, state })));
  it.each(cases)('$viewer → $state', ({ viewer, state }) => {
    expect(canMatchProposal(VIEWERS[viewer], state)).toBe(viewer === 'desk' && state === ProposalState.IN_DIALOGUE);
  });
});

describe('who else', () => {
  it.each(VIEWER_KEYS)('%s: desk owner, inbox, reasons', (viewer) => {
    expect(canAssignDeskOwner(VIEWERS[viewer])).toBe(viewer === 'desk');
    expect(inboxSectionOf(VIEWERS[viewer])).toBe(viewer === 'matchedSection' ? SECTION : viewer === 'otherSection' ? 'section-other' : null);
    expect(canReadMatchReason(VIEWERS[viewer])).toBe(['desk', 'matchedSection', 'otherSection', 'sectionless'].includes(viewer));
  });
});
