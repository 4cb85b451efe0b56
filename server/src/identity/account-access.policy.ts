import { Role } from './account.entity.js';
import type { Viewer } from './viewer.js';

/** Why disabling or enabling an account is refused, or null when it may be done. */
export type AccountAccessRefusal = 'NOT_DESK' | 'ALREADY_DISABLED' | 'ALREADY_ENABLED' | 'LAST_DESK_ACCOUNT';

export interface AccountFacts {
  role: Role;
  disabled: boolean;
}

/**
 * Who may disable whom (pure). Only the desk manages accounts. Any account may be disabled,
 * the desk's own included — except the last enabled desk account: the ward would be locked out.
 * `enabledDeskAccounts` counts the enabled desk accounts now, the target among them if it is one.
 */
export function disableRefusal(viewer: Viewer, target: AccountFacts, enabledDeskAccounts: number): AccountAccessRefusal | null {
  if (viewer.kind !== 'account' || viewer.role !== Role.DESK) return 'NOT_DESK';
  if (target.disabled) return 'ALREADY_DISABLED';
  if (target.role === Role.DESK && enabledDeskAccounts <= 1) return 'LAST_DESK_ACCOUNT';
  return null;
}

/** Who may enable whom (pure): the desk, any disabled account. */
export function enableRefusal(viewer: Viewer, target: AccountFacts): AccountAccessRefusal | null {
  if (viewer.kind !== 'account' || viewer.role !== Role.DESK) return 'NOT_DESK';
  if (!target.disabled) return 'ALREADY_ENABLED';
  return null;
}
