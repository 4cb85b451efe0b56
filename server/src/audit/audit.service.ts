import type { EntityManager } from '@mikro-orm/postgresql';
import { QueryOrder, type FilterQuery } from '@mikro-orm/core';
import { FieldErrors, ForbiddenError } from '../errors/domain-errors.js';
import { checkPageSize, decodeKeyset, encodeKeyset } from '../graphql/connection.js';
import { Account } from '../identity/account.entity.js';
import { peopleOf } from '../identity/person-view.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import { AuditEntry } from './audit-entry.entity.js';
import { detailsSummary } from './audit.details.js';
import type { AuditEntryConnection } from './audit.types.js';

/**
 * The audit trail for the desk, newest first, optionally one action. A page costs a fixed number
 * of statements: the entries, the count, the actors (sections joined) and their memberships.
 */
export async function auditTrail(em: EntityManager, viewer: Viewer, first: number, after: string | null | undefined, action: string | null | undefined): Promise<AuditEntryConnection> {
  if (!isDesk(viewer)) throw new ForbiddenError('The audit trail is the desk’s');
  checkPageSize(first);
  const where: FilterQuery<AuditEntry> = action ? { action } : {};
  let pageWhere = where;
  if (after) {
    const cursor = decodeKeyset(after);
    if (!/^\d+$/.test(cursor.id)) new FieldErrors().add('after', 'INVALID', 'Not a cursor from this list').throwIfAny();
    pageWhere = { $and: [where, { $or: [{ at: { $lt: cursor.createdAt } }, { at: cursor.createdAt, id: { $lt: cursor.id } }] }] };
  }
  const rows = await em.find(AuditEntry, pageWhere, { orderBy: { at: QueryOrder.DESC, id: QueryOrder.DESC }, limit: first + 1 });
  const totalCount = await em.count(AuditEntry, where);
  const page = rows.slice(0, first);
  const actorIds = [...new Set(page.map((row) => row.actorId).filter((id): id is string => id !== null))];
  const accounts = actorIds.length ? await em.find(Account, { id: { $in: actorIds } }, { populate: ['section.department'] }) : [];
  const people = await peopleOf(em, accounts);
  const edges = page.map((row) => ({
    // The bigint key arrives as a JS bigint whatever the declared type: text for the cursor and the ID.
    cursor: encodeKeyset(row.at, String(row.id)),
    node: {
      id: String(row.id),
      at: row.at,
      action: row.action,
      actor: row.actorId ? (people.get(row.actorId) ?? null) : null,
      subjectKind: row.subjectKind,
      subjectId: row.subjectId,
      reason: row.reason,
      details: detailsSummary(row.details ?? {}),
    },
  }));
  return { edges, totalCount, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** The actions that occur in the trail, for the page's filter: one statement. */
export async function auditActions(em: EntityManager, viewer: Viewer): Promise<string[]> {
  if (!isDesk(viewer)) throw new ForbiddenError('The audit trail is the desk’s');
  const rows = await em.getConnection().execute<Array<{ action: string }>>('select distinct action from audit_entry order by action');
  return rows.map((row) => row.action);
}
