import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Proposal } from '../proposals/proposal.entity.js';
import { Section } from '../sections/section.entity.js';

/**
 * A progress note or milestone (進捗・マイルストーン) of a proposal IN_PROGRESS, written by staff of
 * an ACCEPTED section or the desk. Append-only: a note is never edited.
 */
@ObjectType({ description: 'A progress note or milestone of the partnership in progress' })
@Entity({ tableName: 'progress_note' })
@Index({ properties: ['proposal', 'createdAt'] })
export class ProgressNote {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Proposal, { deleteRule: 'restrict' })
  proposal: Proposal;

  @Property({ type: 'uuid' })
  authorId: string;

  /** The author's section, or null for the desk. */
  @ManyToOne(() => Section, { nullable: true, deleteRule: 'restrict' })
  section: Section | null;

  @Field(() => String)
  @Property({ type: 'text' })
  text!: string;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  milestone: Opt<boolean> = false;

  @Field(() => String, { description: 'YYYY-MM-DD (Asia/Tokyo) it happened' })
  @Property({ type: 'date' })
  happenedOn!: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  constructor(proposal: Proposal, authorId: string, section: Section | null) {
    this.proposal = proposal;
    this.authorId = authorId;
    this.section = section;
  }
}
