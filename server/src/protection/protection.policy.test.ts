import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Role } from '../identity/account.entity.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import type { ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { ProtectionState } from './protection-request.entity.js';
import {
  canDecideProtection,
  canExportProtectionRegister,
  canRequestProtection,
  canSeeProtectionRegister,
  isProposerSideMessage,
  isProtectableField,
  isProtectingState,
  PROTECTABLE_FIELDS,
} from './protection.policy.js';

/**
 * Every rule against every viewer, every proposal state, submitted or not and matched or not.
 * `member` belongs to the proposal's organisation (`colleague` too), `otherMember` to another;
 * `formerMember` left; `section` is matched when `matched`, `otherSection` never.
 */
type ViewerKey = 'public' | 'desk' | 'section' | 'otherSection' | 'member' | 'colleague' | 'otherMember' | 'formerMember';
const ORG = 'org-own';
const SECTION = 'section-1';
const account = (role: Role, organisationId: string | null, sectionId: string | null = null): Viewer => ({ kind: 'account', accountId: randomUUID(), role, sectionId, organisationId });
const VIEWERS: Record<ViewerKey, Viewer> = {
  public: PUBLIC_VIEWER,
  desk: account(Role.DESK, null),
  section: account(Role.SECTION, null, SECTION),
  otherSection: account(Role.SECTION, null, 'section-2'),
  member: account(Role.PROPOSER, ORG),
  colleague: account(Role.PROPOSER, ORG),
  otherMember: account(Role.PROPOSER, 'org-other'),
  formerMember: account(Role.PROPOSER, null),
};
const ALL_STATES = Object.values(ProposalState);
const OPEN_STATES = [ProposalState.SUBMITTED, ProposalState.UNDER_REVIEW, ProposalState.IN_DIALOGUE, ProposalState.AGREED, ProposalState.IN_PROGRESS, ProposalState.REPORTED, ProposalState.PUBLISHED];

const FACTS: ProposalVisibilityFacts[] = ALL_STATES.flatMap((state) =>
  [false, true].flatMap((everSubmitted) => [false, true].map((matched) => ({ organisationId: ORG, everSubmitted, state, matchedSectionIds: matched ? [SECTION] : [] }))),
);
const label = (f: ProposalVisibilityFacts) => `${f.state}/${f.everSubmitted ? 'submitted' : 'never-submitted'}/${f.matchedSectionIds.length ? 'matched' : 'unmatched'}`;

/** By hand: who sees the proposal (and so its protected content and register). */
function sees(who: ViewerKey, f: ProposalVisibilityFacts): boolean {
  if (who === 'member' || who === 'colleague') return true;
  if (who === 'desk') return f.everSubmitted;
  if (who === 'section') return f.matchedSectionIds.includes(SECTION);
  return false;
}

describe.each(Object.keys(VIEWERS) as ViewerKey[])('viewer %s', (who) => {
  const viewer = VIEWERS[who];
  it.each(FACTS.map((f) => [label(f), f] as const))('on %s', (_label, f) => {
    const proposer = who === 'member' || who === 'colleague';
    expect(canRequestProtection(viewer, f), 'request').toBe(proposer && OPEN_STATES.includes(f.state));
    expect(canDecideProtection(viewer, f), 'decide').toBe(who === 'desk' && f.everSubmitted);
    expect(canSeeProtectionRegister(viewer, f), 'register').toBe(sees(who, f));
    expect(canExportProtectionRegister(viewer, f), 'export').toBe(who === 'desk' && f.everSubmitted);
  });
});

describe('the window for asking', () => {
  it('opens at submission and stays open through the report and the published case: never on a draft (also one sent back), never once closed', () => {
    const open = ALL_STATES.filter((state) => canRequestProtection(VIEWERS.member, { organisationId: ORG, everSubmitted: true, state, matchedSectionIds: [] }));
    expect(open.sort()).toEqual([...OPEN_STATES].sort());
    for (const closed of [ProposalState.DRAFT, ProposalState.RETURNED, ProposalState.NOT_REALIZED, ProposalState.WITHDRAWN]) expect(open).not.toContain(closed);
  });

  it('lets the desk decide in every state once it sees the proposal: an undecided request keeps the item protected until it does', () => {
    for (const state of ALL_STATES) expect(canDecideProtection(VIEWERS.desk, { organisationId: ORG, everSubmitted: true, state, matchedSectionIds: [] })).toBe(true);
  });
});

describe('what can be protected', () => {
  it('every prose field but the title', () => {
    expect([...PROTECTABLE_FIELDS].sort()).toEqual(['askOfWard', 'content', 'expectedEffects', 'ownResources', 'schedule', 'wardCostReason', 'wardIssue']);
    for (const name of ['title', 'kind', 'wardCost', 'wardCostEstimate', 'hopedSectionIds', 'challenge', 'referenceNumber', '', 'CONTENT']) expect(isProtectableField(name), name).toBe(false);
  });

  it("messages written on the proposer's side only (a colleague's too), never ward staff's", () => {
    expect(isProposerSideMessage(Role.PROPOSER)).toBe(true);
    expect(isProposerSideMessage(Role.DESK)).toBe(false);
    expect(isProposerSideMessage(Role.SECTION)).toBe(false);
    expect(isProposerSideMessage(null)).toBe(false);
  });

  it('treats REQUESTED as protected until decided; DECLINED is not', () => {
    expect(isProtectingState(ProtectionState.REQUESTED)).toBe(true);
    expect(isProtectingState(ProtectionState.AGREED)).toBe(true);
    expect(isProtectingState(ProtectionState.DECLINED)).toBe(false);
  });
});
