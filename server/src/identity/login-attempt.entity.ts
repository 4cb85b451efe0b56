import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';

/** One sign-in attempt, kept for throttling (per e-mail address) and for the audit trail. */
@Entity({ tableName: 'login_attempt' })
@Index({ properties: ['email', 'attemptedAt'] })
export class LoginAttempt {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: Opt<string>;

  @Property({ type: 'text' })
  email: string;

  @Property({ type: 'text', nullable: true })
  address: string | null;

  @Property({ type: 'boolean' })
  succeeded: boolean;

  @Property({ type: 'timestamptz' })
  attemptedAt: Opt<Date> = new Date();

  constructor(email: string, address: string | null, succeeded: boolean) {
    this.email = email;
    this.address = address;
    this.succeeded = succeeded;
  }
}
