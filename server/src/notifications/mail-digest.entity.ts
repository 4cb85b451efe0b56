import type { Opt } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * One daily digest per person per Tokyo day: the row is inserted before the digest is built, in
 * the same transaction, so two server instances never send the same day's digest twice.
 */
@Entity({ tableName: 'mail_digest' })
export class MailDigest {
  @PrimaryKey({ type: 'uuid' })
  accountId: string;

  /** The Tokyo date (YYYY-MM-DD) the digest is for. */
  @PrimaryKey({ type: 'date' })
  digestDate: string;

  /** How many notifications it carried. */
  @Property({ type: 'integer' })
  itemCount: Opt<number> = 0;

  @Property({ type: 'timestamptz' })
  sentAt: Opt<Date> = new Date();

  constructor(accountId: string, digestDate: string) {
    this.accountId = accountId;
    this.digestDate = digestDate;
  }
}
