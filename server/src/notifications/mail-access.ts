import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../identity/account.entity.js';
import type { AccountViewer } from '../identity/viewer.js';
import { ACTIVE_MATCH_STATES } from '../matches/match.state.js';
import type { ProposalState } from '../proposals/proposal.entity.js';
import { canSeeProposal, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import type { Audience } from '../shared/audience.js';
import { background } from './background-sql.js';
import type { NotificationKind } from './notification.entity.js';
import { canReadThreadNow } from './notification.policy.js';

/** A notification waiting for its mail decision: ids and facts only, never content. */
export interface PendingNotice {
  id: string;
  recipientId: string;
  kind: NotificationKind;
  proposalId: string;
  threadId: string | null;
  actorId: string | null;
  proposalState: string | null;
  createdAt: Date;
}

export const PENDING_NOTICE_COLUMNS = 'n.id, n.recipient_id, n.kind, n.proposal_id, n.thread_id, n.actor_id, n.proposal_state, n.created_at';

export interface PendingRow {
  id: string;
  recipient_id: string;
  kind: NotificationKind;
  proposal_id: string;
  thread_id: string | null;
  actor_id: string | null;
  proposal_state: string | null;
  created_at: Date;
}

export function pendingNoticeOf(row: PendingRow): PendingNotice {
  return { id: row.id, recipientId: row.recipient_id, kind: row.kind, proposalId: row.proposal_id, threadId: row.thread_id, actorId: row.actor_id, proposalState: row.proposal_state, createdAt: new Date(row.created_at) };
}

export interface MailRecipient {
  viewer: AccountViewer;
  email: string;
}

export interface MailProposal {
  id: string;
  title: string;
  referenceNumber: string | null;
  facts: ProposalVisibilityFacts;
}

/** Everything needed to decide and word the mails of some notices, read as the database is now. */
export interface MailAccess {
  recipients: Map<string, MailRecipient>;
  proposals: Map<string, MailProposal>;
  threadAudiences: Map<string, Audience>;
  actorNames: Map<string, string>;
}

const list = (ids: readonly string[]) => ids.map(() => '?').join(', ');

/**
 * Reads, in four statements whatever the batch, the recipients as viewers (the same facts a
 * session would give them now: a disabled account is nobody, a proposer's organisation is their
 * current membership), the proposals' visibility facts, the threads' audiences and the actors' names.
 */
export async function readMailAccess(em: EntityManager, notices: readonly PendingNotice[]): Promise<MailAccess> {
  const access: MailAccess = { recipients: new Map(), proposals: new Map(), threadAudiences: new Map(), actorNames: new Map() };
  if (notices.length === 0) return access;
  const recipientIds = [...new Set(notices.map((n) => n.recipientId))];
  const proposalIds = [...new Set(notices.map((n) => n.proposalId))];
  const threadIds = [...new Set(notices.flatMap((n) => (n.threadId ? [n.threadId] : [])))];
  const actorIds = [...new Set(notices.flatMap((n) => (n.actorId ? [n.actorId] : [])))];

  const people = await em.execute<Array<{ id: string; email: string; role: Role; section_id: string | null; organisation_id: string | null }>>(
    background(`select a.id, a.email, a.role, a.section_id,
       (select ms.organisation_id from membership ms where ms.account_id = a.id and ms.left_at is null limit 1) as organisation_id
       from account a where a.disabled_at is null and a.id in (${list(recipientIds)})`),
    recipientIds,
  );
  for (const row of people) {
    const viewer: AccountViewer = { kind: 'account', accountId: row.id, role: row.role, sectionId: row.section_id, organisationId: row.role === Role.PROPOSER ? row.organisation_id : null };
    access.recipients.set(row.id, { viewer, email: row.email });
  }

  const proposals = await em.execute<Array<{ id: string; title: string; reference_number: string | null; organisation_id: string; state: ProposalState; submitted_at: Date | null; matched: string[] }>>(
    background(`select p.id, p.title, p.reference_number, p.organisation_id, p.state, p.submitted_at,
       coalesce((select json_agg(m.section_id order by m.section_id) from match m where m.proposal_id = p.id and m.state in (${list(ACTIVE_MATCH_STATES)})), '[]'::json) as matched
       from proposal p where p.id in (${list(proposalIds)})`),
    [...ACTIVE_MATCH_STATES, ...proposalIds],
  );
  for (const row of proposals) {
    const facts: ProposalVisibilityFacts = { organisationId: row.organisation_id, everSubmitted: row.submitted_at !== null, state: row.state, matchedSectionIds: [...row.matched].sort() };
    access.proposals.set(row.id, { id: row.id, title: row.title, referenceNumber: row.reference_number, facts });
  }

  if (threadIds.length > 0) {
    const threads = await em.execute<Array<{ id: string; audience: Audience }>>(background(`select id, audience from thread where id in (${list(threadIds)})`), threadIds);
    for (const row of threads) access.threadAudiences.set(row.id, row.audience);
  }
  if (actorIds.length > 0) {
    const actors = await em.execute<Array<{ id: string; display_name: string }>>(background(`select id, display_name from account where id in (${list(actorIds)})`), actorIds);
    for (const row of actors) access.actorNames.set(row.id, row.display_name);
  }
  return access;
}

/**
 * Whether the recipient may see what the notice points at now — the bell's rule: the proposal
 * through canSeeProposal (what proposalVisibilityFilter says in SQL), the thread through
 * canReadThreadNow. A declined match, a left organisation or a disabled account all say no.
 */
export function mayMail(access: MailAccess, notice: PendingNotice): { recipient: MailRecipient; proposal: MailProposal } | null {
  const recipient = access.recipients.get(notice.recipientId);
  const proposal = access.proposals.get(notice.proposalId);
  if (!recipient || !proposal || !canSeeProposal(recipient.viewer, proposal.facts)) return null;
  if (notice.threadId) {
    const audience = access.threadAudiences.get(notice.threadId);
    if (!audience || !canReadThreadNow(recipient.viewer, proposal.facts, audience)) return null;
  }
  return { recipient, proposal };
}
