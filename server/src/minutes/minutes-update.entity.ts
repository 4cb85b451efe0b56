import type { Opt } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Meeting } from '../meetings/meeting.entity.js';

/**
 * One accepted edit of the minutes (a Yjs update), kept so the live stream can deliver it by id
 * to everyone in the audience. The merged document is in MinutesDocument.
 */
@Entity({ tableName: 'minutes_update' })
@Index({ properties: ['meeting', 'id'] })
export class MinutesUpdate {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Meeting, { deleteRule: 'cascade' })
  meeting: Meeting;

  @Property({ type: 'blob' })
  update: Buffer;

  @Property({ type: 'uuid' })
  authorId: string;

  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  constructor(meeting: Meeting, update: Buffer, authorId: string) {
    this.meeting = meeting;
    this.update = update;
    this.authorId = authorId;
  }
}
