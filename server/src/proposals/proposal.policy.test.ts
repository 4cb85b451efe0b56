import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Role } from '../identity/account.entity.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { createOrganisation } from '../../test/proposal-factories.js';
import { createDepartmentWithSections } from '../../test/factories.js';
import { Match, MatchState } from '../matches/match.entity.js';
import { Proposal, ProposalState } from './proposal.entity.js';
import {
  canChangeAttachments,
  canCreateProposal,
  canEditDraft,
  canSeeProposal,
  canTransition,
  proposalVisibilityFacts,
  proposalVisibilityFilter,
  type ProposalFacts,
} from './proposal.policy.js';
import { checkProposalTransition, PROPOSAL_TRANSITIONS, TRANSITION_RULES } from './proposal.state.js';

/**
 * The viewers every rule is checked against. `member` belongs to the proposal's organisation,
 * `otherMember` to another one, `formerMember` left (a proposer with no organisation now);
 * `section` is staff of the section that may be matched, `otherSection` of another section.
 */
type ViewerKey = 'public' | 'desk' | 'section' | 'otherSection' | 'member' | 'otherMember' | 'formerMember';
const VIEWER_KEYS: ViewerKey[] = ['public', 'desk', 'section', 'otherSection', 'member', 'otherMember', 'formerMember'];

function viewersFor(organisationId: string, otherOrganisationId: string, sectionId: string, otherSectionId: string): Record<ViewerKey, Viewer> {
  const account = (role: Role, organisationId: string | null, sectionId: string | null = null): Viewer => ({ kind: 'account', accountId: randomUUID(), role, sectionId, organisationId });
  return {
    public: PUBLIC_VIEWER,
    desk: account(Role.DESK, null),
    section: account(Role.SECTION, null, sectionId),
    otherSection: account(Role.SECTION, null, otherSectionId),
    member: account(Role.PROPOSER, organisationId),
    otherMember: account(Role.PROPOSER, otherOrganisationId),
    formerMember: account(Role.PROPOSER, null),
  };
}

const ALL_STATES = Object.values(ProposalState);
const ORG = 'org-own';
const SECTION = 'section-1';
const VIEWERS = viewersFor(ORG, 'org-other', SECTION, 'section-2');

/** Who sees it, by hand: members always; the desk once it was ever submitted; the section while it has an active match; nobody else. */
function expectedSeen(viewer: ViewerKey, everSubmitted: boolean, sectionMatched = false): boolean {
  return viewer === 'member' || (viewer === 'desk' && everSubmitted) || (viewer === 'section' && sectionMatched);
}

// Never-submitted proposals can only be DRAFT or WITHDRAWN (withdrawn before submission); every
// state is checked both ways anyway, the rule does not depend on the state.
const FACTS: ProposalFacts[] = ALL_STATES.flatMap((state) =>
  [false, true].flatMap((everSubmitted) => [false, true].map((organisationSuspended) => ({ organisationId: ORG, everSubmitted, state, organisationSuspended, matchedSectionIds: [] }))),
);
const label = (f: ProposalFacts) => `${f.state}/${f.everSubmitted ? 'submitted' : 'never-submitted'}${f.organisationSuspended ? '/suspended' : ''}`;

describe('canSeeProposal', () => {
  const cases = FACTS.flatMap((facts) => VIEWER_KEYS.map((viewer) => ({ name: `${viewer} → ${label(facts)}`, viewer, facts })));
  it.each(cases)('$name', ({ viewer, facts }) => {
    expect(canSeeProposal(VIEWERS[viewer], facts)).toBe(expectedSeen(viewer, facts.everSubmitted));
  });

  // An active match (the facts list only PENDING and ACCEPTED ones) opens it to that section's staff, and to no one else.
  const matchedCases = FACTS.flatMap((facts) =>
    [[SECTION], ['section-2'], [SECTION, 'section-2']].flatMap((matchedSectionIds) =>
      VIEWER_KEYS.map((viewer) => ({ name: `${viewer} → ${label(facts)} matched ${matchedSectionIds.join('+')}`, viewer, facts: { ...facts, matchedSectionIds } })),
    ),
  );
  it.each(matchedCases)('$name', ({ viewer, facts }) => {
    const expected = expectedSeen(viewer, facts.everSubmitted, facts.matchedSectionIds.includes(SECTION)) || (viewer === 'otherSection' && facts.matchedSectionIds.includes('section-2'));
    expect(canSeeProposal(VIEWERS[viewer], facts)).toBe(expected);
  });

  it('a section account without a section sees nothing; old events without matchedSectionIds are read as none', () => {
    const sectionless: Viewer = { kind: 'account', accountId: randomUUID(), role: Role.SECTION, sectionId: null, organisationId: null };
    expect(canSeeProposal(sectionless, { ...FACTS[0]!, matchedSectionIds: [SECTION] })).toBe(false);
    const legacy = { organisationId: ORG, everSubmitted: true, state: ProposalState.IN_DIALOGUE } as unknown as ProposalFacts;
    expect(canSeeProposal(VIEWERS.section, legacy)).toBe(false);
    expect(canSeeProposal(VIEWERS.desk, legacy)).toBe(true);
  });
});

describe('canCreateProposal: a proposer with an organisation', () => {
  it.each(VIEWER_KEYS)('%s', (viewer) => {
    expect(canCreateProposal(VIEWERS[viewer])).toBe(viewer === 'member' || viewer === 'otherMember');
  });
});

describe('canEditDraft / canChangeAttachments: a member, while DRAFT', () => {
  const cases = FACTS.flatMap((facts) => VIEWER_KEYS.map((viewer) => ({ name: `${viewer} → ${label(facts)}`, viewer, facts })));
  it.each(cases)('$name', ({ viewer, facts }) => {
    const expected = viewer === 'member' && facts.state === ProposalState.DRAFT;
    expect(canEditDraft(VIEWERS[viewer], facts)).toBe(expected);
    expect(canChangeAttachments(VIEWERS[viewer], facts)).toBe(expected);
  });
});

describe('canTransition: every viewer × state × transition', () => {
  const cases = FACTS.flatMap((facts) =>
    VIEWER_KEYS.flatMap((viewer) => PROPOSAL_TRANSITIONS.map((transition) => ({ name: `${viewer} ${transition} ${label(facts)}`, viewer, facts, transition }))),
  );
  it.each(cases)('$name', ({ viewer, facts, transition }) => {
    const stateAllows = checkProposalTransition(facts.state, transition).ok;
    const actor = TRANSITION_RULES[transition].actor;
    // These facts name no accepted lead: a leadSection transition has no actor here (see the partnerships policy tests).
    const rightActor = actor === 'member' ? viewer === 'member' : actor === 'desk' ? viewer === 'desk' && facts.everSubmitted : false;
    const suspendedBlocks = transition === 'submit' && facts.organisationSuspended;
    expect(canTransition(VIEWERS[viewer], facts, transition)).toBe(stateAllows && rightActor && !suspendedBlocks);
  });

  it('a suspended organisation cannot submit, but can still withdraw', () => {
    const draft: ProposalFacts = { organisationId: ORG, everSubmitted: false, state: ProposalState.DRAFT, organisationSuspended: true, matchedSectionIds: [] };
    expect(canTransition(VIEWERS.member, draft, 'submit')).toBe(false);
    expect(canTransition(VIEWERS.member, draft, 'withdraw')).toBe(true);
  });
});

/**
 * The SQL rule must agree with canSeeProposal for every viewer and every proposal: lists and
 * counts filter with proposalVisibilityFilter, and must never show more (or less) than the rule.
 * Every proposal in dialogue also gets, in turn, no match, a PENDING, ACCEPTED, DECLINED or
 * WITHDRAWN match of `section`, a match of another section, or a declined and a pending one.
 */
type MatchPlan = Array<[which: 'section' | 'other', MatchState]>;
const MATCH_PLANS: Record<string, MatchPlan> = {
  none: [],
  pending: [['section', MatchState.PENDING]],
  accepted: [['section', MatchState.ACCEPTED]],
  declined: [['section', MatchState.DECLINED]],
  withdrawn: [['section', MatchState.WITHDRAWN]],
  otherSection: [['other', MatchState.ACCEPTED]],
  declinedThenPending: [['section', MatchState.DECLINED], ['section', MatchState.PENDING]],
  both: [['section', MatchState.WITHDRAWN], ['other', MatchState.PENDING]],
};
describe('proposalVisibilityFilter agrees with canSeeProposal in PostgreSQL', () => {
  let db: TestDatabase;
  let viewers: Record<ViewerKey, Viewer>;
  const inserted: { id: string; facts: ReturnType<typeof proposalVisibilityFacts> }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const em = db.orm.em.fork();
    const own = await createOrganisation(em, '自社');
    const other = await createOrganisation(em, '他社');
    const [section, otherSection] = await createDepartmentWithSections(em, ['マッチ課', '別の課']);
    viewers = viewersFor(own.id, other.id, section!.id, otherSection!.id);
    // Every state, submitted or not, in both organisations.
    for (const organisation of [own, other]) {
      for (const state of ALL_STATES) {
        for (const everSubmitted of [false, true]) {
          const proposal = new Proposal(organisation, randomUUID());
          proposal.state = state;
          proposal.title = `${organisation.name} ${state} ${everSubmitted}`;
          proposal.submittedAt = everSubmitted ? new Date('2027-01-01T00:00:00Z') : null;
          em.persist(proposal);
          inserted.push({ id: proposal.id, facts: proposalVisibilityFacts(proposal) });
        }
      }
    }
    // Proposals in dialogue in both organisations, one per match plan: the match on another proposal
    // (the `otherSection` and `none` rows) must not leak to this one.
    for (const organisation of [own, other]) {
      for (const [name, plan] of Object.entries(MATCH_PLANS)) {
        const proposal = new Proposal(organisation, randomUUID());
        proposal.state = ProposalState.IN_DIALOGUE;
        proposal.title = `${organisation.name} matched ${name}`;
        proposal.submittedAt = new Date('2027-01-01T00:00:00Z');
        em.persist(proposal);
        for (const [which, state] of plan) {
          const match = new Match(proposal, which === 'section' ? section! : otherSection!, randomUUID());
          match.state = state;
          em.persist(match);
          proposal.matches.add(match);
        }
        inserted.push({ id: proposal.id, facts: proposalVisibilityFacts(proposal) });
      }
    }
    await em.flush();
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('stored every combination with the intended facts', async () => {
    const rows = await db.orm.em.fork().find(Proposal, {}, { populate: ['matches'] });
    expect(rows).toHaveLength(2 * ALL_STATES.length * 2 + 2 * Object.keys(MATCH_PLANS).length);
    const byId = new Map(rows.map((p) => [p.id, proposalVisibilityFacts(p)]));
    for (const entry of inserted) expect(byId.get(entry.id)).toEqual(entry.facts);
  });

  // 44 plain rows: each organisation has 22; the desk sees the 22 ever submitted. Plus 8 matched
  // rows per organisation (all submitted): `section` has an active match on pending, accepted and
  // declinedThenPending (3 each), `otherSection` on otherSection and both (2 each).
  const EXPECTED_VISIBLE: Record<ViewerKey, number> = { public: 0, desk: 22 + 16, section: 6, otherSection: 4, member: 22 + 8, otherMember: 22 + 8, formerMember: 0 };

  it.each(VIEWER_KEYS)('%s: find and count return exactly what canSeeProposal allows', async (key) => {
    const viewer = viewers[key];
    const expected = inserted
      .filter((p) => canSeeProposal(viewer, p.facts))
      .map((p) => p.id)
      .sort();
    const found = (await db.orm.em.fork().find(Proposal, proposalVisibilityFilter(viewer))).map((p) => p.id).sort();
    expect(found).toEqual(expected);
    expect(found).toHaveLength(EXPECTED_VISIBLE[key]);
    expect(await db.orm.em.fork().count(Proposal, proposalVisibilityFilter(viewer))).toBe(expected.length);
  });

  it('the member and the other organisation’s member see disjoint sets', async () => {
    const a = (await db.orm.em.fork().find(Proposal, proposalVisibilityFilter(viewers.member))).map((p) => p.id);
    const b = new Set((await db.orm.em.fork().find(Proposal, proposalVisibilityFilter(viewers.otherMember))).map((p) => p.id));
    expect(a.some((id) => b.has(id))).toBe(false);
  });
});
