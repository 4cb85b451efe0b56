import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { Account } from './account.entity.js';
import { viewerChangeTriggers } from './viewer-change.entity.js';

/**
 * A server-side session. The cookie holds a random token; only its SHA-256 is stored, so a
 * leaked table does not hand out live sessions.
 */
// Ending a session, or a session's last use moved back (never done by the platform; a test does it to idle one), moves the viewer-change counter on; a touch does not.
@Entity({
  tableName: 'session',
  triggers: viewerChangeTriggers(
    'session',
    'old.revoked_at is distinct from new.revoked_at or old.expires_at is distinct from new.expires_at or new.last_seen_at < old.last_seen_at or old.account_id is distinct from new.account_id or old.token_hash is distinct from new.token_hash',
  ),
})
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
