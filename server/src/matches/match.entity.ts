import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
// The proposal entity points back at matches: the cycle is harmless because relations are thunks.
import { Proposal } from '../proposals/proposal.entity.js';
import { Section } from '../sections/section.entity.js';

/** A match of a proposal to a section (マッチング): its own small life. */
export enum MatchState {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(MatchState, {
  name: 'MatchState',
  description: 'PENDING: awaiting the section; ACCEPTED: the section takes it on; DECLINED: the section said no (reason); WITHDRAWN: removed by the desk (reason)',
});

/**
 * A proposal matched to a section (所管課). While PENDING or ACCEPTED it lets the section's staff
 * see the proposal; DECLINED and WITHDRAWN end that. At most one active match per (proposal,
 * section), and at most one active lead per proposal — both enforced by partial unique indexes
 * as well as by the service.
 */
@ObjectType({ description: 'A proposal matched to a section (マッチング)' })
@Entity({ tableName: 'match' })
@Index({
  name: 'match_active_section_unique',
  expression: `create unique index "match_active_section_unique" on "match" ("proposal_id", "section_id") where "state" in ('PENDING', 'ACCEPTED')`,
})
@Index({
  name: 'match_active_lead_unique',
  expression: `create unique index "match_active_lead_unique" on "match" ("proposal_id") where "lead" and "state" in ('PENDING', 'ACCEPTED')`,
})
@Index({ properties: ['section', 'state', 'createdAt'] })
@Index({ properties: ['proposal', 'createdAt'] })
export class Match {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Proposal, { deleteRule: 'restrict' })
  proposal: Proposal;

  @ManyToOne(() => Section, { deleteRule: 'restrict' })
  section: Section;

  @Field(() => MatchState)
  @Enum({ items: () => MatchState, nativeEnumName: 'match_state' })
  state: Opt<MatchState> = MatchState.PENDING;

  /** The lead section (主担当) of the proposal; only meaningful while the match is active. */
  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  lead: Opt<boolean> = false;

  /** Why it was declined or withdrawn. */
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @Property({ type: 'uuid' })
  createdBy: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  /** Who accepted, declined or withdrew it. */
  @Property({ type: 'uuid', nullable: true })
  decidedBy: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Field(() => Int, { description: 'Pass as expectedVersion when changing it' })
  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;

  constructor(proposal: Proposal, section: Section, createdBy: string) {
    this.proposal = proposal;
    this.section = section;
    this.createdBy = createdBy;
  }
}
