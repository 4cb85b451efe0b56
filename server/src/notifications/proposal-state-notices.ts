import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventRecorder } from '../events/transaction.js';
import type { Role } from '../identity/account.entity.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { NotificationKind } from './notification.entity.js';
import { stateNoticeRecipients, type CandidateRecipient } from './notification.policy.js';
import { notify } from './notify.js';

interface CandidateRow {
  id: string;
  role: Role;
  section_id: string | null;
  organisation_id: string | null;
}

/**
 * Tells the people who are part of a proposal that it entered its current state: the members of
 * its organisation, its desk owner and the staff of sections with an active match — whoever of
 * them can see it now (the proposals' visibility rule) — except the actor. Call it inside the
 * transaction that changed the state, after the change, with the proposal's matches loaded.
 */
export async function notifyProposalStateChange(tx: EntityManager, events: EventRecorder, proposal: Proposal, actorId: string | null): Promise<void> {
  const facts = proposalVisibilityFacts(proposal);
  const sectionIds = facts.matchedSectionIds;
  const rows = await tx.execute<CandidateRow[]>(
    `select a.id, a.role, a.section_id, ms.organisation_id
       from account a
       left join membership ms on ms.account_id = a.id and ms.left_at is null
      where a.disabled_at is null
        and (ms.organisation_id = ? or a.id = ?${sectionIds.length > 0 ? ` or (a.role = 'SECTION' and a.section_id in (${sectionIds.map(() => '?').join(', ')}))` : ''})`,
    [facts.organisationId, proposal.deskOwner?.id ?? null, ...sectionIds],
  );
  const candidates: CandidateRecipient[] = rows.map((row) => ({ accountId: row.id, role: row.role, sectionId: row.section_id, organisationId: row.organisation_id }));
  const recipients = stateNoticeRecipients(candidates, facts, actorId);
  notify(
    tx,
    events,
    recipients.map((recipientId) => ({ recipientId, kind: NotificationKind.PROPOSAL_STATE, proposal, actorId, proposalState: proposal.state })),
  );
}
