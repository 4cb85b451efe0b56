import type { Opt } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import { Thread } from './thread.entity.js';

/**
 * One person's relation to a thread: how far they have read (unread markers) and whether they
 * follow it (notifications of new messages). Authors and mentioned people follow automatically.
 */
@Entity({ tableName: 'thread_reader' })
@Unique({ properties: ['thread', 'accountId'] })
@Index({ properties: ['accountId'] })
export class ThreadReader {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Thread, { deleteRule: 'cascade' })
  thread: Thread;

  @Property({ type: 'uuid' })
  accountId: string;

  /** Messages created after this are unread for this person (null: nothing read yet). */
  @Property({ type: 'timestamptz', nullable: true })
  readUpTo: Date | null = null;

  @Property({ type: 'boolean' })
  following: Opt<boolean> = false;

  constructor(thread: Thread, accountId: string) {
    this.thread = thread;
    this.accountId = accountId;
  }
}
