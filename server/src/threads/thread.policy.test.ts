import { describe, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { Audience } from '../shared/audience.js';
import { THREAD_WRITABLE_STATES, canDeleteMessage, canEditMessage, canReadThread, canWriteInThread, isThreadReader, threadAudienceFilter, type ThreadFacts } from './thread.policy.js';

const ORG = 'org-1';
const LEAD = 'sec-lead';
const SUPPORT = 'sec-support';
const PENDING = 'sec-pending';
const DECLINED = 'sec-declined';
const OTHER = 'sec-other';

const account = (id: string, role: Role, sectionId: string | null = null, organisationId: string | null = null): Viewer => ({ kind: 'account', accountId: id, role, sectionId, organisationId });

/** Every kind of person who may come near a proposal's threads. */
const PEOPLE: Record<string, Viewer> = {
  desk: account('desk', Role.DESK),
  leadSection: account('lead', Role.SECTION, LEAD),
  supportingSection: account('support', Role.SECTION, SUPPORT),
  pendingSection: account('pending', Role.SECTION, PENDING),
  declinedSection: account('declined', Role.SECTION, DECLINED),
  unmatchedSection: account('unmatched', Role.SECTION, OTHER),
  proposerMember: account('member', Role.PROPOSER, null, ORG),
  otherOrgMember: account('other', Role.PROPOSER, null, 'org-2'),
  proposerWithoutOrg: account('lonely', Role.PROPOSER),
  public: PUBLIC_VIEWER,
};

function facts(state: ProposalState, audience: Audience, everSubmitted = state !== ProposalState.DRAFT): ThreadFacts {
  // A declined section is no longer in matchedSectionIds (only PENDING and ACCEPTED are).
  return { audience, proposal: { organisationId: ORG, everSubmitted, state, matchedSectionIds: [LEAD, PENDING, SUPPORT].sort() } };
}

/** Who reads, by audience: the one table every other rule builds on. */
const READS: Record<Audience, string[]> = {
  [Audience.SHARED]: ['desk', 'leadSection', 'supportingSection', 'pendingSection', 'proposerMember'],
  [Audience.INTERNAL]: ['desk', 'leadSection', 'supportingSection', 'pendingSection'],
};

describe('canReadThread / canWriteInThread: every person × audience × proposal state', () => {
  for (const state of Object.values(ProposalState)) {
    for (const audience of Object.values(Audience)) {
      for (const [name, viewer] of Object.entries(PEOPLE)) {
        const reads = READS[audience].includes(name) && (name !== 'desk' || state !== ProposalState.DRAFT);
        const writes = reads && THREAD_WRITABLE_STATES.includes(state);
        it(`${name} ${reads ? 'reads' : 'does not read'} and ${writes ? 'writes in' : 'does not write in'} a ${audience} thread on a ${state} proposal`, () => {
          expect(canReadThread(viewer, facts(state, audience))).toBe(reads);
          expect(canWriteInThread(viewer, facts(state, audience))).toBe(writes);
        });
      }
    }
  }

  it('the desk keeps reading a proposal returned to a draft after submission, but writes nothing while it is a draft', () => {
    const returned = facts(ProposalState.DRAFT, Audience.SHARED, true);
    expect(canReadThread(PEOPLE.desk!, returned)).toBe(true);
    expect(canWriteInThread(PEOPLE.desk!, returned)).toBe(false);
  });

  it('the dialogue is open from submission until the report, closed in final states', () => {
    expect([...THREAD_WRITABLE_STATES].sort()).toEqual(['AGREED', 'IN_DIALOGUE', 'IN_PROGRESS', 'REPORTED', 'SUBMITTED', 'UNDER_REVIEW']);
  });
});

describe('canEditMessage / canDeleteMessage', () => {
  const open = (audience: Audience) => facts(ProposalState.IN_DIALOGUE, audience);
  for (const audience of Object.values(Audience)) {
    for (const [name, viewer] of Object.entries(PEOPLE)) {
      const ownId = viewer.kind === 'account' ? viewer.accountId : 'nobody';
      const reads = READS[audience].includes(name);
      it(`${name} in a ${audience} thread: edits only their own, deletes their own${name === 'desk' ? ' and anyone’s' : ''}`, () => {
        expect(canEditMessage(viewer, open(audience), { authorId: ownId, deleted: false })).toBe(reads);
        expect(canEditMessage(viewer, open(audience), { authorId: 'someone-else', deleted: false })).toBe(false);
        expect(canDeleteMessage(viewer, open(audience), { authorId: ownId, deleted: false })).toBe(reads);
        expect(canDeleteMessage(viewer, open(audience), { authorId: 'someone-else', deleted: false })).toBe(reads && name === 'desk');
        // A deleted message is neither edited nor deleted again.
        expect(canEditMessage(viewer, open(audience), { authorId: ownId, deleted: true })).toBe(false);
        expect(canDeleteMessage(viewer, open(audience), { authorId: ownId, deleted: true })).toBe(false);
      });
    }
  }

  for (const state of Object.values(ProposalState)) {
    it(`the author ${THREAD_WRITABLE_STATES.includes(state) ? 'may' : 'may not'} edit or delete on a ${state} proposal`, () => {
      const writable = THREAD_WRITABLE_STATES.includes(state);
      expect(canEditMessage(PEOPLE.proposerMember!, facts(state, Audience.SHARED), { authorId: 'member', deleted: false })).toBe(writable);
      expect(canDeleteMessage(PEOPLE.desk!, facts(state, Audience.SHARED), { authorId: 'member', deleted: false })).toBe(writable);
    });
  }
});

describe('isThreadReader: who may be mentioned or told', () => {
  const person = (role: Role, sectionId: string | null = null, organisationId: string | null = null, disabled = false) => ({ role, sectionId, organisationId, disabled });
  const cases: Array<[string, ReturnType<typeof person>, boolean, boolean]> = [
    ['desk', person(Role.DESK), true, true],
    ['disabled desk', person(Role.DESK, null, null, true), false, false],
    ['lead section', person(Role.SECTION, LEAD), true, true],
    ['supporting section', person(Role.SECTION, SUPPORT), true, true],
    ['pending section', person(Role.SECTION, PENDING), true, true],
    ['declined section', person(Role.SECTION, DECLINED), false, false],
    ['unmatched section', person(Role.SECTION, OTHER), false, false],
    ['section without a section', person(Role.SECTION), false, false],
    ['proposer member', person(Role.PROPOSER, null, ORG), true, false],
    ['disabled proposer member', person(Role.PROPOSER, null, ORG, true), false, false],
    ['other organisation member', person(Role.PROPOSER, null, 'org-2'), false, false],
    ['former member (no organisation now)', person(Role.PROPOSER), false, false],
  ];
  for (const [name, who, shared, internal] of cases) {
    it(`${name}: SHARED ${shared}, INTERNAL ${internal}`, () => {
      expect(isThreadReader(who, facts(ProposalState.IN_DIALOGUE, Audience.SHARED))).toBe(shared);
      expect(isThreadReader(who, facts(ProposalState.IN_DIALOGUE, Audience.INTERNAL))).toBe(internal);
    });
  }
  it('the desk reads nothing of a proposal never submitted', () => {
    expect(isThreadReader(person(Role.DESK), facts(ProposalState.DRAFT, Audience.SHARED, false))).toBe(false);
  });
});

describe('threadAudienceFilter', () => {
  it('ward staff get every thread; proposers and the public SHARED ones only', () => {
    expect(threadAudienceFilter(PEOPLE.desk!)).toEqual({});
    expect(threadAudienceFilter(PEOPLE.leadSection!)).toEqual({});
    expect(threadAudienceFilter(PEOPLE.proposerMember!)).toEqual({ audience: Audience.SHARED });
    expect(threadAudienceFilter(PEOPLE.public!)).toEqual({ audience: Audience.SHARED });
  });
});
