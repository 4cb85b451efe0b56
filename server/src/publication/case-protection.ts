import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/audit.js';
import type { EventRecorder } from '../events/transaction.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { ProposalEventKind } from '../proposals/proposal.types.js';
import { ProtectionState } from '../protection/protection-request.entity.js';
import type { ProtectedItem, ProtectionEntryFacts } from '../protection/protection.redaction.js';
import { isBlockProtected, withoutProtectedItems } from './case-snapshot.js';
import { CaseState, PublicCase } from './public-case.entity.js';
import { CASE_SUBJECT, recordCaseEvent } from './case-events.js';

function entryOf(item: ProtectedItem): ProtectionEntryFacts {
  return {
    itemKind: item.kind,
    fieldName: 'fieldName' in item ? item.fieldName : null,
    attachmentId: 'attachmentId' in item ? item.attachmentId : null,
    messageId: 'messageId' in item ? item.messageId : null,
    state: ProtectionState.REQUESTED,
  };
}

/**
 * Called by the protection domain in the transaction that records a protection request, under
 * the proposal's row lock: an item placed on the case page that is now protected (requested counts)
 * leaves the published snapshot and the composition at once, the search text is rebuilt from what
 * remains, and the removal is audited (CASE_ITEM_REMOVED_FOR_PROTECTION) — all or nothing with the
 * request. An item not on the page changes nothing.
 */
export async function removeNewlyProtectedFromCase(tx: EntityManager, events: EventRecorder, actorId: string, proposal: Proposal, item: ProtectedItem): Promise<void> {
  const page = await tx.findOne(PublicCase, { proposal: proposal.id }, { refresh: true });
  if (!page) return;
  const register = [entryOf(item)];
  const snapshot = page.publishedContent ? withoutProtectedItems(page.publishedContent, register) : null;
  const keptBlocks = page.blocks.filter((block) => !isBlockProtected(block, register));
  const fromSnapshot = snapshot?.removed ?? [];
  if (fromSnapshot.length === 0 && keptBlocks.length === page.blocks.length) return;
  if (snapshot && fromSnapshot.length > 0) {
    page.publishedContent = snapshot.content;
    // Only a PUBLISHED page is in the search index; a withdrawn one keeps its empty text.
    if (page.state === CaseState.PUBLISHED) page.searchText = snapshot.searchText;
  }
  page.blocks = keptBlocks;
  page.updatedAt = new Date();
  recordAudit(tx, {
    actorId,
    action: 'CASE_ITEM_REMOVED_FOR_PROTECTION',
    subjectKind: CASE_SUBJECT,
    subjectId: page.id,
    // Which item (its kind and name or id), never its content.
    details: { proposalId: proposal.id, item: entryOf(item), fromPublishedContent: fromSnapshot.length > 0, caseState: page.state },
  });
  const facts = proposalVisibilityFacts(proposal);
  recordCaseEvent(events, actorId, proposal, ProposalEventKind.CASE_ITEM_REMOVED, facts, page.id);
}
