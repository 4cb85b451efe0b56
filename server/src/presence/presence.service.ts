import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../errors/domain-errors.js';
import { transact, type EventRecorder } from '../events/transaction.js';
import { Role } from '../identity/account.entity.js';
import type { Viewer } from '../identity/viewer.js';
import { canReadThreadNow } from '../notifications/notification.policy.js';
import { proposalVisibilityFacts, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal } from '../proposals/proposal.service.js';
import type { Audience } from '../shared/audience.js';
import { isUuid } from '../shared/uuid.js';
import { Thread } from '../threads/thread.entity.js';
import type { PresenceTiming } from './presence-timing.js';
import type { WorkspacePresent, WorkspaceTyping } from './presence.types.js';

export const WORKSPACE_PRESENCE = 'WORKSPACE_PRESENCE';
export const WORKSPACE_TYPING = 'WORKSPACE_TYPING';

/** One topic per proposal: only its workspace's subscribers listen. */
export function presenceTopic(proposalId: string): string {
  return `presence:${proposalId}`;
}

/** What presence events carry: ids only. The lists are read when the event is delivered. */
export interface PresencePayload {
  proposalId: string;
  accountIds: string[];
  change: 'JOINED' | 'LEFT' | 'TYPING';
  /** TYPING: the thread; delivered only to those who may read it. */
  threadId?: string;
}

interface PresentRow {
  account_id: string;
  display_name: string;
  role: Role;
  department_name: string | null;
  section_name: string | null;
  organisation_name: string | null;
}

/** Who has the workspace open now: rows refreshed within `staleMs`, one entry per enabled account, by name. */
export async function listPresent(em: EntityManager, proposalId: string, staleMs: number): Promise<WorkspacePresent[]> {
  const rows = await em.execute<PresentRow[]>(
    `select distinct on (a.id) a.id as account_id, a.display_name, a.role, d.name as department_name, s.name as section_name, o.name as organisation_name
       from proposal_presence p
       join account a on a.id = p.account_id and a.disabled_at is null
       left join section s on s.id = a.section_id
       left join department d on d.id = s.department_id
       left join membership ms on ms.account_id = a.id and ms.left_at is null
       left join organisation o on o.id = ms.organisation_id
      where p.proposal_id = ? and p.last_seen_at > now() - (? * interval '1 millisecond')
      order by a.id`,
    [proposalId, staleMs],
  );
  return rows
    .map((row) => ({
      accountId: row.account_id,
      displayName: row.display_name,
      role: row.role,
      sectionName: row.role === Role.SECTION && row.section_name ? [row.department_name, row.section_name].filter(Boolean).join(' ') : null,
      organisationName: row.role === Role.PROPOSER ? row.organisation_name : null,
    }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'ja') || a.accountId.localeCompare(b.accountId));
}

/** Someone typing, with the audience of the thread (to filter per viewer; never delivered). */
export interface TypingRow extends WorkspaceTyping {
  audience: Audience;
}

/** Who is typing where now: present rows whose last typing signal is within `typingMs`, one per person and thread. */
export async function listTyping(em: EntityManager, proposalId: string, timing: Pick<PresenceTiming, 'staleMs' | 'typingMs'>): Promise<TypingRow[]> {
  const rows = await em.execute<Array<{ account_id: string; display_name: string; thread_id: string; typing_at: Date; audience: Audience }>>(
    `select a.id as account_id, a.display_name, t.id as thread_id, max(p.typing_at) as typing_at, t.audience
       from proposal_presence p
       join account a on a.id = p.account_id and a.disabled_at is null
       join thread t on t.id = p.typing_thread_id and t.proposal_id = p.proposal_id
      where p.proposal_id = ? and p.last_seen_at > now() - (? * interval '1 millisecond')
        and p.typing_at > now() - (? * interval '1 millisecond')
      group by a.id, a.display_name, t.id, t.audience
      order by a.display_name, a.id`,
    [proposalId, timing.staleMs, timing.typingMs],
  );
  return rows.map((row) => ({ accountId: row.account_id, displayName: row.display_name, threadId: row.thread_id, typingAt: new Date(row.typing_at), audience: row.audience }));
}

/** Typing the viewer may know of: only in threads they may read (a proposer never learns of an INTERNAL thread). */
export function typingVisibleTo(viewer: Viewer, proposal: ProposalVisibilityFacts, rows: readonly TypingRow[]): WorkspaceTyping[] {
  return rows.filter((row) => canReadThreadNow(viewer, proposal, row.audience)).map(({ audience: _audience, ...typing }) => typing);
}

function recordPresence(events: EventRecorder, payload: PresencePayload, actorId: string | null): void {
  events.record({ topic: presenceTopic(payload.proposalId), kind: payload.change === 'TYPING' ? WORKSPACE_TYPING : WORKSPACE_PRESENCE, aggregateId: payload.proposalId, actorId, payload: { ...payload } });
}

/** A page's live connection opens: its row, and an event so every instance tells the others. */
export async function joinPresence(em: EntityManager, proposalId: string, accountId: string, connectionId: string): Promise<void> {
  await transact(em, async (tx, events) => {
    await tx.execute(
      `insert into proposal_presence (id, proposal_id, account_id, connection_id, last_seen_at) values (gen_random_uuid(), ?, ?, ?, now())
       on conflict (proposal_id, connection_id) do update set last_seen_at = now()`,
      [proposalId, accountId, connectionId],
    );
    recordPresence(events, { proposalId, accountIds: [accountId], change: 'JOINED' }, accountId);
  });
}

/**
 * Still here: refreshes the connection's row (re-joining if it had been swept as stale) and
 * sweeps rows nobody refreshed within `staleMs`, announcing who left.
 */
export async function refreshPresence(em: EntityManager, proposalId: string, accountId: string, connectionId: string, staleMs: number): Promise<void> {
  await transact(em, async (tx, events) => {
    const refreshed = await tx.execute<Array<{ id: string }>>('update proposal_presence set last_seen_at = now() where proposal_id = ? and connection_id = ? returning id', [proposalId, connectionId]);
    if (refreshed.length === 0) {
      await tx.execute('insert into proposal_presence (id, proposal_id, account_id, connection_id, last_seen_at) values (gen_random_uuid(), ?, ?, ?, now()) on conflict do nothing', [
        proposalId,
        accountId,
        connectionId,
      ]);
      recordPresence(events, { proposalId, accountIds: [accountId], change: 'JOINED' }, accountId);
    }
    const swept = await tx.execute<Array<{ account_id: string }>>(
      `delete from proposal_presence where proposal_id = ? and last_seen_at < now() - (? * interval '1 millisecond') returning account_id`,
      [proposalId, staleMs],
    );
    if (swept.length > 0) recordPresence(events, { proposalId, accountIds: [...new Set(swept.map((row) => row.account_id))], change: 'LEFT' }, null);
  });
}

/** The connection closes: its row goes, and the others are told. */
export async function leavePresence(em: EntityManager, proposalId: string, accountId: string, connectionId: string): Promise<void> {
  await transact(em, async (tx, events) => {
    const removed = await tx.execute<Array<{ id: string }>>('delete from proposal_presence where proposal_id = ? and connection_id = ? returning id', [proposalId, connectionId]);
    if (removed.length > 0) recordPresence(events, { proposalId, accountIds: [accountId], change: 'LEFT' }, accountId);
  });
}

/**
 * 入力中: the viewer is typing in a thread of a proposal whose workspace they have open. NOT_FOUND
 * for a proposal or thread the viewer may not see (the same as a missing one). Ignored (false)
 * when the workspace is not open, or when the same signal came within `typingRepeatMs`: a
 * composer may call it on every keystroke.
 */
export async function signalTyping(em: EntityManager, readViewer: (tx: EntityManager) => Promise<Viewer>, proposalId: string, threadId: string, timing: PresenceTiming): Promise<boolean> {
  return transact(em, async (tx, events) => {
    const viewer = await readViewer(tx);
    if (viewer.kind !== 'account') throw new NotFoundError('Proposal');
    const proposal = await findVisibleProposal(tx, viewer, proposalId);
    if (!proposal) throw new NotFoundError('Proposal');
    const thread = isUuid(threadId) ? await tx.findOne(Thread, { id: threadId, proposal: proposal.id }) : null;
    if (!thread || !canReadThreadNow(viewer, proposalVisibilityFacts(proposal), thread.audience)) throw new NotFoundError('Thread');
    const updated = await tx.execute<Array<{ id: string }>>(
      `update proposal_presence set typing_thread_id = ?, typing_at = now()
        where proposal_id = ? and account_id = ? and last_seen_at > now() - (? * interval '1 millisecond')
          and not coalesce(typing_thread_id = ? and typing_at > now() - (? * interval '1 millisecond'), false)
        returning id`,
      [thread.id, proposal.id, viewer.accountId, timing.staleMs, thread.id, timing.typingRepeatMs],
    );
    if (updated.length === 0) return false;
    recordPresence(events, { proposalId: proposal.id, accountIds: [viewer.accountId], change: 'TYPING', threadId: thread.id }, viewer.accountId);
    return true;
  });
}
