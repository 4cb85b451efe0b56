import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { AuditEntry } from './audit-entry.entity.js';
import { recordAudit } from './audit.js';
import { verifyAuditChain } from './audit-chain.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

async function write(count: number, concurrently = false): Promise<void> {
  const one = (n: number) =>
    db.orm.em.fork().transactional(async (tx) => {
      recordAudit(tx, { actorId: null, action: 'PROPOSALS_EXPORTED', subjectKind: 'proposals', subjectId: null, details: { rowCount: n, note: n % 2 ? '' : null } });
    });
  if (concurrently) await Promise.all(Array.from({ length: count }, (_, n) => one(n)));
  else for (let n = 0; n < count; n++) await one(n);
}

/** Changes a row behind the append-only trigger's back, as a superuser could. */
async function tamper(sql: string): Promise<void> {
  await db.orm.em.fork().getConnection().execute(`alter table audit_entry disable trigger user; ${sql}; alter table audit_entry enable trigger user;`);
}

describe('the audit chain (監査記録の改ざん検知)', () => {
  it('links every row to the one before, in one order even when transactions insert at once', async () => {
    await write(3);
    await write(12, true);
    const rows = await db.orm.em.fork().find(AuditEntry, {}, { orderBy: { chainSeq: 'asc' } });
    expect(rows.map((row) => Number(row.chainSeq))).toEqual(Array.from({ length: 15 }, (_, n) => n + 1));
    expect(rows[0]!.prevHash).toBe('');
    for (let n = 1; n < rows.length; n++) expect(rows[n]!.prevHash).toBe(rows[n - 1]!.hash);
    expect(new Set(rows.map((row) => row.hash)).size).toBe(15);
    expect(await verifyAuditChain(db.orm.em.fork())).toEqual({ rows: 15, brokenAt: null });
  });

  it('finds a row whose facts were changed, a row removed, and a forged hash', async () => {
    const before = await verifyAuditChain(db.orm.em.fork());
    expect(before.brokenAt).toBeNull();

    await tamper(`update audit_entry set details = '{"rowCount": 9999}' where chain_seq = 4`);
    expect((await verifyAuditChain(db.orm.em.fork())).brokenAt).toMatchObject({ chainSeq: '4', why: 'HASH' });

    // Recomputing that row's hash to match hides nothing: the next row still links to the old one.
    await tamper(`update audit_entry set hash = audit_entry_digest(audit_entry) where chain_seq = 4`);
    expect((await verifyAuditChain(db.orm.em.fork())).brokenAt).toMatchObject({ chainSeq: '5', why: 'LINK' });

    await tamper(`delete from audit_entry where chain_seq >= 4 and chain_seq <= 6`);
    expect((await verifyAuditChain(db.orm.em.fork())).brokenAt).toMatchObject({ chainSeq: '7', why: 'GAP' });
  });

  it('keeps refusing updates and deletes through the triggers', async () => {
    const connection = db.orm.em.fork().getConnection();
    await expect(connection.execute(`update audit_entry set reason = 'x' where chain_seq = 1`)).rejects.toThrow(/append-only/);
    await expect(connection.execute(`delete from audit_entry where chain_seq = 1`)).rejects.toThrow(/append-only/);
  });
});
