import { Field, InputType, Int } from 'type-graphql';
import { DecisionWardCost, PartnershipForm, ProcurementRoute } from './partnership-decision.entity.js';

@InputType()
export class PartnershipIndicatorInput {
  @Field(() => String, { description: 'At most 200 characters' })
  name!: string;

  @Field(() => String, { description: 'At most 200 characters' })
  target!: string;
}

@InputType({ description: 'The partnership as agreed: every problem is reported at once' })
export class PartnershipDecisionInput {
  @Field(() => PartnershipForm, { description: 'CONTRACT requires wardCost PAID' })
  form!: PartnershipForm;

  @Field(() => DecisionWardCost)
  wardCost!: DecisionWardCost;

  @Field(() => Int, { nullable: true, description: 'Yen, more than 0: required when PAID, refused when NONE' })
  wardCostAmount?: number | null;

  @Field(() => ProcurementRoute, { nullable: true, description: 'Required when PAID, refused when NONE' })
  procurementRoute?: ProcurementRoute | null;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  startDate!: string;

  @Field(() => String, { description: 'YYYY-MM-DD, not before startDate' })
  endDate!: string;

  @Field(() => String, { description: '事業の範囲, at most 10000 characters' })
  scope!: string;

  @Field(() => String, { description: '区の役割, at most 10000 characters' })
  wardResponsibilities!: string;

  @Field(() => String, { description: '提案者の役割, at most 10000 characters' })
  proposerResponsibilities!: string;

  @Field(() => [PartnershipIndicatorInput], { description: '1 to 10 indicators to report on' })
  indicators!: PartnershipIndicatorInput[];
}

@InputType({ description: 'The signed 協定書 or 契約書' })
export class AgreementDocumentInput {
  @Field(() => String, { description: 'At most 200 characters' })
  title!: string;

  @Field(() => [String], { description: '2 to 10 parties, each at most 200 characters' })
  parties!: string[];

  @Field(() => String, { description: 'YYYY-MM-DD' })
  signedOn!: string;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  termStart!: string;

  @Field(() => String, { description: 'YYYY-MM-DD, not before termStart' })
  termEnd!: string;
}

@InputType()
export class ProgressNoteInput {
  @Field(() => String, { description: 'At most 10000 characters' })
  text!: string;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  milestone?: boolean | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, not in the future; today in Asia/Tokyo when omitted' })
  happenedOn?: string | null;
}
