import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'What the viewer may do about protection (アイデア保護) on this proposal now' })
export class ProtectionAbilities {
  @Field(() => Boolean, { description: 'Members of the proposing organisation, from submission through publication' })
  request!: boolean;

  @Field(() => Boolean, { description: 'The desk: agree or decline REQUESTED entries' })
  decide!: boolean;

  @Field(() => Boolean, { description: 'The desk: download the register as CSV from protectionRegisterCsvPath' })
  exportRegister!: boolean;
}
