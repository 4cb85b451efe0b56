import { Field, ID, InputType } from 'type-graphql';
import { ChallengeStatus } from './challenge.entity.js';

@InputType({ description: 'The content of a challenge (行政課題)' })
export class ChallengeInput {
  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String)
  background!: string;

  @Field(() => ID, { nullable: true, description: 'The responsible section (所管課); required to publish' })
  owningSectionId?: string | null;

  @Field(() => [String], { description: 'Codes from challengeFields' })
  fieldCodes!: string[];

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  periodStart?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  periodEnd?: string | null;

  @Field(() => String)
  contact!: string;
}

@InputType()
export class ChallengeFilter {
  @Field(() => ChallengeStatus, { nullable: true })
  status?: ChallengeStatus | null;

  @Field(() => String, { nullable: true })
  fieldCode?: string | null;

  @Field(() => Boolean, { nullable: true })
  published?: boolean | null;
}
