import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ChallengeField } from '../challenges/challenge.types.js';
import { PageInfo } from '../graphql/connection.js';
import { OrganisationKind } from '../organisations/organisation.entity.js';
// One GraphQL type for the snapshot: the publication domain's, which the desk's preview shows too.
import { PublishedCaseContentView } from '../publication/case.types.js';

@ObjectType({ description: 'A published case (公民連携事例) as the public portal shows it' })
export class PublicCaseView {
  @Field(() => ID) id!: string;
  @Field(() => PublishedCaseContentView) content!: PublishedCaseContentView;
  @Field(() => [ChallengeField], { description: "The snapshot's fields (分野) with their names" }) fields!: ChallengeField[];
  @Field(() => Date, { description: 'When it first appeared on the portal' }) firstPublishedAt!: Date;
  @Field(() => Date, { description: 'When the current version was published' }) publishedAt!: Date;
}

@ObjectType()
export class PublicCaseEdge {
  @Field(() => String) cursor!: string;
  @Field(() => PublicCaseView) node!: PublicCaseView;
}

@ObjectType()
export class PublicCaseConnection {
  @Field(() => [PublicCaseEdge]) edges!: PublicCaseEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'All published cases matching the filter' }) totalCount!: number;
}

@ObjectType({ description: 'A lead section (所管課) that has published cases' })
export class PublicCaseSection {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
}

@ObjectType({ description: 'What the case list can be filtered by: only values that published cases have' })
export class PublicCaseFacets {
  @Field(() => [Int]) fiscalYears!: number[];
  @Field(() => [PublicCaseSection]) sections!: PublicCaseSection[];
  @Field(() => [ChallengeField]) fields!: ChallengeField[];
  @Field(() => [OrganisationKind]) organisationKinds!: OrganisationKind[];
}
