import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from '../identity/account.entity.js';

/** Someone present (in the minutes, on a workspace), as every viewer of the list may see them. */
export interface PresentPersonView {
  accountId: string;
  displayName: string;
  role: Role;
  sectionName: string | null;
  organisationName: string | null;
}

/**
 * The fields of a present person, shared by `MinutesPresent` and `WorkspacePresent` (type-graphql
 * inherits decorated fields only from a decorated class). No field returns this type, so the
 * schema keeps just its two named types, each with its own description: the clients' operations
 * and generated types name them.
 */
@ObjectType()
export abstract class PresentPerson implements PresentPersonView {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => String, { nullable: true, description: 'Section staff: their department and section (所管課)' })
  sectionName!: string | null;

  @Field(() => String, { nullable: true, description: 'Proposers: their organisation' })
  organisationName!: string | null;
}
