import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A column the desk may choose for the proposal CSV export' })
export class ProposalExportColumn {
  @Field(() => String, { description: 'What `columns=` of /api/desk/proposals/export.csv takes' })
  id!: string;

  @Field(() => String, { description: 'proposal, organisation, responsibility, partnership, content or report' })
  group!: string;

  @Field(() => String)
  labelJa!: string;

  @Field(() => String)
  labelEn!: string;

  @Field(() => Boolean, { description: 'Protectable prose (アイデア保護): protected cells are left out unless includeProtected=true' })
  protectedContent!: boolean;
}
