import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import { recordAudit } from '../audit/audit.js';
import { ConflictError, FieldErrors, ForbiddenError, NotFoundError } from '../errors/domain-errors.js';
import { transact } from '../events/transaction.js';
import { checkPageSize, decodeKeyset, encodeKeyset } from '../graphql/connection.js';
import { boundQuery } from '../db/bound-query.js';
import { escapeLike } from '../search/search.validation.js';
import { isDesk, type Viewer } from './viewer.js';
import { Account, Role } from './account.entity.js';
import { disableRefusal, enableRefusal, type AccountAccessRefusal } from './account-access.policy.js';
import { endSessions } from './session-end.js';
import type { AccountListFilter, AccountListItem, AccountListConnection } from './account-admin.types.js';

export const ACCOUNT_REASON_MAX = 500;
const SEARCH_MAX = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface AccountRow {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  disabled_at: Date | null;
  created_at: Date;
  section_name: string | null;
  department_name: string | null;
  organisation_name: string | null;
  total: string;
}

/**
 * The desk's list of accounts, newest first: search over name, e-mail, section and organisation,
 * optionally one role and enabled or disabled. One statement per page (the count alongside).
 */
export async function listAccounts(em: EntityManager, viewer: Viewer, first: number, after: string | null | undefined, filter: AccountListFilter): Promise<AccountListConnection> {
  if (!isDesk(viewer)) throw new ForbiddenError('Accounts are managed by the desk');
  checkPageSize(first);
  const search = (filter.search ?? '').trim();
  if (search.length > SEARCH_MAX) new FieldErrors().add('search', 'TOO_LONG', `At most ${SEARCH_MAX} characters`).throwIfAny();
  const cursor = after ? decodeKeyset(after) : null;
  if (cursor && !UUID.test(cursor.id)) new FieldErrors().add('after', 'INVALID', 'Not a cursor from this list').throwIfAny();
  const rows = await accountRows(em, filter, search, cursor, first + 1, null);
  const total = rows[0] ? Number(rows[0].total) : after ? await countOnly(em, viewer, filter) : 0;
  const page = rows.slice(0, first);
  const edges = page.map((row) => ({ cursor: encodeKeyset(new Date(row.created_at), row.id), node: toItem(row) }));
  return { edges, totalCount: total, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** The list's one statement; `onlyId` reads one account the way the list shows it. */
function accountRows(em: EntityManager, filter: AccountListFilter, search: string, cursor: { createdAt: Date; id: string } | null, limit: number, onlyId: string | null): Promise<AccountRow[]> {
  return boundQuery<AccountRow>(
    em,
    `with matching as (
       select a.id, a.email, a.display_name, a.role, a.disabled_at, a.created_at,
              s.name as section_name, d.name as department_name, o.name as organisation_name
         from account a
         left join section s on s.id = a.section_id
         left join department d on d.id = s.department_id
         left join membership m on m.account_id = a.id and m.left_at is null and a.role = 'PROPOSER'
         left join organisation o on o.id = m.organisation_id
        where ($1::text is null or a.display_name ilike $1 or a.email ilike $1 or s.name ilike $1 or d.name ilike $1 or o.name ilike $1)
          and ($2::text is null or a.role::text = $2)
          and ($3::boolean is null or (a.disabled_at is null) = $3)
          and ($7::uuid is null or a.id = $7)
     )
     select m.*, (select count(*) from matching)::text as total from matching m
      where $4::timestamptz is null or (m.created_at, m.id) < ($4::timestamptz, $5::uuid)
      order by m.created_at desc, m.id desc limit $6`,
    [search ? `%${escapeLike(search)}%` : null, filter.role ?? null, filter.enabled ?? null, cursor?.createdAt ?? null, cursor?.id ?? null, limit, onlyId],
  );
}

/** A page after the last has no rows to carry the count: ask for it from the start. */
async function countOnly(em: EntityManager, viewer: Viewer, filter: AccountListFilter): Promise<number> {
  return (await listAccounts(em, viewer, 1, null, filter)).totalCount;
}

function toItem(row: AccountRow): AccountListItem {
  const role = row.role;
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role,
    sectionName: role === Role.SECTION ? row.section_name : null,
    departmentName: role === Role.SECTION ? row.department_name : null,
    organisationName: role === Role.PROPOSER ? row.organisation_name : null,
    enabled: row.disabled_at === null,
    disabledAt: row.disabled_at ? new Date(row.disabled_at) : null,
  };
}

function cleanReason(reason: string): string {
  const clean = reason.trim();
  const errors = new FieldErrors();
  if (clean === '') errors.add('reason', 'REQUIRED', 'Give a reason');
  else if (clean.length > ACCOUNT_REASON_MAX) errors.add('reason', 'TOO_LONG', `At most ${ACCOUNT_REASON_MAX} characters`);
  errors.throwIfAny();
  return clean;
}

function refuse(refusal: AccountAccessRefusal): never {
  switch (refusal) {
    case 'NOT_DESK':
      throw new ForbiddenError('Accounts are managed by the desk');
    case 'LAST_DESK_ACCOUNT':
      throw new ConflictError('ILLEGAL_STATE', 'The last enabled desk account cannot be disabled', { rule: 'LAST_DESK_ACCOUNT' });
    case 'ALREADY_DISABLED':
      throw new ConflictError('ILLEGAL_STATE', 'The account is already disabled', { rule: 'ALREADY_DISABLED' });
    case 'ALREADY_ENABLED':
      throw new ConflictError('ILLEGAL_STATE', 'The account is already enabled', { rule: 'ALREADY_ENABLED' });
  }
}

/**
 * The desk disables an account, with a reason: it can no longer sign in, and every session of it
 * ends at once with its sockets, on every server instance. The enabled desk accounts are locked
 * first, so two desk members cannot disable each other out of the last two at the same moment.
 */
export async function disableAccount(em: EntityManager, viewer: Viewer, accountId: string, reason: string): Promise<AccountListItem> {
  if (!isDesk(viewer)) refuse('NOT_DESK');
  if (!UUID.test(accountId)) throw new NotFoundError('Account');
  const clean = cleanReason(reason);
  await transact(em, async (tx, events) => {
    const enabledDesk = await tx.find(Account, { role: Role.DESK, disabledAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ['id'] });
    const target = await tx.findOne(Account, { id: accountId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!target) throw new NotFoundError('Account');
    const refusal = disableRefusal(viewer, { role: target.role, disabled: target.disabledAt !== null }, enabledDesk.length);
    if (refusal) refuse(refusal);
    // Sessions first: a logout of one of them takes its session row, then the viewer-change counter
    // (identity/viewer-change.entity.ts); taking them in that same order cannot deadlock with it.
    const ended = await endSessions(tx, events, target.id, { allBut: null }, viewer.kind === 'account' ? viewer.accountId : null);
    target.disabledAt = new Date();
    await tx.flush();
    recordAudit(tx, { actorId: viewer.kind === 'account' ? viewer.accountId : null, action: 'ACCOUNT_DISABLED', subjectKind: 'account', subjectId: target.id, reason: clean, details: { sessionsEnded: ended } });
  });
  return accountItem(em, accountId);
}

/** The desk enables a disabled account again, with a reason. Its old sessions stay ended: the person signs in anew. */
export async function enableAccount(em: EntityManager, viewer: Viewer, accountId: string, reason: string): Promise<AccountListItem> {
  if (!isDesk(viewer)) refuse('NOT_DESK');
  if (!UUID.test(accountId)) throw new NotFoundError('Account');
  const clean = cleanReason(reason);
  await transact(em, async (tx) => {
    const target = await tx.findOne(Account, { id: accountId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!target) throw new NotFoundError('Account');
    const refusal = enableRefusal(viewer, { role: target.role, disabled: target.disabledAt !== null });
    if (refusal) refuse(refusal);
    target.disabledAt = null;
    recordAudit(tx, { actorId: viewer.kind === 'account' ? viewer.accountId : null, action: 'ACCOUNT_ENABLED', subjectKind: 'account', subjectId: target.id, reason: clean });
  });
  return accountItem(em, accountId);
}

async function accountItem(em: EntityManager, accountId: string): Promise<AccountListItem> {
  const [row] = await accountRows(em.fork(), {}, '', null, 1, accountId);
  return toItem(row!);
}
