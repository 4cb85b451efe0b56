import type { ProposalDetailsFragment, ProposalDraftInput, ProposalKind, WardCost } from '../gql/graphql'

/** What the proposal form edits: plain strings for inputs, '' for "not chosen". */
export interface ProposalFormValues {
  kind: ProposalKind
  challengeId: string
  title: string
  wardIssue: string
  content: string
  expectedEffects: string
  askOfWard: string
  wardCost: WardCost
  /** Yen as typed ("120,000" and full-width digits are fine). */
  wardCostEstimate: string
  wardCostReason: string
  ownResources: string
  schedule: string
  hopedSectionIds: string[]
}

export function emptyProposalForm(challengeId: string | null = null): ProposalFormValues {
  return {
    kind: challengeId ? 'CHALLENGE' : 'FREE',
    challengeId: challengeId ?? '',
    title: '',
    wardIssue: '',
    content: '',
    expectedEffects: '',
    askOfWard: '',
    wardCost: 'NONE',
    wardCostEstimate: '',
    wardCostReason: '',
    ownResources: '',
    schedule: '',
    hopedSectionIds: [],
  }
}

export function proposalToForm(p: ProposalDetailsFragment): ProposalFormValues {
  return {
    kind: p.kind,
    challengeId: p.challenge?.id ?? '',
    title: p.title,
    wardIssue: p.wardIssue,
    content: p.content,
    expectedEffects: p.expectedEffects,
    askOfWard: p.askOfWard,
    wardCost: p.wardCost,
    wardCostEstimate: p.wardCostEstimate == null ? '' : String(p.wardCostEstimate),
    wardCostReason: p.wardCostReason,
    ownResources: p.ownResources,
    schedule: p.schedule,
    hopedSectionIds: p.hopedSections.map((s) => s.id),
  }
}

/** "120,000" / "１２００００" / "120000円" → 120000; anything else (or empty) → null. */
export function parseYen(text: string): number | null {
  const clean = text.normalize('NFKC').replace(/[,\s円]/g, '')
  if (!/^\d{1,12}$/.test(clean)) return null
  return Number(clean)
}

/** The mutation input. A free proposal names no challenge; no cost means no estimate. */
export function formToDraftInput(v: ProposalFormValues): ProposalDraftInput {
  const estimate = v.wardCost === 'ESTIMATE' ? parseYen(v.wardCostEstimate) : null
  return {
    kind: v.kind,
    challengeId: v.kind === 'CHALLENGE' && v.challengeId !== '' ? v.challengeId : null,
    title: v.title,
    wardIssue: v.wardIssue,
    content: v.content,
    expectedEffects: v.expectedEffects,
    askOfWard: v.askOfWard,
    wardCost: v.wardCost,
    wardCostEstimate: estimate,
    wardCostReason: v.wardCost === 'ESTIMATE' ? v.wardCostReason : '',
    ownResources: v.ownResources,
    schedule: v.schedule,
    hopedSectionIds: [...v.hopedSectionIds],
  }
}

/** A stable text form of what would be saved, to tell "changed since the last save". */
export function draftFingerprint(v: ProposalFormValues): string {
  const i = formToDraftInput(v)
  return JSON.stringify([
    i.kind,
    i.challengeId ?? null,
    i.title,
    i.wardIssue,
    i.content,
    i.expectedEffects,
    i.askOfWard,
    i.wardCost,
    i.wardCostEstimate ?? null,
    i.wardCostReason,
    i.ownResources,
    i.schedule,
    [...(i.hopedSectionIds ?? [])].sort(),
  ])
}

/** The input names the form has inputs for (server field errors use these), in page order. */
export const PROPOSAL_FORM_FIELDS = [
  'kind',
  'challengeId',
  'title',
  'wardIssue',
  'content',
  'expectedEffects',
  'askOfWard',
  'wardCost',
  'wardCostEstimate',
  'wardCostReason',
  'ownResources',
  'schedule',
  'hopedSectionIds',
  'notSolelyCommercial',
  'notPoliticalOrReligious',
  'noAntisocialTies',
] as const

/** The element id of each input, for error links and focus. */
export const PROPOSAL_INPUT_IDS: Record<string, string> = {
  kind: 'proposal-kind-FREE',
  challengeId: 'proposal-challenge',
  title: 'proposal-title',
  wardIssue: 'proposal-ward-issue',
  content: 'proposal-content',
  expectedEffects: 'proposal-expected-effects',
  askOfWard: 'proposal-ask-of-ward',
  wardCost: 'proposal-ward-cost-NONE',
  wardCostEstimate: 'proposal-ward-cost-estimate',
  wardCostReason: 'proposal-ward-cost-reason',
  ownResources: 'proposal-own-resources',
  schedule: 'proposal-schedule',
  hopedSectionIds: 'proposal-hoped-sections',
  notSolelyCommercial: 'pledge-notSolelyCommercial',
  notPoliticalOrReligious: 'pledge-notPoliticalOrReligious',
  noAntisocialTies: 'pledge-noAntisocialTies',
}

/** The i18n keys of the proposal form's labels, by input name (also used in error messages). */
export const PROPOSAL_LABEL_KEYS: Record<string, string> = {
  kind: 'proposal.field.kind',
  challengeId: 'proposal.field.challenge',
  title: 'proposal.field.title',
  wardIssue: 'proposal.field.wardIssue',
  content: 'proposal.field.content',
  expectedEffects: 'proposal.field.expectedEffects',
  askOfWard: 'proposal.field.askOfWard',
  wardCost: 'proposal.field.wardCost',
  wardCostEstimate: 'proposal.field.wardCostEstimate',
  wardCostReason: 'proposal.field.wardCostReason',
  ownResources: 'proposal.field.ownResources',
  schedule: 'proposal.field.schedule',
  hopedSectionIds: 'proposal.field.hopedSections',
  notSolelyCommercial: 'proposal.pledge.notSolelyCommercial',
  notPoliticalOrReligious: 'proposal.pledge.notPoliticalOrReligious',
  noAntisocialTies: 'proposal.pledge.noAntisocialTies',
  reason: 'proposal.action.reason',
  note: 'proposal.action.note',
}
