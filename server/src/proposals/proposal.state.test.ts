import { describe, expect, it } from 'vitest';
import { ProposalState } from './proposal.entity.js';
import { awaitingOf, checkProposalTransition, PROPOSAL_TRANSITIONS, TRANSITION_RULES, type ProposalTransitionName } from './proposal.state.js';

const S = ProposalState;
const ALL_STATES = Object.values(ProposalState);

/**
 * Written out by hand from DESIGN.md §3 and issue 3: for each state, where each transition leads
 * (absent: illegal). Issue 4 adds agree (IN_DIALOGUE → AGREED) and startWork (AGREED →
 * IN_PROGRESS); issue 6 adds acceptReport (IN_PROGRESS → REPORTED), publish (REPORTED → PUBLISHED) and withdrawPublication (PUBLISHED → REPORTED); withdraw is never allowed from AGREED on.
 */
// prettier-ignore
const EXPECTED: Record<ProposalState, Partial<Record<ProposalTransitionName, ProposalState>>> = {
  [S.DRAFT]:        { submit: S.SUBMITTED, withdraw: S.WITHDRAWN },
  [S.SUBMITTED]:    { acceptForReview: S.UNDER_REVIEW, return: S.RETURNED, requestChanges: S.DRAFT, withdraw: S.WITHDRAWN },
  [S.UNDER_REVIEW]: { return: S.RETURNED, requestChanges: S.DRAFT, startDialogue: S.IN_DIALOGUE, markNotRealized: S.NOT_REALIZED, withdraw: S.WITHDRAWN },
  [S.IN_DIALOGUE]:  { markNotRealized: S.NOT_REALIZED, withdraw: S.WITHDRAWN, agree: S.AGREED },
  [S.AGREED]:       { startWork: S.IN_PROGRESS },
  [S.IN_PROGRESS]:  { acceptReport: S.REPORTED },
  [S.REPORTED]:     { publish: S.PUBLISHED },
  [S.PUBLISHED]:    { withdrawPublication: S.REPORTED },
  [S.RETURNED]:     {},
  [S.NOT_REALIZED]: {},
  [S.WITHDRAWN]:    {},
};

const WHO: Record<ProposalTransitionName, 'member' | 'desk' | 'leadSection'> = {
  submit: 'member',
  withdraw: 'member',
  acceptForReview: 'desk',
  return: 'desk',
  requestChanges: 'desk',
  startDialogue: 'desk',
  markNotRealized: 'desk',
  agree: 'desk',
  startWork: 'leadSection',
  acceptReport: 'desk',
  publish: 'desk',
  withdrawPublication: 'desk',
};

describe('checkProposalTransition: every state × transition', () => {
  it('the table covers every state', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ALL_STATES].sort());
    expect(ALL_STATES).toHaveLength(11);
  });
  const cases = ALL_STATES.flatMap((state) => PROPOSAL_TRANSITIONS.map((transition) => ({ state, transition, to: EXPECTED[state][transition] })));
  it.each(cases)('$state --$transition--> $to', ({ state, transition, to }) => {
    const check = checkProposalTransition(state, transition);
    if (to === undefined) expect(check).toEqual({ ok: false, reason: 'ILLEGAL_STATE' });
    else expect(check).toEqual({ ok: true, to });
  });
});

describe('the rules', () => {
  it.each(PROPOSAL_TRANSITIONS)('%s names who makes it', (transition) => {
    expect(TRANSITION_RULES[transition].actor).toBe(WHO[transition]);
  });

  it('names what each transition needs', () => {
    expect(TRANSITION_RULES.return.needs).toEqual(['reason']);
    expect(TRANSITION_RULES.markNotRealized.needs).toEqual(['reason']);
    expect(TRANSITION_RULES.requestChanges.needs).toEqual(['note']);
    expect(TRANSITION_RULES.submit.needs).toEqual(['pledges']);
    expect(TRANSITION_RULES.withdraw.needs).toEqual([]);
    expect(TRANSITION_RULES.agree.needs).toEqual(['decision', 'acceptedLead']);
    expect(TRANSITION_RULES.startWork.needs).toEqual([]);
    expect(TRANSITION_RULES.acceptReport.needs).toEqual(['submittedReport']);
    expect(TRANSITION_RULES.publish.needs).toEqual(['consentedCase']);
    expect(TRANSITION_RULES.withdrawPublication.needs).toEqual(['reason']);
  });

  it('only agree leads into AGREED, only startWork into IN_PROGRESS, acceptReport (or a withdrawn publication) into REPORTED, only publish into PUBLISHED', () => {
    for (const transition of PROPOSAL_TRANSITIONS) {
      const to = TRANSITION_RULES[transition].to;
      if (to === S.PUBLISHED) expect(transition).toBe('publish');
      if (to === S.REPORTED) expect(['acceptReport', 'withdrawPublication']).toContain(transition);
      if (to === S.AGREED) expect(transition).toBe('agree');
      if (to === S.IN_PROGRESS) expect(transition).toBe('startWork');
    }
  });

  it('never withdraws after AGREED, nor from a final state', () => {
    for (const state of [S.AGREED, S.IN_PROGRESS, S.REPORTED, S.PUBLISHED, S.RETURNED, S.NOT_REALIZED, S.WITHDRAWN]) {
      expect(checkProposalTransition(state, 'withdraw').ok).toBe(false);
    }
  });
});

describe('awaitingOf', () => {
  // prettier-ignore
  const AWAITING: Record<ProposalState, string> = {
    DRAFT: 'PROPOSER', SUBMITTED: 'DESK', UNDER_REVIEW: 'DESK', IN_DIALOGUE: 'DESK',
    AGREED: 'NONE', IN_PROGRESS: 'NONE', REPORTED: 'NONE', PUBLISHED: 'NONE', RETURNED: 'NONE', NOT_REALIZED: 'NONE', WITHDRAWN: 'NONE',
  };
  it.each(ALL_STATES)('%s', (state) => expect(awaitingOf(state)).toBe(AWAITING[state]));
});
