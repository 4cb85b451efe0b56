import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { Account } from './account.entity.js';

/**
 * A server-side session. The cookie holds a random token; only its SHA-256 is stored, so a
 * leaked table does not hand out live sessions.
 */
@Entity({ tableName: 'session' })
export class Session {
  @PrimaryKey({ type: 'text' })
  tokenHash: string;

  @Index()
  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account: Account;

  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'timestamptz' })
  lastSeenAt: Opt<Date> = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  constructor(tokenHash: string, account: Account, expiresAt: Date) {
    this.tokenHash = tokenHash;
    this.account = account;
    this.expiresAt = expiresAt;
  }
}
