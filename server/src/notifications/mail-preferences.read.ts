import type { EntityManager } from '@mikro-orm/postgresql';
import { background } from './background-sql.js';
import type { NotificationKind } from './notification.entity.js';
import type { MailDelivery } from './notification-preference.entity.js';
import { DEFAULT_MAIL_DELIVERY } from './notification-preferences.js';

/** Each person's delivery per kind as chosen now (absent: the default), for the mail jobs: one statement. */
export async function readDeliveries(em: EntityManager, accountIds: readonly string[]): Promise<(accountId: string, kind: NotificationKind) => MailDelivery> {
  const chosen = new Map<string, MailDelivery>();
  if (accountIds.length > 0) {
    const rows = await em.execute<Array<{ account_id: string; kind: string; delivery: MailDelivery }>>(
        background(`select account_id, kind, delivery from notification_preference where account_id in (${accountIds.map(() => '?').join(', ')})`),
        [...accountIds],
      );
    for (const row of rows) chosen.set(`${row.account_id}:${row.kind}`, row.delivery);
  }
  return (accountId, kind) => chosen.get(`${accountId}:${kind}`) ?? DEFAULT_MAIL_DELIVERY[kind];
}
