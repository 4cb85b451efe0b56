import type { Opt } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import { Meeting } from '../meetings/meeting.entity.js';

/**
 * Who is in the minutes now (presence): one row per open editor (a browser tab's live
 * connection), refreshed while it stays open. Rows not seen for a while are treated as gone, so a
 * crashed server or a closed laptop does not leave a ghost.
 */
@Entity({ tableName: 'minutes_presence' })
@Unique({ properties: ['meeting', 'connectionId'] })
@Index({ properties: ['meeting', 'lastSeenAt'] })
export class MinutesPresence {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Meeting, { deleteRule: 'cascade' })
  meeting: Meeting;

  @Property({ type: 'uuid' })
  accountId: string;

  @Property({ type: 'text' })
  connectionId: string;

  @Property({ type: 'timestamptz' })
  lastSeenAt: Opt<Date> = new Date();

  constructor(meeting: Meeting, accountId: string, connectionId: string) {
    this.meeting = meeting;
    this.accountId = accountId;
    this.connectionId = connectionId;
  }
}
