import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../graphql/connection.js';
import { PersonViewFields } from '../identity/person-view.types.js';

@ObjectType({ description: 'Who did an audited act: name, role, section or organisation. No contact details.' })
export class AuditActor extends PersonViewFields {
  @Field(() => String, { nullable: true, description: 'Proposers: their organisation, while they are a member' })
  organisationName!: string | null;
}

@ObjectType({ description: 'One fact about an audited act (e.g. an export’s columns), as text' })
export class AuditDetail {
  @Field(() => String, { description: 'e.g. columns, filter, includeProtected, rowCount' })
  key!: string;

  @Field(() => String)
  value!: string;
}

@ObjectType({ description: 'An entry of the audit trail (監査記録): who, what, to what, why, when. Never protected content.' })
export class AuditEntryView {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { description: 'e.g. PROPOSALS_EXPORTED, CASE_PUBLISHED' })
  action!: string;

  @Field(() => AuditActor, { nullable: true, description: 'Null for the system (or an account that no longer exists)' })
  actor!: AuditActor | null;

  @Field(() => String, { description: 'proposal, case, proposals (an export), …' })
  subjectKind!: string;

  @Field(() => String, { nullable: true })
  subjectId!: string | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => [AuditDetail], { description: 'The recorded facts, each value as text' })
  details!: AuditDetail[];
}

@ObjectType()
export class AuditEntryEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => AuditEntryView)
  node!: AuditEntryView;
}

@ObjectType()
export class AuditEntryConnection {
  @Field(() => [AuditEntryEdge])
  edges!: AuditEntryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'All entries matching the action filter' })
  totalCount!: number;
}
