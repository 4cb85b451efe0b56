import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../graphql/connection.js';
import { Role } from './account.entity.js';

@ObjectType({ description: 'An account as the desk manages it (アカウント管理): who, affiliation, enabled or not' })
export class AccountListItem {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => String, { nullable: true, description: 'Section staff: their section (課)' })
  sectionName!: string | null;

  @Field(() => String, { nullable: true, description: 'Section staff: their department (部)' })
  departmentName!: string | null;

  @Field(() => String, { nullable: true, description: 'Proposers: their organisation, while they are a member' })
  organisationName!: string | null;

  @Field(() => Boolean, { description: 'False once the desk disabled it: it cannot sign in' })
  enabled!: boolean;

  @Field(() => Date, { nullable: true })
  disabledAt!: Date | null;
}

@ObjectType()
export class AccountListEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => AccountListItem)
  node!: AccountListItem;
}

@ObjectType()
export class AccountListConnection {
  @Field(() => [AccountListEdge])
  edges!: AccountListEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'All accounts matching the filter' })
  totalCount!: number;
}

@InputType({ description: 'Which accounts the desk lists' })
export class AccountListFilter {
  @Field(() => String, { nullable: true, description: 'Part of a name, an e-mail address, a section, a department or an organisation' })
  search?: string | null;

  @Field(() => Role, { nullable: true })
  role?: Role | null;

  @Field(() => Boolean, { nullable: true, description: 'true: enabled only; false: disabled only' })
  enabled?: boolean | null;
}
