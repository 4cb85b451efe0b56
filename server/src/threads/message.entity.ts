import { ArrayType, type Opt } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Proposal } from '../proposals/proposal.entity.js';
import { Thread } from './thread.entity.js';
import { bigramIndexSql, messageDocumentSql } from '../search/search-expressions.js';

/**
 * A message in a thread. Replies nest to three levels (depth 0–2); a reply to a message at the
 * deepest level is placed beside it and quotes it (`quoted`). The body is the author's Markdown
 * (a safe subset); `bodyHtml` is what the server rendered and sanitised from it — the only HTML
 * that ever reaches a browser. Editing keeps the earlier bodies (MessageRevision); deleting
 * blanks the body and leaves a visible placeholder.
 */
@ObjectType({ description: 'A message in a thread' })
@Entity({ tableName: 'message' })
@Index({ properties: ['thread', 'createdAt'] })
@Index({ properties: ['proposal', 'createdAt'] })
// Message search walks the newest messages first (search.sql.ts: a common term's page and count come from the newest rows).
@Index({ properties: ['createdAt', 'id'] })
@Index({ name: 'message_search_bigrams', expression: bigramIndexSql('message_search_bigrams', 'message', messageDocumentSql()) })
export class Message {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Thread, { deleteRule: 'restrict' })
  thread: Thread;

  /** The thread's proposal, kept here so visibility filters need no join through the thread. */
  @ManyToOne(() => Proposal, { deleteRule: 'restrict' })
  proposal: Proposal;

  /** The message this one answers (null for the thread's first message and top-level posts). */
  @ManyToOne(() => Message, { nullable: true, deleteRule: 'restrict' })
  parent: Message | null = null;

  /** 0 = top level; at most 2. */
  @Field(() => Int)
  @Property({ type: 'smallint' })
  depth: Opt<number> = 0;

  /** Set when a reply went deeper than three levels: the message it answers, quoted. */
  @ManyToOne(() => Message, { nullable: true, deleteRule: 'restrict' })
  quoted: Message | null = null;

  @Property({ type: 'uuid' })
  authorId: string;

  /** The Markdown source as written (empty once deleted). */
  @Property({ type: 'text' })
  body: Opt<string> = '';

  /** Rendered and sanitised on the server from `body` (empty once deleted). */
  @Property({ type: 'text' })
  bodyHtml: Opt<string> = '';

  /** Accounts mentioned (@), each able to read the thread when mentioned. */
  @Property({ type: ArrayType, columnType: 'uuid[]' })
  mentionIds: Opt<string[]> = [];

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  editedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  deletedBy: string | null = null;

  @Field(() => Int, { description: 'Pass as expectedVersion when editing or deleting it' })
  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;

  constructor(thread: Thread, authorId: string) {
    this.thread = thread;
    this.proposal = thread.proposal;
    this.authorId = authorId;
  }
}

/** An earlier body of an edited message: the history anyone who reads the thread may view. */
@Entity({ tableName: 'message_revision' })
@Index({ properties: ['message', 'editedAt'] })
export class MessageRevision {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Message, { deleteRule: 'cascade' })
  message: Message;

  @Property({ type: 'text' })
  body: string;

  @Property({ type: 'text' })
  bodyHtml: string;

  /** When this body was replaced. */
  @Property({ type: 'timestamptz' })
  editedAt: Opt<Date> = new Date();

  @Property({ type: 'uuid' })
  editedBy: string;

  constructor(message: Message, body: string, bodyHtml: string, editedBy: string) {
    this.message = message;
    this.body = body;
    this.bodyHtml = bodyHtml;
    this.editedBy = editedBy;
  }
}
