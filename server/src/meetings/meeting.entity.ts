import { Collection, type Opt } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, OneToMany, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Account } from '../identity/account.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { Audience } from '../shared/audience.js';

export enum MeetingState {
  SCHEDULED = 'SCHEDULED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(MeetingState, { name: 'MeetingState', description: 'SCHEDULED (also once held); CANCELLED (reason)' });

/**
 * A meeting (打合せ) about a proposal: when, where (a place, an online link or both), who, the
 * agenda, and live minutes written together. Its audience decides who sees the meeting and its
 * minutes: SHARED meetings include the proposer, INTERNAL ones are the ward's own.
 */
@ObjectType({ description: 'A meeting about a proposal (打合せ)' })
@Entity({ tableName: 'meeting' })
@Index({ properties: ['proposal', 'startsAt'] })
export class Meeting {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Proposal, { deleteRule: 'restrict' })
  proposal: Proposal;

  @Field(() => String)
  @Property({ type: 'text' })
  title!: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  startsAt!: Date;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  endsAt!: Date;

  /** Where it is held in person (会場), if anywhere. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  place: string | null = null;

  /** The online meeting link (https only), if any. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  onlineUrl: string | null = null;

  /** The agenda (議題), plain text. */
  @Field(() => String)
  @Property({ type: 'text' })
  agenda: string = '';

  @Field(() => Audience)
  @Enum({ items: () => Audience, nativeEnumName: 'audience' })
  audience: Audience;

  @Field(() => MeetingState)
  @Enum({ items: () => MeetingState, nativeEnumName: 'meeting_state' })
  state: Opt<MeetingState> = MeetingState.SCHEDULED;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  cancelReason: string | null = null;

  /** The iCalendar SEQUENCE: raised on every change sent to the participants. */
  @Property({ type: 'integer' })
  icsSequence: Opt<number> = 0;

  @Property({ type: 'uuid' })
  createdBy: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  @Field(() => Date)
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();

  @Field(() => Int, { description: 'Pass as expectedVersion when changing it' })
  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;

  @OneToMany(() => MeetingParticipant, (participant) => participant.meeting, { orphanRemoval: true })
  participants = new Collection<MeetingParticipant>(this);

  constructor(proposal: Proposal, audience: Audience, createdBy: string) {
    this.proposal = proposal;
    this.audience = audience;
    this.createdBy = createdBy;
  }
}

/** An account invited to a meeting: ward staff, or (SHARED meetings only) a member of the proposing organisation. */
@Entity({ tableName: 'meeting_participant' })
@Unique({ properties: ['meeting', 'account'] })
@Index({ properties: ['account'] })
export class MeetingParticipant {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Meeting, { deleteRule: 'cascade' })
  meeting: Meeting;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  account: Account;

  @Property({ type: 'timestamptz' })
  addedAt: Opt<Date> = new Date();

  constructor(meeting: Meeting, account: Account) {
    this.meeting = meeting;
    this.account = account;
  }
}
