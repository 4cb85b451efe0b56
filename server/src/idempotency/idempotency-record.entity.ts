import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';

/**
 * The first result of a creating mutation, by the caller's idempotency key, so a retry after a
 * timeout returns that result instead of creating a second thing.
 */
@Entity({ tableName: 'idempotency_record' })
export class IdempotencyRecord {
  @PrimaryKey({ type: 'uuid' })
  accountId: string;

  @PrimaryKey({ type: 'text' })
  key: string;

  @Property({ type: 'text' })
  operation: string;

  @Property({ type: 'text' })
  resultId: string;

  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  constructor(accountId: string, key: string, operation: string, resultId: string) {
    this.accountId = accountId;
    this.key = key;
    this.operation = operation;
    this.resultId = resultId;
  }
}
