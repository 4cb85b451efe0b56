import type { EntityManager } from '@mikro-orm/postgresql';

export interface AuditChainCheck {
  /** Rows read, in chain order. */
  rows: number;
  /** The first row whose hash or link does not hold; null when the chain is whole. */
  brokenAt: { chainSeq: string; id: string; why: 'HASH' | 'LINK' | 'GAP' } | null;
}

/**
 * Verifies the audit trail's hash chain: every row's hash is the digest the database computes
 * from its facts and the previous row's hash, every row links to the row before it, and chain
 * numbers run 1, 2, 3… without a gap (a deleted row). The digest is recomputed by the same SQL
 * function the insert trigger used, so the two can never disagree on formatting. One statement,
 * streamed in order; for the desk's volumes (a few rows a day) reading it whole is fine.
 */
export async function verifyAuditChain(em: EntityManager): Promise<AuditChainCheck> {
  const rows = await em.getConnection().execute<Array<{ id: string; chain_seq: string; prev_hash: string; hash: string; expected: string }>>(
    'select e.id::text as id, e.chain_seq::text as chain_seq, e.prev_hash, e.hash, audit_entry_digest(e) as expected from audit_entry e order by e.chain_seq',
  );
  let previousHash = '';
  let expectedSeq = 1n;
  for (const row of rows) {
    const at = { chainSeq: row.chain_seq, id: row.id };
    if (BigInt(row.chain_seq) !== expectedSeq) return { rows: rows.length, brokenAt: { ...at, why: 'GAP' } };
    if (row.prev_hash !== previousHash) return { rows: rows.length, brokenAt: { ...at, why: 'LINK' } };
    if (row.hash !== row.expected) return { rows: rows.length, brokenAt: { ...at, why: 'HASH' } };
    previousHash = row.hash;
    expectedSeq += 1n;
  }
  return { rows: rows.length, brokenAt: null };
}
