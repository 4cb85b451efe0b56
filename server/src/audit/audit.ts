import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEntry } from './audit-entry.entity.js';

/** The acts the audit trail (監査記録) records. */
export type AuditAction =
  | 'CASE_PUBLISHED'
  | 'CASE_WITHDRAWN'
  | 'CASE_CONSENT_GIVEN'
  | 'CASE_CONSENT_WITHDRAWN'
  | 'CASE_ITEM_REMOVED_FOR_PROTECTION'
  | 'PROPOSALS_EXPORTED'
  | 'PASSWORD_CHANGED'
  | 'SIGNED_OUT_EVERYWHERE'
  | 'ACCOUNT_DISABLED'
  | 'ACCOUNT_ENABLED';

export interface AuditRecord {
  actorId: string | null;
  action: AuditAction;
  subjectKind: string;
  subjectId: string | null;
  reason?: string | null;
  /** Facts about the act; never protected content or message text. */
  details?: Record<string, unknown>;
}

/**
 * Writes one audit row in the caller's transaction (pass the transactional EntityManager), so an
 * act and its record commit together or not at all.
 */
export function recordAudit(tx: EntityManager, record: AuditRecord): AuditEntry {
  const entry = new AuditEntry(record.actorId, record.action, record.subjectKind, record.subjectId, record.reason ?? null, record.details ?? {});
  tx.persist(entry);
  return entry;
}
