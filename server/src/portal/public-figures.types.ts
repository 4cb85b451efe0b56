import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Counts for one field (分野) in a fiscal year; code "unclassified" when a proposal has none' })
export class PublicFieldFigures {
  @Field(() => String) fieldCode!: string;
  @Field(() => String) nameJa!: string;
  @Field(() => String) nameEn!: string;
  @Field(() => Int) received!: number;
  @Field(() => Int) inDialogue!: number;
  @Field(() => Int) realised!: number;
}

/** Aggregates only: never a proposal's title, organisation or anything else of it. */
@ObjectType({ description: 'The desk figures of one fiscal year (年度, April–March, Asia/Tokyo), counted up to the end of yesterday' })
export class PublicFigures {
  @Field(() => Int) fiscalYear!: number;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD (Asia/Tokyo): the counts include proposals up to the end of this day (yesterday, or the year end); null when no day of the year has passed' })
  countedThrough!: string | null;
  @Field(() => Int, { description: 'Proposals first submitted in the year (受付)' }) received!: number;
  @Field(() => Int, { description: 'Proposals that entered dialogue in the year (対話)' }) inDialogue!: number;
  @Field(() => Int, { description: 'Proposals agreed in the year (実現)' }) realised!: number;
  @Field(() => Int, { description: 'Cases of the year published on the portal' }) publishedCases!: number;
  @Field(() => Float, { description: "Sum of the partners' contribution in yen reported in the year's published cases: what the ward did not have to spend" })
  valueNotSpentYen!: number;
  @Field(() => [PublicFieldFigures]) byField!: PublicFieldFigures[];
}
