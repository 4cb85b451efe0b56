import { describe, expect, it } from 'vitest';
import { MatchState } from './match.entity.js';
import { checkMatchTransition, isActiveMatchState, MATCH_TRANSITION_RULES, MATCH_TRANSITIONS, successorLead, type MatchTransitionName } from './match.state.js';

const { PENDING, ACCEPTED, DECLINED, WITHDRAWN } = MatchState;
const ILLEGAL = 'ILLEGAL_STATE' as const;

/**
 * Every state × transition, written out by hand from the lifecycle comment in match.state.ts:
 *   PENDING ──accept──▶ ACCEPTED; PENDING ──decline──▶ DECLINED; PENDING | ACCEPTED ──withdraw──▶ WITHDRAWN
 */
// prettier-ignore
const TABLE: Record<MatchState, Record<MatchTransitionName, MatchState | typeof ILLEGAL>> = {
  PENDING:   { accept: ACCEPTED, decline: DECLINED, withdraw: WITHDRAWN },
  ACCEPTED:  { accept: ILLEGAL,  decline: ILLEGAL,  withdraw: WITHDRAWN },
  DECLINED:  { accept: ILLEGAL,  decline: ILLEGAL,  withdraw: ILLEGAL },
  WITHDRAWN: { accept: ILLEGAL,  decline: ILLEGAL,  withdraw: ILLEGAL },
};

describe('checkMatchTransition: every state × transition', () => {
  const cases = Object.values(MatchState).flatMap((state) => MATCH_TRANSITIONS.map((transition) => ({ state, transition, expected: TABLE[state][transition] })));
  it.each(cases)('$state --$transition--> $expected', ({ state, transition, expected }) => {
    const check = checkMatchTransition(state, transition);
    expect(check).toEqual(expected === ILLEGAL ? { ok: false, reason: ILLEGAL } : { ok: true, to: expected });
  });

  it('the section accepts and declines; the desk withdraws; decline and withdraw need a reason', () => {
    expect(MATCH_TRANSITION_RULES.accept).toMatchObject({ actor: 'section', needsReason: false });
    expect(MATCH_TRANSITION_RULES.decline).toMatchObject({ actor: 'section', needsReason: true });
    expect(MATCH_TRANSITION_RULES.withdraw).toMatchObject({ actor: 'desk', needsReason: true });
  });
});

describe('isActiveMatchState: a match that lets its section see the proposal', () => {
  it.each([
    [PENDING, true],
    [ACCEPTED, true],
    [DECLINED, false],
    [WITHDRAWN, false],
  ])('%s → %s', (state, active) => {
    expect(isActiveMatchState(state)).toBe(active);
  });
});

describe('successorLead', () => {
  const at = (day: number) => new Date(`2027-01-${String(day).padStart(2, '0')}T00:00:00Z`);
  it('prefers the longest-standing accepted match', () => {
    expect(
      successorLead([
        { sectionId: 'p-old', state: PENDING, createdAt: at(1) },
        { sectionId: 'a-new', state: ACCEPTED, createdAt: at(5) },
        { sectionId: 'a-old', state: ACCEPTED, createdAt: at(3) },
      ]),
    ).toBe('a-old');
  });
  it('falls back to the longest-standing pending one', () => {
    expect(
      successorLead([
        { sectionId: 'p-new', state: PENDING, createdAt: at(4) },
        { sectionId: 'p-old', state: PENDING, createdAt: at(2) },
      ]),
    ).toBe('p-old');
  });
  it('is null when no active match remains', () => {
    expect(successorLead([])).toBeNull();
  });
});
