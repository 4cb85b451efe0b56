import type { Opt } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * A reminder that was sent (督促): its key names what it is about and which round it is, e.g.
 * `stage:<proposalId>:<stage>:<stateEnteredAt>:<round>:<recipientId>`. The key is the primary key, so two
 * server instances that decide the same reminder at once insert it once and only the winner
 * notifies (insert … on conflict do nothing).
 */
@Entity({ tableName: 'reminder' })
export class Reminder {
  @PrimaryKey({ type: 'text' })
  key: string;

  @Property({ type: 'uuid' })
  recipientId: string;

  @Property({ type: 'uuid' })
  proposalId: string;

  @Property({ type: 'timestamptz' })
  sentAt: Opt<Date> = new Date();

  constructor(key: string, recipientId: string, proposalId: string) {
    this.key = key;
    this.recipientId = recipientId;
    this.proposalId = proposalId;
  }
}
