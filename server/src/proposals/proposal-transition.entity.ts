import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { Proposal, ProposalState } from './proposal.entity.js';

/**
 * The append-only audit trail of a proposal's life: who moved it, when, from what to what, and
 * why. Rows are only ever inserted (a trigger refuses update and delete). Shown as the timeline.
 */
@Entity({
  tableName: 'proposal_transition',
  triggers: [
    {
      name: 'proposal_transition_append_only',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: "raise exception 'proposal_transition is append-only'",
    },
  ],
})
@Index({ properties: ['proposal', 'at'] })
export class ProposalTransition {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: Opt<string>;

  @ManyToOne(() => Proposal, { deleteRule: 'restrict' })
  proposal: Proposal;

  @Enum({ items: () => ProposalState, nativeEnumName: 'proposal_state', nullable: true })
  fromState: ProposalState | null;

  @Enum({ items: () => ProposalState, nativeEnumName: 'proposal_state' })
  toState: ProposalState;

  @Property({ type: 'uuid' })
  actorId: string;

  @Property({ type: 'text', nullable: true })
  reason: string | null;

  @Property({ type: 'timestamptz' })
  at: Opt<Date> = new Date();

  constructor(proposal: Proposal, fromState: ProposalState | null, toState: ProposalState, actorId: string, reason: string | null) {
    this.proposal = proposal;
    this.fromState = fromState;
    this.toState = toState;
    this.actorId = actorId;
    this.reason = reason;
  }
}
