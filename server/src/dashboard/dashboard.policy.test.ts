import { describe, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { deskDashboardRefusal, sectionDashboardRefusal } from './dashboard.policy.js';

const account = (role: Role, sectionId: string | null = null, organisationId: string | null = null): Viewer => ({ kind: 'account', accountId: 'a', role, sectionId, organisationId });

const VIEWERS: Array<[string, Viewer]> = [
  ['public', PUBLIC_VIEWER],
  ['proposer', account(Role.PROPOSER, null, 'o')],
  ['proposer without organisation', account(Role.PROPOSER)],
  ['section staff', account(Role.SECTION, 's')],
  ['section account without a section', account(Role.SECTION)],
  ['desk', account(Role.DESK)],
];

describe('who has which dashboard', () => {
  it('the desk dashboard is the desk’s alone', () => {
    expect(VIEWERS.map(([who, viewer]) => [who, deskDashboardRefusal(viewer)])).toEqual([
      ['public', 'UNAUTHENTICATED'],
      ['proposer', 'FORBIDDEN'],
      ['proposer without organisation', 'FORBIDDEN'],
      ['section staff', 'FORBIDDEN'],
      ['section account without a section', 'FORBIDDEN'],
      ['desk', null],
    ]);
  });

  it('a section dashboard is its staff’s alone', () => {
    expect(VIEWERS.map(([who, viewer]) => [who, sectionDashboardRefusal(viewer)])).toEqual([
      ['public', 'UNAUTHENTICATED'],
      ['proposer', 'FORBIDDEN'],
      ['proposer without organisation', 'FORBIDDEN'],
      ['section staff', null],
      ['section account without a section', 'FORBIDDEN'],
      ['desk', 'FORBIDDEN'],
    ]);
  });
});
