import type { EntityManager } from '@mikro-orm/postgresql';
import { UnauthenticatedError } from '../errors/domain-errors.js';
import type { Viewer } from '../identity/viewer.js';
import { NotificationKind } from './notification.entity.js';
import { MailDelivery, NotificationPreference } from './notification-preference.entity.js';
import { effectiveDeliveries } from './notification-preferences.js';

export interface MailPreferenceRow {
  kind: NotificationKind;
  delivery: MailDelivery;
  isDefault: boolean;
}

function accountIdOf(viewer: Viewer): string {
  if (viewer.kind !== 'account') throw new UnauthenticatedError();
  return viewer.accountId;
}

/** The person's delivery for every kind (their choice, or the default): one statement. */
export async function myMailPreferences(em: EntityManager, viewer: Viewer): Promise<MailPreferenceRow[]> {
  const accountId = accountIdOf(viewer);
  const rows = await em.find(NotificationPreference, { accountId });
  const chosen = new Map(rows.map((row) => [row.kind, row.delivery]));
  return [...effectiveDeliveries(chosen)].map(([kind, delivery]) => ({ kind, delivery, isDefault: !chosen.has(kind) }));
}

/**
 * Sets the person's delivery for one kind: an upsert on (account, kind), so two tabs saving at
 * once both succeed and the last one wins (a preference has no history worth a CONFLICT). It
 * applies to notifications the mailer has not decided yet.
 */
export async function setMailPreference(em: EntityManager, viewer: Viewer, kind: NotificationKind, delivery: MailDelivery): Promise<MailPreferenceRow[]> {
  const accountId = accountIdOf(viewer);
  await em.getConnection().execute(
    `insert into notification_preference (id, account_id, kind, delivery, updated_at) values (gen_random_uuid(), ?, ?, ?, now())
     on conflict (account_id, kind) do update set delivery = excluded.delivery, updated_at = now()`,
    [accountId, kind, delivery],
  );
  return myMailPreferences(em.fork(), viewer);
}
