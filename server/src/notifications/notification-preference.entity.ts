import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { NotificationKind } from './notification.entity.js';

/** How a person hears of a kind of notification by mail. The bell shows every kind regardless. */
export enum MailDelivery {
  IMMEDIATE = 'IMMEDIATE',
  /** One mail a day, grouped by proposal, newest first. */
  DAILY = 'DAILY',
  NONE = 'NONE',
}
registerEnumType(MailDelivery, { name: 'MailDelivery', description: 'IMMEDIATE, a DAILY digest, or NONE' });

/**
 * A person's choice of mail delivery for one kind of notification. A kind without a row uses
 * the default (notification-preferences.ts), so people are not flooded before they choose.
 */
@Entity({ tableName: 'notification_preference' })
@Unique({ properties: ['accountId', 'kind'] })
export class NotificationPreference {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  accountId: string;

  @Enum({ items: () => NotificationKind, nativeEnumName: 'notification_kind' })
  kind: NotificationKind;

  @Enum({ items: () => MailDelivery, nativeEnumName: 'mail_delivery' })
  delivery: MailDelivery;

  @Property({ type: 'timestamptz' })
  updatedAt: Opt<Date> = new Date();

  constructor(accountId: string, kind: NotificationKind, delivery: MailDelivery) {
    this.accountId = accountId;
    this.kind = kind;
    this.delivery = delivery;
  }
}
