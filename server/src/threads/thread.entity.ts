import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Proposal } from '../proposals/proposal.entity.js';
import { Audience } from '../shared/audience.js';

/**
 * A discussion thread on a proposal (対話). SHARED: the ward and the proposer; INTERNAL: the desk
 * and matched sections only. The audience is fixed at creation: an INTERNAL thread never turns
 * SHARED, and every reply inherits it.
 */
@ObjectType({ description: 'A discussion thread on a proposal' })
@Entity({ tableName: 'thread' })
@Index({ properties: ['proposal', 'audience', 'lastMessageAt'] })
export class Thread {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Proposal, { deleteRule: 'restrict' })
  proposal: Proposal;

  @Field(() => Audience)
  @Enum({ items: () => Audience, nativeEnumName: 'audience' })
  audience: Audience;

  @Field(() => String)
  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'uuid' })
  createdBy: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  /** When the last message was posted: threads are listed by it. */
  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  lastMessageAt: Opt<Date> = new Date();

  @Field(() => Int, { description: 'Pass as expectedVersion when changing it' })
  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;

  constructor(proposal: Proposal, audience: Audience, createdBy: string) {
    this.proposal = proposal;
    this.audience = audience;
    this.createdBy = createdBy;
  }
}
