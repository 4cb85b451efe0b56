import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../errors/domain-errors.js';
import { transact, type EventRecorder } from '../events/transaction.js';
import type { Viewer } from '../identity/viewer.js';
import { canReadThreadNow } from '../notifications/notification.policy.js';
import { proposalVisibilityFacts, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal } from '../proposals/proposal.service.js';
import type { Audience } from '../shared/audience.js';
import { isUuid } from '../shared/uuid.js';
import { Thread } from '../threads/thread.entity.js';
import { listPresent, type PresenceChange, type PresenceTable } from './presence-rows.js';
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
  change: PresenceChange | 'TYPING';
  /** TYPING: the thread; delivered only to those who may read it. */
  threadId?: string;
}

/** A workspace's presence rows: one per open page of a proposal, announced on the proposal's presence topic. */
export const WORKSPACE_PRESENCE_TABLE: PresenceTable = {
  table: 'proposal_presence',
  scopeColumn: 'proposal_id',
  announce(events, proposalId, accountIds, change, actorId) {
    recordPresence(events, { proposalId, accountIds, change }, actorId);
  },
};

/** Who has the workspace open now: rows refreshed within `staleMs`, one entry per enabled account, by name. */
export function listWorkspacePresent(em: EntityManager, proposalId: string, staleMs: number): Promise<WorkspacePresent[]> {
  return listPresent(em, WORKSPACE_PRESENCE_TABLE, proposalId, staleMs);
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
