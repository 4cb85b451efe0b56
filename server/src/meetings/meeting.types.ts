import { Field, ID, ObjectType } from 'type-graphql';
import { PersonViewFields } from '../identity/person-view.types.js';

@ObjectType({ description: 'What the viewer may do to this meeting now' })
export class MeetingAbilities {
  @Field(() => Boolean, { description: 'Reschedule or edit it, change who is invited: the desk or staff of an ACCEPTED section, while SCHEDULED and before it starts' })
  update!: boolean;

  @Field(() => Boolean, { description: 'Cancel it (with a reason): the same people, at the same times' })
  cancel!: boolean;

  @Field(() => Boolean, { description: 'Write its minutes (議事録) together: everyone in its audience' })
  editMinutes!: boolean;
}

@ObjectType({ description: 'What the viewer may do about meetings on this proposal' })
export class ProposalMeetingAbilities {
  @Field(() => Boolean, { description: 'The desk or staff of an ACCEPTED section, while the proposal is IN_DIALOGUE, AGREED or IN_PROGRESS' })
  schedule!: boolean;
}

/**
 * A person as shown with a meeting: who they are to the proposal. Never an e-mail address
 * (proposers see these lists too).
 */
@ObjectType({ description: 'A participant of a meeting, or someone who may be invited: name, role, section or organisation. No contact details.' })
export class MeetingPerson extends PersonViewFields {
  @Field(() => String, { nullable: true, description: 'Proposers: their organisation, while they are a member' })
  organisationName!: string | null;
}

@ObjectType({ description: 'The proposal a meeting is about: only what names it' })
export class MeetingProposal {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true, description: '受付番号' })
  referenceNumber!: string | null;
}
