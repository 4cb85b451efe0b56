import type { EventRecorder } from '../events/transaction.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { proposalVisibilityFacts, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { PROPOSAL_TOPIC, type ProposalEventPayload } from '../proposals/proposal.service.js';
import type { ProposalEventKind } from '../proposals/proposal.types.js';

/** The audit trail's name for a case page. */
export const CASE_SUBJECT = 'case';

/** What a case event carries on the proposal's stream: ids and the visibility facts. Never content. */
export interface CaseEventPayload extends ProposalEventPayload {
  caseId: string;
}

export function recordCaseEvent(events: EventRecorder, actorId: string | null, proposal: Proposal, kind: ProposalEventKind, before: ProposalVisibilityFacts, caseId: string): void {
  const payload: CaseEventPayload = { before, after: proposalVisibilityFacts(proposal), caseId };
  events.record({ topic: PROPOSAL_TOPIC, kind, aggregateId: proposal.id, actorId, payload });
}

