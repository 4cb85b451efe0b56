import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Role } from '../identity/account.entity.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { Section } from '../sections/section.entity.js';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { createDepartmentWithSections } from '../../test/factories.js';
import { Challenge, ChallengeStatus } from './challenge.entity.js';
import {
  canCreateChallenge,
  canEditChallenge,
  canSeeChallenge,
  canTransitionChallenge,
  challengeVisibilityFilter,
  visibilityFactsOf,
  type ChallengeVisibilityFacts,
} from './challenge.policy.js';
import type { ChallengeTransition } from './challenge.state.js';

const { DRAFT, OPEN, CLOSED } = ChallengeStatus;

/** The viewers every rule is checked against. `own` is the owning section's staff. */
type ViewerKey = 'public' | 'desk' | 'own' | 'other' | 'sectionless' | 'proposer' | 'proposerInOwn';
const VIEWER_KEYS: ViewerKey[] = ['public', 'desk', 'own', 'other', 'sectionless', 'proposer', 'proposerInOwn'];

function viewersFor(owningSectionId: string, otherSectionId: string): Record<ViewerKey, Viewer> {
  const account = (role: Role, sectionId: string | null): Viewer => ({ kind: 'account', accountId: randomUUID(), role, sectionId, organisationId: role === Role.PROPOSER ? randomUUID() : null });
  return {
    public: PUBLIC_VIEWER,
    desk: account(Role.DESK, null),
    own: account(Role.SECTION, owningSectionId),
    other: account(Role.SECTION, otherSectionId),
    sectionless: account(Role.SECTION, null),
    proposer: account(Role.PROPOSER, null),
    // A proposer account that (wrongly) carries a section id must not gain the section's rights.
    proposerInOwn: account(Role.PROPOSER, owningSectionId),
  };
}

/**
 * Who sees what, written out by hand from the rule's doc comment: the desk sees every challenge;
 * the owning section (所管課) sees its own, in any state; everyone else sees only published,
 * non-draft ones. D = desk, S = own section, O = other section, N = section staff with no section,
 * P = public / proposer / proposer carrying the owning section's id.
 */
interface StateRow {
  status: ChallengeStatus;
  published: boolean;
  owned: boolean;
  /** Which viewers see it. */
  seenBy: ViewerKey[];
  /** Which transitions the desk may make now (nobody else may make any). */
  deskMay: ChallengeTransition[];
}
const EVERYONE: ViewerKey[] = [...VIEWER_KEYS];
// prettier-ignore
const STATES: StateRow[] = [
  { status: DRAFT,  published: false, owned: false, seenBy: ['desk'],        deskMay: ['open'] },
  { status: DRAFT,  published: false, owned: true,  seenBy: ['desk', 'own'], deskMay: ['open'] },
  { status: DRAFT,  published: true,  owned: false, seenBy: ['desk'],        deskMay: ['open', 'unpublish'] },
  { status: DRAFT,  published: true,  owned: true,  seenBy: ['desk', 'own'], deskMay: ['open', 'unpublish'] },
  { status: OPEN,   published: false, owned: false, seenBy: ['desk'],        deskMay: ['close'] },
  { status: OPEN,   published: false, owned: true,  seenBy: ['desk', 'own'], deskMay: ['close', 'publish'] },
  { status: OPEN,   published: true,  owned: false, seenBy: EVERYONE,        deskMay: ['close', 'unpublish'] },
  { status: OPEN,   published: true,  owned: true,  seenBy: EVERYONE,        deskMay: ['close', 'unpublish'] },
  { status: CLOSED, published: false, owned: false, seenBy: ['desk'],        deskMay: ['open'] },
  { status: CLOSED, published: false, owned: true,  seenBy: ['desk', 'own'], deskMay: ['open', 'publish'] },
  { status: CLOSED, published: true,  owned: false, seenBy: EVERYONE,        deskMay: ['open', 'unpublish'] },
  { status: CLOSED, published: true,  owned: true,  seenBy: EVERYONE,        deskMay: ['open', 'unpublish'] },
];
const TRANSITIONS: ChallengeTransition[] = ['open', 'close', 'publish', 'unpublish'];

const label = (s: StateRow) => `${s.status}/${s.published ? 'published' : 'unpublished'}/${s.owned ? 'owned' : 'unowned'}`;

const OWNING = 'section-owning';
const OTHER = 'section-other';
const VIEWERS = viewersFor(OWNING, OTHER);
const factsOf = (s: StateRow, owningSectionId = OWNING): ChallengeVisibilityFacts => ({
  status: s.status,
  published: s.published,
  owningSectionId: s.owned ? owningSectionId : null,
});

describe('the expectation table', () => {
  it('covers every status × published × owned exactly once', () => {
    expect(new Set(STATES.map(label)).size).toBe(12);
    expect(STATES).toHaveLength(12);
  });
});

describe('canSeeChallenge', () => {
  const cases = STATES.flatMap((state) => VIEWER_KEYS.map((viewer) => ({ name: `${viewer} → ${label(state)}`, viewer, state })));
  it.each(cases)('$name', ({ viewer, state }) => {
    expect(canSeeChallenge(VIEWERS[viewer], factsOf(state))).toBe(state.seenBy.includes(viewer));
  });
});

describe('canCreateChallenge / canEditChallenge: the desk only', () => {
  it.each(VIEWER_KEYS)('%s', (viewer) => {
    expect(canCreateChallenge(VIEWERS[viewer])).toBe(viewer === 'desk');
    expect(canEditChallenge(VIEWERS[viewer])).toBe(viewer === 'desk');
  });
});

describe('canTransitionChallenge', () => {
  const cases = STATES.flatMap((state) =>
    VIEWER_KEYS.flatMap((viewer) => TRANSITIONS.map((transition) => ({ name: `${viewer} ${transition} ${label(state)}`, viewer, state, transition }))),
  );
  it.each(cases)('$name', ({ viewer, state, transition }) => {
    const allowed = viewer === 'desk' && state.deskMay.includes(transition);
    expect(canTransitionChallenge(VIEWERS[viewer], factsOf(state), transition)).toBe(allowed);
  });
});

/**
 * The SQL rule must agree with canSeeChallenge for every viewer and every challenge: lists and
 * counts filter with challengeVisibilityFilter, and must never show more (or less) than the rule.
 */
describe('challengeVisibilityFilter agrees with canSeeChallenge in PostgreSQL', () => {
  let db: TestDatabase;
  let viewers: Record<ViewerKey, Viewer>;
  /** Every challenge inserted, with its facts as the rule sees them. */
  const inserted: { id: string; facts: ChallengeVisibilityFacts; row: StateRow; owner: 'none' | 'owning' | 'other' }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const em = db.orm.em.fork();
    const [owning, other] = await createDepartmentWithSections(em, ['環境政策課', '産業振興課']);
    viewers = viewersFor(owning!.id, other!.id);
    const creator = randomUUID();
    // Each state once without an owner, once owned by the viewer-owning section, and once owned
    // by the other section (so each section viewer has both its own and someone else's).
    for (const row of STATES) {
      const owners: ('none' | 'owning' | 'other')[] = row.owned ? ['owning', 'other'] : ['none'];
      for (const owner of owners) {
        const section = owner === 'owning' ? owning! : owner === 'other' ? other! : null;
        const challenge = new Challenge(
          {
            title: `${label(row)} ${owner}`,
            description: 'テスト',
            background: '',
            owningSection: section ? em.getReference(Section, section.id) : null,
            fieldCodes: [],
            periodStart: null,
            periodEnd: null,
            contact: '03-0000-0000',
          },
          creator,
        );
        challenge.status = row.status;
        challenge.publishedAt = row.published ? new Date('2027-01-01T00:00:00Z') : null;
        em.persist(challenge);
        inserted.push({ id: challenge.id, facts: visibilityFactsOf(challenge), row, owner });
      }
    }
    await em.flush();
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('stored every combination with the intended facts', async () => {
    const em = db.orm.em.fork();
    const rows = await em.find(Challenge, {}, { populate: [] });
    expect(rows).toHaveLength(STATES.length + STATES.filter((s) => s.owned).length);
    const byId = new Map(rows.map((c) => [c.id, visibilityFactsOf(c)]));
    for (const entry of inserted) expect(byId.get(entry.id), entry.id).toEqual(entry.facts);
  });

  // 18 rows: 6 public (OPEN/CLOSED published, any owner); each section also has its own 4 hidden ones.
  const EXPECTED_VISIBLE: Record<ViewerKey, number> = { public: 6, desk: 18, own: 10, other: 10, sectionless: 6, proposer: 6, proposerInOwn: 6 };

  it.each(VIEWER_KEYS)('%s: find and count return exactly what canSeeChallenge allows', async (key) => {
    const viewer = viewers[key];
    const em = db.orm.em.fork();
    const expected = inserted
      .filter((c) => canSeeChallenge(viewer, c.facts))
      .map((c) => c.id)
      .sort();
    const found = (await em.find(Challenge, challengeVisibilityFilter(viewer))).map((c) => c.id).sort();
    expect(found).toEqual(expected);
    expect(found).toHaveLength(EXPECTED_VISIBLE[key]);
    expect(await em.fork().count(Challenge, challengeVisibilityFilter(viewer))).toBe(expected.length);
  });

  it('and canSeeChallenge itself matches the hand-written table on the stored rows', () => {
    for (const { facts, row, owner } of inserted) {
      for (const key of VIEWER_KEYS) {
        // Rows owned by the other section: the "own" and "other" viewers swap places.
        const asKey: ViewerKey = owner === 'other' ? (key === 'own' ? 'other' : key === 'other' ? 'own' : key === 'proposerInOwn' ? 'proposer' : key) : key;
        expect(canSeeChallenge(viewers[key], facts), `${key} → ${label(row)} owned by ${owner}`).toBe(row.seenBy.includes(asKey));
      }
    }
  });
});
