import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Role } from '../identity/account.entity.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import type { ProposalActorFacts } from '../proposals/proposal.policy.js';
import { Audience } from '../shared/audience.js';
import { MeetingState } from './meeting.entity.js';
import {
  canChangeMeeting,
  canEditMinutes,
  canScheduleMeeting,
  canSeeMeeting,
  isEligibleParticipant,
  isMeetingScheduler,
  isWardStaff,
  meetingAudienceFilter,
  MEETING_PROPOSAL_STATES,
} from './meeting.policy.js';

/**
 * Every role × audience × proposal state. `accepted` is staff of a section whose match is
 * ACCEPTED (here the lead), `acceptedSupporting` of another ACCEPTED section, `pending` of a
 * section whose match is still PENDING (it sees the proposal but does not act for the ward yet),
 * `unmatched` of a section without an active match, `member` a member of the proposing
 * organisation, `otherMember` of another organisation.
 */
type Who = 'public' | 'desk' | 'accepted' | 'acceptedSupporting' | 'pending' | 'unmatched' | 'member' | 'otherMember';
const WHO: Who[] = ['public', 'desk', 'accepted', 'acceptedSupporting', 'pending', 'unmatched', 'member', 'otherMember'];
const account = (role: Role, organisationId: string | null, sectionId: string | null = null): Viewer => ({ kind: 'account', accountId: randomUUID(), role, sectionId, organisationId });
const VIEWERS: Record<Who, Viewer> = {
  public: PUBLIC_VIEWER,
  desk: account(Role.DESK, null),
  accepted: account(Role.SECTION, null, 'sec-lead'),
  acceptedSupporting: account(Role.SECTION, null, 'sec-support'),
  pending: account(Role.SECTION, null, 'sec-pending'),
  unmatched: account(Role.SECTION, null, 'sec-none'),
  member: account(Role.PROPOSER, 'org'),
  otherMember: account(Role.PROPOSER, 'org-other'),
};
const ALL_STATES = Object.values(ProposalState);
const AUDIENCES = Object.values(Audience);

function facts(state: ProposalState, everSubmitted = true): ProposalActorFacts {
  return {
    organisationId: 'org',
    everSubmitted,
    state,
    matchedSectionIds: ['sec-lead', 'sec-pending', 'sec-support'],
    acceptedLeadSectionId: 'sec-lead',
    acceptedSectionIds: ['sec-lead', 'sec-support'],
  };
}

/** Who sees the proposal (submitted): the desk, every actively matched section, its members. */
const PROPOSAL_SEERS: Who[] = ['desk', 'accepted', 'acceptedSupporting', 'pending', 'member'];
const WARD: Who[] = ['desk', 'accepted', 'acceptedSupporting', 'pending', 'unmatched'];
const SCHEDULERS: Who[] = ['desk', 'accepted', 'acceptedSupporting'];

const cases = ALL_STATES.flatMap((state) => AUDIENCES.flatMap((audience) => WHO.map((who) => ({ name: `${who} ${audience} ${state}`, who, audience, state }))));

describe('isWardStaff: the desk and section staff', () => {
  it.each(WHO)('%s', (who) => expect(isWardStaff(VIEWERS[who])).toBe(WARD.includes(who)));
});

describe('canSeeMeeting: whoever sees the proposal, but INTERNAL is the ward’s own', () => {
  it.each(cases)('$name', ({ who, audience, state }) => {
    const expected = PROPOSAL_SEERS.includes(who) && (audience === Audience.SHARED || who !== 'member');
    expect(canSeeMeeting(VIEWERS[who], { proposal: facts(state), audience })).toBe(expected);
  });

  it('a section whose match ended (no longer among the matched sections) sees nothing', () => {
    const ended = { ...facts(ProposalState.IN_DIALOGUE), matchedSectionIds: ['sec-support'], acceptedSectionIds: ['sec-support'], acceptedLeadSectionId: null };
    for (const audience of AUDIENCES) expect(canSeeMeeting(VIEWERS.accepted, { proposal: ended, audience })).toBe(false);
  });

  it('the desk sees nothing of a draft never submitted; its members see its SHARED meetings only', () => {
    for (const audience of AUDIENCES) {
      expect(canSeeMeeting(VIEWERS.desk, { proposal: facts(ProposalState.DRAFT, false), audience })).toBe(false);
      expect(canSeeMeeting(VIEWERS.member, { proposal: facts(ProposalState.DRAFT, false), audience })).toBe(audience === Audience.SHARED);
    }
  });
});

describe('canEditMinutes: everyone in the meeting’s audience', () => {
  it.each(cases)('$name', ({ who, audience, state }) => {
    expect(canEditMinutes(VIEWERS[who], { proposal: facts(state), audience })).toBe(canSeeMeeting(VIEWERS[who], { proposal: facts(state), audience }));
  });
});

describe('canScheduleMeeting: the desk or an ACCEPTED section, in dialogue, agreed or in progress', () => {
  it('meetings are held in exactly these states', () => {
    expect([...MEETING_PROPOSAL_STATES].sort()).toEqual([ProposalState.AGREED, ProposalState.IN_DIALOGUE, ProposalState.IN_PROGRESS].sort());
  });

  it.each(cases)('$name', ({ who, state }) => {
    const expected = SCHEDULERS.includes(who) && MEETING_PROPOSAL_STATES.includes(state);
    expect(canScheduleMeeting(VIEWERS[who], facts(state))).toBe(expected);
    expect(isMeetingScheduler(VIEWERS[who], facts(state))).toBe(SCHEDULERS.includes(who));
  });

  it('a section whose match is PENDING may not; once ACCEPTED it may', () => {
    const pendingOnly = { ...facts(ProposalState.IN_DIALOGUE), acceptedSectionIds: [], acceptedLeadSectionId: null };
    expect(canScheduleMeeting(VIEWERS.accepted, pendingOnly)).toBe(false);
    expect(canScheduleMeeting(VIEWERS.accepted, facts(ProposalState.IN_DIALOGUE))).toBe(true);
    // Facts from before acceptance was recorded name no accepted section at all.
    const { acceptedSectionIds: _a, acceptedLeadSectionId: _l, ...bare } = facts(ProposalState.IN_DIALOGUE);
    expect(canScheduleMeeting(VIEWERS.accepted, bare)).toBe(false);
    expect(canScheduleMeeting(VIEWERS.desk, bare)).toBe(true);
  });
});

describe('canChangeMeeting: a scheduler, while SCHEDULED and before it starts', () => {
  const now = new Date('2026-11-24T09:00:00Z');
  const future = new Date('2026-11-25T01:00:00Z');
  const past = new Date('2026-11-24T08:00:00Z');
  it.each(cases)('$name', ({ who, audience, state }) => {
    for (const meetingState of Object.values(MeetingState)) {
      for (const startsAt of [future, past, now]) {
        const expected = SCHEDULERS.includes(who) && MEETING_PROPOSAL_STATES.includes(state) && meetingState === MeetingState.SCHEDULED && startsAt === future;
        expect(canChangeMeeting(VIEWERS[who], facts(state), { audience, state: meetingState, startsAt }, now)).toBe(expected);
      }
    }
  });
});

describe('meetingAudienceFilter: the same rule in SQL', () => {
  it.each(WHO)('%s', (who) => {
    expect(meetingAudienceFilter(VIEWERS[who])).toEqual(WARD.includes(who) ? {} : { audience: Audience.SHARED });
  });
});

describe('isEligibleParticipant: the desk, actively matched sections, and (SHARED only) the proposing organisation', () => {
  const person = (role: Role, sectionId: string | null, organisationId: string | null, disabled = false) => ({ role, sectionId, organisationId, disabled });
  const PEOPLE = {
    desk: person(Role.DESK, null, null),
    accepted: person(Role.SECTION, 'sec-lead', null),
    pending: person(Role.SECTION, 'sec-pending', null),
    unmatched: person(Role.SECTION, 'sec-none', null),
    sectionless: person(Role.SECTION, null, null),
    member: person(Role.PROPOSER, null, 'org'),
    formerMember: person(Role.PROPOSER, null, null),
    otherMember: person(Role.PROPOSER, null, 'org-other'),
  };
  const ELIGIBLE: Record<Audience, Array<keyof typeof PEOPLE>> = {
    [Audience.SHARED]: ['desk', 'accepted', 'pending', 'member'],
    [Audience.INTERNAL]: ['desk', 'accepted', 'pending'],
  };
  const rows = AUDIENCES.flatMap((audience) => (Object.keys(PEOPLE) as Array<keyof typeof PEOPLE>).map((name) => ({ name: `${name} ${audience}`, who: name, audience })));
  it.each(rows)('$name', ({ who, audience }) => {
    expect(isEligibleParticipant(PEOPLE[who], facts(ProposalState.IN_DIALOGUE), audience)).toBe(ELIGIBLE[audience].includes(who));
    // A disabled account is never eligible.
    expect(isEligibleParticipant({ ...PEOPLE[who], disabled: true }, facts(ProposalState.IN_DIALOGUE), audience)).toBe(false);
  });
});
