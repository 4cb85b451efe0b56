import { NotificationKind } from './notification.entity.js';
import { MailDelivery } from './notification-preference.entity.js';

/**
 * How each kind is mailed until the person chooses. What asks something of the person at once —
 * being mentioned or answered, a stage of theirs over its target, a report falling due — is
 * mailed immediately: waiting a day would defeat it. What only keeps them informed — every new
 * message in a thread they follow, a proposal moving on — comes once a day in the digest, so an
 * active dialogue does not flood anyone's inbox.
 */
export const DEFAULT_MAIL_DELIVERY: Readonly<Record<NotificationKind, MailDelivery>> = {
  [NotificationKind.MENTION]: MailDelivery.IMMEDIATE,
  [NotificationKind.REPLY]: MailDelivery.IMMEDIATE,
  [NotificationKind.THREAD_MESSAGE]: MailDelivery.DAILY,
  [NotificationKind.PROPOSAL_STATE]: MailDelivery.DAILY,
  [NotificationKind.STAGE_OVER_TARGET]: MailDelivery.IMMEDIATE,
  [NotificationKind.REPORT_DUE]: MailDelivery.IMMEDIATE,
};

/** Every kind, in the order people see them on the settings page. */
export const MAIL_PREFERENCE_KINDS: readonly NotificationKind[] = Object.values(NotificationKind);

/** A person's delivery for each kind: their choice where they made one, else the default. */
export function effectiveDeliveries(chosen: ReadonlyMap<NotificationKind, MailDelivery>): Map<NotificationKind, MailDelivery> {
  return new Map(MAIL_PREFERENCE_KINDS.map((kind) => [kind, chosen.get(kind) ?? DEFAULT_MAIL_DELIVERY[kind]]));
}
