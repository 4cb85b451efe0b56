import { Field, ID, InputType } from 'type-graphql';
import { Audience } from '../shared/audience.js';

/** What a meeting says: when, where, who, about what. The audience is set once, when scheduling. */
@InputType({ description: 'A meeting (打合せ): every problem is reported at once' })
export class MeetingInput {
  @Field(() => String, { description: 'At most 200 characters' })
  title!: string;

  @Field(() => Date, { description: 'In the future' })
  startsAt!: Date;

  @Field(() => Date, { description: 'After startsAt, at most 12 hours later' })
  endsAt!: Date;

  @Field(() => String, { nullable: true, description: '会場; a place, an online link or both. At most 500 characters' })
  place?: string | null;

  @Field(() => String, { nullable: true, description: 'https:// only, at most 2000 characters' })
  onlineUrl?: string | null;

  @Field(() => String, { nullable: true, description: '議題, plain text, at most 10000 characters' })
  agenda?: string | null;

  @Field(() => [ID], {
    description:
      '1 to 50 accounts: desk staff, staff of a section with an active match and, for SHARED meetings only, members of the proposing organisation',
  })
  participantIds!: string[];
}

@InputType({ description: 'A new meeting: its content and, once and for all, its audience' })
export class ScheduleMeetingInput extends MeetingInput {
  @Field(() => Audience, { description: 'SHARED (ward and proposer) or INTERNAL (ward only); it never changes afterwards' })
  audience!: Audience;
}
