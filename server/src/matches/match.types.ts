import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../graphql/connection.js';
import { Match } from './match.entity.js';

@ObjectType({ description: 'What the viewer may do to this match now' })
export class MatchAbilities {
  @Field(() => Boolean, { description: 'Staff of the matched section, while PENDING' })
  accept!: boolean;

  @Field(() => Boolean, { description: 'Staff of the matched section, while PENDING (with a reason)' })
  decline!: boolean;

  @Field(() => Boolean, { description: 'The desk, while PENDING or ACCEPTED (with a reason)' })
  withdraw!: boolean;

  @Field(() => Boolean, { description: 'The desk, for an active match that is not the lead' })
  makeLead!: boolean;
}

@ObjectType()
export class MatchEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Match)
  node!: Match;
}

@ObjectType()
export class MatchConnection {
  @Field(() => [MatchEdge])
  edges!: MatchEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@ObjectType({ description: 'A desk member, as named on a proposal' })
export class DeskMember {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  displayName!: string;
}

@ObjectType({ description: 'The proposer’s contact for this proposal (the organisation’s registered contact)' })
export class ProposerContact {
  @Field(() => String)
  organisationName!: string;

  @Field(() => String)
  contactName!: string;

  @Field(() => String)
  contactEmail!: string;

  @Field(() => String)
  contactPhone!: string;
}

@ObjectType({ description: 'Who is responsible for what (役割分担): lead section, supporting sections, desk owner, proposer contact' })
export class ProposalResponsibilities {
  @Field(() => Match, { nullable: true, description: 'The active lead match (主担当課), PENDING or ACCEPTED' })
  leadSection!: Match | null;

  @Field(() => [Match], { description: 'The other active matches (協力課), PENDING or ACCEPTED, oldest first' })
  supportingSections!: Match[];

  @Field(() => DeskMember, { nullable: true, description: 'The desk member responsible (担当者)' })
  deskOwner!: DeskMember | null;

  @Field(() => ProposerContact)
  proposerContact!: ProposerContact;
}
