import { Field, InputType, Int } from 'type-graphql';
import { ContinuationIntent } from './implementation-report.entity.js';

@InputType({ description: 'One agreed indicator’s result: its name must be one of the agreed indicators' })
export class IndicatorResultInput {
  @Field(() => String, { description: 'The agreed indicator’s name, exactly' })
  name!: string;

  @Field(() => String, { description: 'What was achieved, at most 200 characters' })
  actual!: string;

  @Field(() => String, { nullable: true, description: 'At most 1000 characters' })
  note?: string | null;
}

/**
 * The report as written so far (a draft may be incomplete: completeness is checked on submit).
 * Every problem is reported at once.
 */
@InputType({ description: 'The implementation report (実施報告書) as written so far' })
export class ReportInput {
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  periodStart?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, not before periodStart' })
  periodEnd?: string | null;

  @Field(() => String, { description: '実施内容, at most 10000 characters' })
  activities!: string;

  @Field(() => [IndicatorResultInput], { description: 'One per agreed indicator, by name; the targets come from the decision' })
  indicatorResults!: IndicatorResultInput[];

  @Field(() => Int, { nullable: true, description: '0 or more' })
  peopleReached?: number | null;

  @Field(() => Int, { description: 'Yen, 0 or more. Above 0 when the agreement said no cost: explain it under issues' })
  wardCostYen!: number;

  @Field(() => String, { description: 'At most 10000 characters' })
  partnerContribution!: string;

  @Field(() => Int, { nullable: true, description: 'Yen, 0 or more' })
  partnerContributionYen?: number | null;

  @Field(() => String, { description: '課題, at most 10000 characters' })
  issues!: string;

  @Field(() => String, { description: '今後の展開, at most 10000 characters' })
  nextSteps!: string;

  @Field(() => ContinuationIntent)
  continuation!: ContinuationIntent;
}
