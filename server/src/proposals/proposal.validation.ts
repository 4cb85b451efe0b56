import { FieldErrors } from '../errors/domain-errors.js';
import { isUuid } from '../shared/uuid.js';
import { ProposalKind, WardCost, type Proposal } from './proposal.entity.js';
import type { ProposalDraftInput, ProposalPledgesInput } from './proposal.input.js';

export const PROPOSAL_LIMITS = { title: 200, text: 10_000, hopedSections: 10, reason: 2000 } as const;

const LONG_TEXT = ['wardIssue', 'content', 'expectedEffects', 'askOfWard', 'ownResources', 'schedule', 'wardCostReason'] as const;

export interface CleanDraftInput {
  kind: ProposalKind;
  challengeId: string | null;
  title: string;
  wardIssue: string;
  content: string;
  expectedEffects: string;
  askOfWard: string;
  ownResources: string;
  schedule: string;
  wardCost: WardCost;
  wardCostEstimate: number | null;
  wardCostReason: string;
  hopedSectionIds: string[];
}

/**
 * Pure: every problem with a draft at once, or the cleaned draft. A draft may be incomplete
 * (autosave): only lengths, numbers and the shape of references are checked here.
 */
export function validateDraftInput(input: ProposalDraftInput): CleanDraftInput {
  const errors = new FieldErrors();
  const text = (field: 'title' | (typeof LONG_TEXT)[number]): string => {
    const value = (input[field] ?? '').trim();
    const max = field === 'title' ? PROPOSAL_LIMITS.title : PROPOSAL_LIMITS.text;
    if (value.length > max) errors.add(field, 'TOO_LONG', `${field} must be at most ${max} characters`);
    return value;
  };
  const wardCost = input.wardCost ?? WardCost.NONE;
  const clean: CleanDraftInput = {
    kind: input.kind,
    challengeId: input.challengeId ? input.challengeId : null,
    title: text('title'),
    wardIssue: text('wardIssue'),
    content: text('content'),
    expectedEffects: text('expectedEffects'),
    askOfWard: text('askOfWard'),
    ownResources: text('ownResources'),
    schedule: text('schedule'),
    wardCost,
    // An estimate only means something when the ward would bear a cost.
    wardCostEstimate: wardCost === WardCost.ESTIMATE ? (input.wardCostEstimate ?? null) : null,
    wardCostReason: text('wardCostReason'),
    hopedSectionIds: [...new Set(input.hopedSectionIds ?? [])],
  };
  if (clean.kind === ProposalKind.FREE && clean.challengeId !== null) errors.add('challengeId', 'INVALID', 'A free proposal (フリー提案型) is not to a challenge');
  else if (clean.challengeId !== null && !isUuid(clean.challengeId)) errors.add('challengeId', 'UNKNOWN_REFERENCE', 'No such challenge');
  if (clean.wardCostEstimate !== null && (!Number.isInteger(clean.wardCostEstimate) || clean.wardCostEstimate < 0)) {
    errors.add('wardCostEstimate', 'INVALID', 'The estimate is a whole number of yen, 0 or more');
  }
  if (clean.hopedSectionIds.length > PROPOSAL_LIMITS.hopedSections) errors.add('hopedSectionIds', 'TOO_LONG', `At most ${PROPOSAL_LIMITS.hopedSections} sections`);
  else if (clean.hopedSectionIds.some((id) => !isUuid(id))) errors.add('hopedSectionIds', 'UNKNOWN_REFERENCE', 'No such active section');
  errors.throwIfAny();
  return clean;
}

/** Pure: every pledge not affirmed, by field. */
export function checkPledges(pledges: ProposalPledgesInput, errors: FieldErrors): void {
  for (const field of ['notSolelyCommercial', 'notPoliticalOrReligious', 'noAntisocialTies'] as const) {
    if (pledges[field] !== true) errors.add(`pledges.${field}`, 'REQUIRED', `The pledge ${field} must be affirmed`);
  }
}

/**
 * Pure: what a proposal lacks to be submitted, every field at once. `challengeOpen` says whether
 * its challenge (if any) still takes proposals and is visible to the proposer.
 */
export function checkCompleteness(proposal: Proposal, challengeOpen: boolean, errors: FieldErrors): void {
  for (const field of ['title', 'wardIssue', 'content', 'expectedEffects'] as const) {
    if (proposal[field].trim() === '') errors.add(field, 'REQUIRED', `${field} is required`);
  }
  if (proposal.wardCost === WardCost.ESTIMATE) {
    if (proposal.wardCostEstimate === null) errors.add('wardCostEstimate', 'REQUIRED', 'Give the estimated cost to the ward');
    if (proposal.wardCostReason.trim() === '') errors.add('wardCostReason', 'REQUIRED', 'Say why the ward would bear a cost');
  }
  if (proposal.kind === ProposalKind.CHALLENGE) {
    if (!proposal.challenge) errors.add('challengeId', 'REQUIRED', 'Choose the challenge this proposal answers');
    else if (!challengeOpen) errors.add('challengeId', 'INVALID', 'The challenge no longer takes proposals');
  }
}

/** Pure: a reason or note the transition needs, trimmed; every problem reported on `field`. */
export function cleanReason(field: string, value: string | null | undefined, required: boolean): string | null {
  const clean = (value ?? '').trim();
  const errors = new FieldErrors();
  if (required && clean === '') errors.add(field, 'REQUIRED', `Give a ${field}`);
  else if (clean.length > PROPOSAL_LIMITS.reason) errors.add(field, 'TOO_LONG', `At most ${PROPOSAL_LIMITS.reason} characters`);
  errors.throwIfAny();
  return clean === '' ? null : clean;
}
