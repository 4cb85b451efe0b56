import type { EntityManager } from '@mikro-orm/postgresql';
import { transact, type EventRecorder } from '../events/transaction.js';
import type { Role } from '../identity/account.entity.js';
import { personViewOf, type PersonView } from '../identity/person-view.js';
import type { PresentPersonView } from './present-person.types.js';

/** Who joined or left: what a presence event announces (the list itself is read when it is delivered). */
export type PresenceChange = 'JOINED' | 'LEFT';

/**
 * Where one kind of presence is kept: the minutes' (one row per open editor of a meeting) or a
 * proposal workspace's (one row per open page). Both tables have the same shape, a row per live
 * connection with `account_id`, `connection_id` and `last_seen_at`, so one set of statements
 * serves both. The names are fixed here, never taken from a request.
 */
export interface PresenceTable {
  table: 'minutes_presence' | 'proposal_presence';
  /** The column naming what the people are present on (the meeting, the proposal). */
  scopeColumn: 'meeting_id' | 'proposal_id';
  /** Records the outbox event that tells every instance who joined or left. */
  announce(events: EventRecorder, scopeId: string, accountIds: string[], change: PresenceChange, actorId: string | null): void;
}

interface PresentRow {
  account_id: string;
  display_name: string;
  role: Role;
  department_name: string | null;
  section_name: string | null;
  organisation_name: string | null;
}

/** A present person names section staff's department and section in one line (所管課): the lists are read at a glance. */
function presentPerson(view: PersonView): PresentPersonView {
  const sectionName = view.sectionName ? [view.departmentName, view.sectionName].filter(Boolean).join(' ') : null;
  return { accountId: view.accountId, displayName: view.displayName, role: view.role, sectionName, organisationName: view.organisationName };
}

/** Who is present now: rows refreshed within `staleMs`, one entry per enabled account, by name. */
export async function listPresent(em: EntityManager, where: PresenceTable, scopeId: string, staleMs: number): Promise<PresentPersonView[]> {
  const rows = await em.execute<PresentRow[]>(
    `select distinct on (a.id) a.id as account_id, a.display_name, a.role, d.name as department_name, s.name as section_name, o.name as organisation_name
       from ${where.table} p
       join account a on a.id = p.account_id and a.disabled_at is null
       left join section s on s.id = a.section_id
       left join department d on d.id = s.department_id
       left join membership ms on ms.account_id = a.id and ms.left_at is null
       left join organisation o on o.id = ms.organisation_id
      where p.${where.scopeColumn} = ? and p.last_seen_at > now() - (? * interval '1 millisecond')
      order by a.id`,
    [scopeId, staleMs],
  );
  return rows
    .map((row) =>
      presentPerson(
        personViewOf({
          accountId: row.account_id,
          displayName: row.display_name,
          role: row.role,
          sectionName: row.section_name,
          departmentName: row.department_name,
          organisationName: row.organisation_name,
        }),
      ),
    )
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'ja') || a.accountId.localeCompare(b.accountId));
}

/** A live connection opens: its row, and an event so every instance tells the others. */
export async function joinPresence(em: EntityManager, where: PresenceTable, scopeId: string, accountId: string, connectionId: string): Promise<void> {
  await transact(em, async (tx, events) => {
    await tx.execute(
      `insert into ${where.table} (id, ${where.scopeColumn}, account_id, connection_id, last_seen_at) values (gen_random_uuid(), ?, ?, ?, now())
       on conflict (${where.scopeColumn}, connection_id) do update set last_seen_at = now()`,
      [scopeId, accountId, connectionId],
    );
    where.announce(events, scopeId, [accountId], 'JOINED', accountId);
  });
}

/**
 * Still here: refreshes the connection's row (re-joining if it had been swept as stale, e.g.
 * after a long pause) and sweeps rows nobody refreshed within `staleMs`, announcing who left.
 */
export async function refreshPresence(em: EntityManager, where: PresenceTable, scopeId: string, accountId: string, connectionId: string, staleMs: number): Promise<void> {
  await transact(em, async (tx, events) => {
    const refreshed = await tx.execute<Array<{ id: string }>>(`update ${where.table} set last_seen_at = now() where ${where.scopeColumn} = ? and connection_id = ? returning id`, [
      scopeId,
      connectionId,
    ]);
    if (refreshed.length === 0) {
      await tx.execute(
        `insert into ${where.table} (id, ${where.scopeColumn}, account_id, connection_id, last_seen_at) values (gen_random_uuid(), ?, ?, ?, now()) on conflict do nothing`,
        [scopeId, accountId, connectionId],
      );
      where.announce(events, scopeId, [accountId], 'JOINED', accountId);
    }
    const swept = await tx.execute<Array<{ account_id: string }>>(
      `delete from ${where.table} where ${where.scopeColumn} = ? and last_seen_at < now() - (? * interval '1 millisecond') returning account_id`,
      [scopeId, staleMs],
    );
    if (swept.length > 0) where.announce(events, scopeId, [...new Set(swept.map((row) => row.account_id))], 'LEFT', null);
  });
}

/** The connection closes: its row goes, and the others are told. */
export async function leavePresence(em: EntityManager, where: PresenceTable, scopeId: string, accountId: string, connectionId: string): Promise<void> {
  await transact(em, async (tx, events) => {
    const removed = await tx.execute<Array<{ id: string }>>(`delete from ${where.table} where ${where.scopeColumn} = ? and connection_id = ? returning id`, [scopeId, connectionId]);
    if (removed.length > 0) where.announce(events, scopeId, [accountId], 'LEFT', accountId);
  });
}
