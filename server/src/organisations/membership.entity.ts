import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Account } from '../identity/account.entity.js';
import { Organisation } from './organisation.entity.js';
import { viewerChangeTriggers } from '../identity/viewer-change.entity.js';

/**
 * A person's membership of an organisation. Leaving or removal sets leftAt; access to the
 * organisation's proposals ends in that same transaction. A proposer belongs to one organisation.
 */
// Any change to memberships can change a proposer's organisation: it moves the viewer-change counter on.
@Entity({ tableName: 'membership', triggers: viewerChangeTriggers('membership', null) })
@Index({ properties: ['organisation', 'leftAt'] })
@Index({ name: 'membership_one_active_per_account', expression: 'create unique index "membership_one_active_per_account" on "membership" ("account_id") where "left_at" is null' })
export class Membership {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organisation, { deleteRule: 'restrict' })
  organisation: Organisation;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  account: Account;

  @Property({ type: 'timestamptz' })
  joinedAt: Opt<Date> = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  leftAt: Date | null = null;

  /** Who removed them, when they did not leave themselves. */
  @Property({ type: 'uuid', nullable: true })
  removedBy: string | null = null;

  constructor(organisation: Organisation, account: Account) {
    this.organisation = organisation;
    this.account = account;
  }
}
