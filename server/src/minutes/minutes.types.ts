import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PresentPerson } from '../presence/present-person.types.js';

@ObjectType({ description: 'A meeting’s minutes (議事録) as they are now, to start a live editor from' })
export class MinutesSnapshot {
  @Field(() => ID)
  meetingId!: string;

  @Field(() => String, { description: 'The whole Yjs document (every edit merged), base64. Apply it, then subscribe to minutesEvents after `cursor`.' })
  state!: string;

  @Field(() => String, { description: 'The plain text of the minutes' })
  text!: string;

  @Field(() => String, { description: 'Taken before the state was read: pass it as `after` to minutesEvents (edits already in the state are harmless to apply again)' })
  cursor!: string;

  @Field(() => Int, { description: 'How many edits have been merged' })
  updateCount!: number;

  @Field(() => Date, { nullable: true, description: 'When the last edit was merged; null while nothing has been written' })
  updatedAt!: Date | null;
}

@ObjectType({ description: 'What an accepted edit of the minutes left behind' })
export class MinutesEditReceipt {
  @Field(() => Boolean, { description: 'False when the server already had everything in the update (a retry): nothing was stored' })
  changed!: boolean;

  @Field(() => ID, { nullable: true, description: 'The stored edit, when something changed' })
  updateId!: string | null;
}

@ObjectType({ description: 'Someone with the minutes open now (one entry per person, however many tabs)' })
export class MinutesPresent extends PresentPerson {}

export enum MinutesEventKind {
  /** Someone's edit was merged: apply `update`. */
  EDITED = 'EDITED',
  /** Someone opened or closed the minutes: `present` is who is here now. */
  PRESENCE = 'PRESENCE',
}
registerEnumType(MinutesEventKind, { name: 'MinutesEventKind' });

@ObjectType({ description: 'A live change to a meeting’s minutes' })
export class MinutesEvent {
  @Field(() => String, { description: 'Opaque position of this event; pass it back as `after` to resume after a reconnect' })
  cursor!: string;

  @Field(() => MinutesEventKind)
  kind!: MinutesEventKind;

  @Field(() => ID)
  meetingId!: string;

  @Field(() => String, { nullable: true, description: 'EDITED: the merged edit as a Yjs update, base64' })
  update!: string | null;

  @Field(() => ID, { nullable: true, description: 'EDITED: who wrote it' })
  authorId!: string | null;

  @Field(() => String, { nullable: true, description: 'EDITED: who wrote it, by name' })
  authorName!: string | null;

  @Field(() => [MinutesPresent], { nullable: true, description: 'PRESENCE: who has the minutes open now' })
  present!: MinutesPresent[] | null;
}
