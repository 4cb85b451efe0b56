import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../graphql/connection.js';
import { Challenge } from './challenge.entity.js';

@ObjectType({ description: 'A field (分野) a challenge belongs to' })
export class ChallengeField {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  nameJa!: string;

  @Field(() => String)
  nameEn!: string;
}

@ObjectType({ description: 'What the viewer may do to this challenge now' })
export class ChallengeAbilities {
  @Field(() => Boolean)
  edit!: boolean;

  @Field(() => Boolean)
  open!: boolean;

  @Field(() => Boolean)
  close!: boolean;

  @Field(() => Boolean)
  publish!: boolean;

  @Field(() => Boolean)
  unpublish!: boolean;
}

@ObjectType()
export class ChallengeEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Challenge)
  node!: Challenge;
}

@ObjectType()
export class ChallengeConnection {
  @Field(() => [ChallengeEdge])
  edges!: ChallengeEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'All matching challenges the viewer may see' })
  totalCount!: number;
}

export enum ChallengeEventKind {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  OPENED = 'OPENED',
  CLOSED = 'CLOSED',
  PUBLISHED = 'PUBLISHED',
  UNPUBLISHED = 'UNPUBLISHED',
}
registerEnumType(ChallengeEventKind, { name: 'ChallengeEventKind' });

@ObjectType({ description: 'A change to a challenge. `challenge` is null when the viewer can no longer see it: remove it from view.' })
export class ChallengeEvent {
  @Field(() => String, { description: 'Opaque position of this event; pass it back as `after` to resume after a reconnect' })
  cursor!: string;

  @Field(() => ChallengeEventKind)
  kind!: ChallengeEventKind;

  @Field(() => ID)
  challengeId!: string;

  @Field(() => Challenge, { nullable: true })
  challenge!: Challenge | null;
}
