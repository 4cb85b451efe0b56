import { describe, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { MatchState } from '../matches/match.entity.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { ageingOf, matchWait, mayWaitForStartOfWork, proposalWait } from './ageing.js';
import { canReadAgeing, canSetStageTarget, proposalStatesOf, STAGE_OF_PROPOSAL_STATE } from './ageing.policy.js';
import { AgeingStage } from './stage-target.entity.js';

const account = (role: Role): Viewer => ({ kind: 'account', accountId: 'a', role, sectionId: role === Role.SECTION ? 's' : null, organisationId: role === Role.PROPOSER ? 'o' : null });

describe('who reads and sets ageing', () => {
  it.each([
    ['desk', account(Role.DESK), true, true],
    ['section staff', account(Role.SECTION), true, false],
    ['proposer', account(Role.PROPOSER), false, false],
    ['public', PUBLIC_VIEWER, false, false],
  ])('%s: reads %s, sets %s', (_name, viewer, reads, sets) => {
    expect(canReadAgeing(viewer)).toBe(reads);
    expect(canSetStageTarget(viewer)).toBe(sets);
  });
});

describe('the stage each proposal state waits in', () => {
  it.each(Object.values(ProposalState))('%s', (state) => {
    const expected: Partial<Record<ProposalState, AgeingStage>> = {
      SUBMITTED: AgeingStage.INTAKE,
      UNDER_REVIEW: AgeingStage.REVIEW,
      IN_DIALOGUE: AgeingStage.DIALOGUE,
      AGREED: AgeingStage.START_OF_WORK,
    };
    expect(STAGE_OF_PROPOSAL_STATE[state]).toBe(expected[state] ?? null);
    const since = new Date('2026-11-13T00:00:00+09:00');
    expect(proposalWait({ state, stateEnteredAt: since })).toEqual(expected[state] ? { stage: expected[state], since } : null);
  });

  it('maps every stage but MATCH_ANSWER back to exactly one state', () => {
    expect(proposalStatesOf(AgeingStage.INTAKE)).toEqual([ProposalState.SUBMITTED]);
    expect(proposalStatesOf(AgeingStage.START_OF_WORK)).toEqual([ProposalState.AGREED]);
    expect(proposalStatesOf(AgeingStage.MATCH_ANSWER)).toEqual([]);
  });

  const createdAt = new Date('2026-11-13T09:00:00+09:00');
  const agreedAt = new Date('2026-11-16T09:00:00+09:00');
  const cases = Object.values(MatchState).flatMap((state) => [true, false].flatMap((lead) => Object.values(ProposalState).map((proposalState) => [state, lead, proposalState] as const)));
  it.each(cases)('a %s match (lead %s) of a %s proposal', (state, lead, proposalState) => {
    const expected =
      state === MatchState.PENDING
        ? { stage: AgeingStage.MATCH_ANSWER, since: createdAt }
        : state === MatchState.ACCEPTED && lead && proposalState === ProposalState.AGREED
          ? { stage: AgeingStage.START_OF_WORK, since: agreedAt }
          : null;
    expect(matchWait({ state, lead, createdAt }, { state: proposalState, stateEnteredAt: agreedAt })).toEqual(expected);
    expect(mayWaitForStartOfWork({ state, lead })).toBe(state === MatchState.ACCEPTED && lead);
  });

  it('an ACCEPTED lead match whose proposal is not known waits on nothing', () => {
    expect(matchWait({ state: MatchState.ACCEPTED, lead: true, createdAt }, null)).toBeNull();
  });
});

describe('ageingOf', () => {
  it('counts full business days and flags more than the target', () => {
    const now = new Date('2026-11-24T10:00:00+09:00');
    // Friday 11/13 → 11/16–11/20 elapsed (5); Monday 11/23 is a holiday.
    expect(ageingOf(AgeingStage.INTAKE, new Date('2026-11-13T17:00:00+09:00'), 5, now)).toMatchObject({ businessDays: 5, targetBusinessDays: 5, overTarget: false });
    expect(ageingOf(AgeingStage.INTAKE, new Date('2026-11-12T17:00:00+09:00'), 5, now)).toMatchObject({ businessDays: 6, overTarget: true });
  });
});
