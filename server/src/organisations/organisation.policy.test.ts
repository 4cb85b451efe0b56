import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Role } from '../identity/account.entity.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { Organisation, OrganisationKind } from './organisation.entity.js';
import { ORGANISATION_ACTIONS, canActOnOrganisation, organisationVisibilityFilter, type OrganisationAction, type OrganisationFacts } from './organisation.policy.js';

type ViewerKey = 'public' | 'desk' | 'section' | 'member' | 'otherMember' | 'former' | 'sectionCarryingOrg' | 'deskCarryingOrg';
const VIEWER_KEYS: ViewerKey[] = ['public', 'desk', 'section', 'member', 'otherMember', 'former', 'sectionCarryingOrg', 'deskCarryingOrg'];

const ORG = randomUUID();
const OTHER_ORG = randomUUID();
const account = (role: Role, organisationId: string | null, sectionId: string | null = null): Viewer => ({ kind: 'account', accountId: randomUUID(), role, sectionId, organisationId });
const VIEWERS: Record<ViewerKey, Viewer> = {
  public: PUBLIC_VIEWER,
  desk: account(Role.DESK, null),
  section: account(Role.SECTION, null, randomUUID()),
  member: account(Role.PROPOSER, ORG),
  otherMember: account(Role.PROPOSER, OTHER_ORG),
  // Left or was removed: the viewer is re-read per request, so they carry no organisation any more.
  former: account(Role.PROPOSER, null),
  // A non-proposer account that (wrongly) carries the organisation's id gains nothing from it.
  sectionCarryingOrg: account(Role.SECTION, ORG, randomUUID()),
  deskCarryingOrg: account(Role.DESK, ORG),
};

interface StateRow {
  verified: boolean;
  suspended: boolean;
  /** Who may do each action in this state; an action not listed is nobody's. */
  may: Partial<Record<OrganisationAction, ViewerKey[]>>;
}
const SEE: ViewerKey[] = ['desk', 'member', 'deskCarryingOrg'];
const MEMBER: ViewerKey[] = ['member'];
const DESK: ViewerKey[] = ['desk', 'deskCarryingOrg'];
// Written out by hand from the rule's doc comment.
// prettier-ignore
const STATES: StateRow[] = [
  { verified: false, suspended: false, may: { see: SEE, invite: MEMBER, revokeInvitation: MEMBER, leave: MEMBER, removeMember: MEMBER, verify: DESK, suspend: DESK } },
  { verified: true,  suspended: false, may: { see: SEE, invite: MEMBER, revokeInvitation: MEMBER, leave: MEMBER, removeMember: MEMBER, suspend: DESK } },
  { verified: false, suspended: true,  may: { see: SEE, revokeInvitation: MEMBER, leave: MEMBER, removeMember: MEMBER, verify: DESK, reinstate: DESK } },
  { verified: true,  suspended: true,  may: { see: SEE, revokeInvitation: MEMBER, leave: MEMBER, removeMember: MEMBER, reinstate: DESK } },
];

describe('organisation policy: every role × action × state', () => {
  for (const state of STATES) {
    const facts: OrganisationFacts = { id: ORG, verified: state.verified, suspended: state.suspended };
    it(`${state.verified ? 'verified' : 'unverified'}/${state.suspended ? 'suspended' : 'active'}`, () => {
      const actual: string[] = [];
      const expected: string[] = [];
      for (const action of ORGANISATION_ACTIONS) {
        for (const key of VIEWER_KEYS) {
          if (canActOnOrganisation(VIEWERS[key], facts, action)) actual.push(`${key} ${action}`);
          if (state.may[action]?.includes(key)) expected.push(`${key} ${action}`);
        }
      }
      expect(actual).toEqual(expected);
    });
  }
});

describe('the visibility rule in SQL agrees with canActOnOrganisation(see)', () => {
  let db: TestDatabase;
  const ids: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    const em = db.orm.em.fork();
    for (const [index, id] of [ORG, OTHER_ORG, randomUUID()].entries()) {
      const organisation = em.create(Organisation, {
        id,
        name: `団体${index}`,
        nameKana: 'ダンタイ',
        kind: OrganisationKind.OTHER,
        corporateNumber: null,
        address: '板橋区',
        representative: '代表',
        contactName: '担当',
        contactEmail: 'a@example.jp',
        contactPhone: '03-0000-0000',
      });
      if (index === 1) organisation.suspendedAt = new Date();
      ids.push(id);
    }
    await em.flush();
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('lists for each viewer exactly the organisations it may see', async () => {
    for (const key of VIEWER_KEYS) {
      const viewer = VIEWERS[key];
      const em = db.orm.em.fork();
      const rows = await em.find(Organisation, organisationVisibilityFilter(viewer));
      const seen = rows.map((row) => row.id).sort();
      const all = await em.find(Organisation, {});
      const expected = all
        .filter((row) => canActOnOrganisation(viewer, { id: row.id, verified: row.verifiedAt !== null, suspended: row.suspendedAt !== null }, 'see'))
        .map((row) => row.id)
        .sort();
      expect([key, seen]).toEqual([key, expected]);
    }
    // And the table means something: the desk sees all three, a member one, the rest none.
    expect((await db.orm.em.fork().find(Organisation, organisationVisibilityFilter(VIEWERS.member))).map((o) => o.id)).toEqual([ORG]);
    expect(await db.orm.em.fork().count(Organisation, organisationVisibilityFilter(VIEWERS.desk))).toBe(3);
    expect(await db.orm.em.fork().count(Organisation, organisationVisibilityFilter(VIEWERS.former))).toBe(0);
  });
});
