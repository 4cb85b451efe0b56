import { describe, expect, it } from 'vitest';
import { Role } from './account.entity.js';
import { disableRefusal, enableRefusal } from './account-access.policy.js';
import { PUBLIC_VIEWER, type Viewer } from './viewer.js';

const as = (role: Role): Viewer => ({ kind: 'account', accountId: 'a', role, sectionId: null, organisationId: null });
const VIEWERS: Array<[string, Viewer]> = [['public', PUBLIC_VIEWER], ...Object.values(Role).map((role): [string, Viewer] => [role, as(role)])];

describe('who may disable whom', () => {
  for (const [who, viewer] of VIEWERS) {
    for (const role of Object.values(Role)) {
      for (const disabled of [false, true]) {
        for (const enabledDesk of [1, 2]) {
          const expected = who !== Role.DESK ? 'NOT_DESK' : disabled ? 'ALREADY_DISABLED' : role === Role.DESK && enabledDesk === 1 ? 'LAST_DESK_ACCOUNT' : null;
          it(`${who} disabling a ${disabled ? 'disabled' : 'enabled'} ${role} account with ${enabledDesk} enabled desk account(s): ${expected ?? 'allowed'}`, () => {
            expect(disableRefusal(viewer, { role, disabled }, enabledDesk)).toBe(expected);
          });
        }
      }
    }
  }
});

describe('who may enable whom', () => {
  for (const [who, viewer] of VIEWERS) {
    for (const role of Object.values(Role)) {
      for (const disabled of [false, true]) {
        const expected = who !== Role.DESK ? 'NOT_DESK' : disabled ? null : 'ALREADY_ENABLED';
        it(`${who} enabling a ${disabled ? 'disabled' : 'enabled'} ${role} account: ${expected ?? 'allowed'}`, () => {
          expect(enableRefusal(viewer, { role, disabled })).toBe(expected);
        });
      }
    }
  }
});
