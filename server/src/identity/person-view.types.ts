import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from './account.entity.js';
import type { PersonView } from './person-view.js';

/**
 * The fields of a person as shown beside a meeting or in a thread, shared by `MeetingPerson` and
 * `ThreadPerson`. No field returns this type, so the schema keeps just those two (each with its
 * own descriptions, the organisation's among them); type-graphql inherits fields only from a
 * decorated class.
 */
@ObjectType()
export abstract class PersonViewFields implements Omit<PersonView, 'organisationName'> {
  @Field(() => ID, { description: 'The account' })
  accountId!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => String, { nullable: true, description: 'Section staff: their section (課)' })
  sectionName!: string | null;

  @Field(() => String, { nullable: true, description: 'Section staff: their department (部)' })
  departmentName!: string | null;
}
