import { Field, ID, InputType, Int } from 'type-graphql';
import { OrganisationKind } from '../organisations/organisation.entity.js';

@InputType({ description: 'Filters of the public case list; all optional, combined with AND' })
export class PublicCaseFilter {
  @Field(() => String, { nullable: true, description: 'A field (分野) code' })
  fieldCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'The lead section (所管課)' })
  sectionId?: string | null;

  @Field(() => Int, { nullable: true, description: '年度 (April–March)' })
  fiscalYear?: number | null;

  @Field(() => OrganisationKind, { nullable: true })
  organisationKind?: OrganisationKind | null;
}
