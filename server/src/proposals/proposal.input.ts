import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { MatchState } from '../matches/match.entity.js';
import { OrganisationKind } from '../organisations/organisation.entity.js';
import { ProposalKind, ProposalState, WardCost } from './proposal.entity.js';

@InputType({ description: 'The content of a proposal (提案). A draft may be incomplete; submitting checks completeness.' })
export class ProposalDraftInput {
  @Field(() => ProposalKind)
  kind!: ProposalKind;

  @Field(() => ID, { nullable: true, description: 'CHALLENGE: a published challenge taking proposals (OPEN). FREE: none.' })
  challengeId?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 200 characters' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: '解決したい地域・行政の課題' })
  wardIssue?: string | null;

  @Field(() => String, { nullable: true, description: '提案内容' })
  content?: string | null;

  @Field(() => String, { nullable: true, description: '期待される効果' })
  expectedEffects?: string | null;

  @Field(() => String, { nullable: true, description: '区に求める協力: roles, places, data, publicity' })
  askOfWard?: string | null;

  @Field(() => String, { nullable: true, description: '提案者が提供する資源' })
  ownResources?: string | null;

  @Field(() => String, { nullable: true })
  schedule?: string | null;

  @Field(() => WardCost, { nullable: true, defaultValue: WardCost.NONE })
  wardCost?: WardCost | null;

  @Field(() => Int, { nullable: true, description: 'Yen; required to submit when wardCost is ESTIMATE' })
  wardCostEstimate?: number | null;

  @Field(() => String, { nullable: true })
  wardCostReason?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Active sections the proposer hopes to work with (at most 10); the desk decides' })
  hopedSectionIds?: string[] | null;
}

@InputType({ description: 'The pledges the desk requires; each must be affirmed (true) to submit' })
export class ProposalPledgesInput {
  @Field(() => Boolean, { description: '営業・宣伝のみを目的としない' })
  notSolelyCommercial!: boolean;

  @Field(() => Boolean, { description: '政治・宗教活動を目的としない' })
  notPoliticalOrReligious!: boolean;

  @Field(() => Boolean, { description: '反社会的勢力と関係がない' })
  noAntisocialTies!: boolean;
}

@InputType()
export class ProposalFilter {
  @Field(() => [ProposalState], { nullable: true })
  states?: ProposalState[] | null;

  @Field(() => ProposalKind, { nullable: true })
  kind?: ProposalKind | null;

  @Field(() => ID, { nullable: true })
  challengeId?: string | null;

  @Field(() => String, { nullable: true, description: 'A field (分野) code of the proposal: its published case’s fields, else its challenge’s, else "unclassified"' })
  fieldCode?: string | null;

  @Field(() => OrganisationKind, { nullable: true })
  organisationKind?: OrganisationKind | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only those whose current stage has waited longer than its target (滞留超過); false: only those that have not. The desk and sections only.' })
  overTarget?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'First submitted in this fiscal year (年度, 1 April–31 March, Tokyo time); 2000 to next year' })
  fiscalYear?: number | null;

  @Field(() => String, { nullable: true, description: 'First submitted in this calendar month, YYYY-MM (Tokyo time)' })
  submittedMonth?: string | null;

  @Field(() => ID, { nullable: true, description: 'Matched to this section (PENDING or ACCEPTED unless matchState narrows it). The desk only.' })
  sectionId?: string | null;

  @Field(() => MatchState, { nullable: true, description: 'With sectionId: the state of that section’s match; alone: has a match in this state. The desk only.' })
  matchState?: MatchState | null;

  @Field(() => Boolean, { nullable: true, description: 'true: has a PENDING match waiting longer than the MATCH_ANSWER target (回答待ちの目標超過); false: has none. The desk only.' })
  matchOverTarget?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'With sectionId: only where that section is the lead (主担当課)' })
  leadSection?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'true: in progress, its agreed period has ended and no report is submitted or accepted yet (報告書待ち). The desk and sections only.' })
  reportDue?: boolean | null;
}

export enum ProposalOrder {
  OLDEST_SUBMITTED_FIRST = 'OLDEST_SUBMITTED_FIRST',
  NEWEST_SUBMITTED_FIRST = 'NEWEST_SUBMITTED_FIRST',
  RECENTLY_UPDATED = 'RECENTLY_UPDATED',
}
registerEnumType(ProposalOrder, {
  name: 'ProposalOrder',
  description: 'OLDEST_SUBMITTED_FIRST: the intake queue, by age (never-submitted drafts last); NEWEST_SUBMITTED_FIRST; RECENTLY_UPDATED',
});
