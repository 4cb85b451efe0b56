import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';

/** The kinds of item the desk can place on a case page (事例). */
export enum CaseBlockKind {
  PROPOSAL_FIELD = 'PROPOSAL_FIELD',
  REPORT_PART = 'REPORT_PART',
  REPORT_PHOTO = 'REPORT_PHOTO',
  ATTACHMENT = 'ATTACHMENT',
}
registerEnumType(CaseBlockKind, {
  name: 'CaseBlockKind',
  description: "PROPOSAL_FIELD (a proposal field: `field`), REPORT_PART (a part of the accepted report: `part`), REPORT_PHOTO (a report photo: `attachmentId`), ATTACHMENT (one of the proposer's files: `attachmentId`)",
});

@InputType({ description: 'One item placed on the case page, by reference' })
export class CaseBlockInput {
  @Field(() => CaseBlockKind)
  kind!: CaseBlockKind;

  @Field(() => String, { nullable: true, description: 'For PROPOSAL_FIELD: wardIssue, content, expectedEffects, askOfWard, wardCostReason, ownResources, schedule' })
  field?: string | null;

  @Field(() => String, { nullable: true, description: 'For REPORT_PART: activities, indicatorResults, peopleReached, wardCostYen, partnerContribution, partnerContributionYen, issues, nextSteps' })
  part?: string | null;

  @Field(() => ID, { nullable: true, description: 'For REPORT_PHOTO and ATTACHMENT' })
  attachmentId?: string | null;
}

@InputType({ description: 'The case page as the desk composes it' })
export class CaseInput {
  @Field(() => String, { description: 'At most 200 characters' })
  title!: string;

  @Field(() => String, { description: '概要, at most 2000 characters; required to publish' })
  summary!: string;

  @Field(() => [CaseBlockInput], { description: 'The items, in order; each at most once; at most 40' })
  blocks!: CaseBlockInput[];

  @Field(() => [String], { description: 'Field (分野) codes of the challenge catalogue' })
  fieldCodes!: string[];

  @Field(() => Int, { description: '年度 (April–March) the case is listed under' })
  fiscalYear!: number;
}
