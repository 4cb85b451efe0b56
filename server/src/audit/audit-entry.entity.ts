import type { Opt } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * The desk's audit trail (監査記録) of acts that carry information out or make it public:
 * publishing and withdrawing a case, the proposer's consent and its withdrawal, exports.
 * Append-only: a trigger refuses updates and deletes. Rows name what was done and to what,
 * never the content itself. Each row is chained to the one before by a hash the database computes
 * on insert (`audit_entry_digest`, under a lock, in chain order), so a row changed or removed
 * behind the triggers' back is found by `verifyAuditChain` (audit-chain.ts, `pnpm audit:verify`).
 */
@Entity({
  tableName: 'audit_entry',
  triggers: [
    {
      name: 'audit_entry_append_only',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: "raise exception 'audit_entry is append-only'",
    },
    {
      // One chain: a transaction-scoped advisory lock orders concurrent inserts; the digest
      // function is created by the migration (a hand-written routine, like renkei_bigrams).
      name: 'audit_entry_chain',
      timing: 'before',
      events: ['insert'],
      forEach: 'row',
      body: "perform pg_advisory_xact_lock(7305001); new.chain_seq := coalesce((select max(chain_seq) from audit_entry), 0) + 1; new.prev_hash := coalesce((select hash from audit_entry where chain_seq = new.chain_seq - 1), ''); new.hash := audit_entry_digest(new); return new;",
    },
  ],
})
@Index({ properties: ['at'] })
@Index({ properties: ['subjectKind', 'subjectId', 'at'] })
export class AuditEntry {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: Opt<string>;

  @Property({ type: 'timestamptz' })
  at: Opt<Date> = new Date();

  /** Who did it; null for the system. */
  @Property({ type: 'uuid', nullable: true })
  actorId: string | null;

  /** What was done, e.g. CASE_PUBLISHED, CASE_WITHDRAWN, CASE_CONSENT_GIVEN, PROPOSALS_EXPORTED. */
  @Property({ type: 'text' })
  action: string;

  /** What it was done to: 'proposal', 'case', 'proposals' (an export), … */
  @Property({ type: 'text' })
  subjectKind: string;

  @Property({ type: 'text', nullable: true })
  subjectId: string | null;

  /** The reason given, where the act needs one (a withdrawal). */
  @Property({ type: 'text', nullable: true })
  reason: string | null;

  /** The row's place in the hash chain (set by the database's insert trigger; the defaults only let the ORM leave them out). */
  @Property({ type: 'bigint', unique: true, defaultRaw: '0' })
  chainSeq!: Opt<string>;

  /** The previous row's hash ('' for the first). */
  @Property({ type: 'text', default: '' })
  prevHash!: Opt<string>;

  /** sha256 over this row's facts and prevHash (set by the database on insert). */
  @Property({ type: 'text', default: '' })
  hash!: Opt<string>;

  /** Facts about the act (an export's columns, filter and row count); never protected content. */
  @Property({ type: 'json' })
  details: Opt<Record<string, unknown>> = {};

  constructor(actorId: string | null, action: string, subjectKind: string, subjectId: string | null, reason: string | null = null, details: Record<string, unknown> = {}) {
    this.actorId = actorId;
    this.action = action;
    this.subjectKind = subjectKind;
    this.subjectId = subjectId;
    this.reason = reason;
    this.details = details;
  }
}
