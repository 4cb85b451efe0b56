import type { Opt } from '@mikro-orm/core';
import { Entity, OneToOne, Property } from '@mikro-orm/decorators/legacy';
import { Meeting } from '../meetings/meeting.entity.js';

/**
 * A meeting's minutes (議事録) as one Yjs document: `state` is every update merged so far (a Yjs
 * update that rebuilds the document). Changed only under a row lock, so merges never race.
 */
@Entity({ tableName: 'minutes_document' })
export class MinutesDocument {
  @OneToOne(() => Meeting, { primary: true, owner: true, deleteRule: 'cascade' })
  meeting: Meeting;

  @Property({ type: 'blob' })
  state: Buffer;

  /** The plain text of the minutes after the last merge: for reading, export and search. */
  @Property({ type: 'text' })
  text: Opt<string> = '';

  @Property({ type: 'integer' })
  updateCount: Opt<number> = 0;

  @Property({ type: 'timestamptz' })
  updatedAt: Opt<Date> = new Date();

  constructor(meeting: Meeting, state: Buffer) {
    this.meeting = meeting;
    this.state = state;
  }
}
