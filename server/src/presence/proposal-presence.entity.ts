import type { Opt } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import { Proposal } from '../proposals/proposal.entity.js';

/**
 * Who is on a proposal's workspace now, and who is typing in which thread: one row per open
 * page (a live connection), refreshed while it stays open; rows not seen for a while count as
 * gone, so a crash leaves no ghost. `typingThreadId` is set while the person types and expires
 * on its own after a few seconds without a refresh (`typingAt`).
 */
@Entity({ tableName: 'proposal_presence' })
@Unique({ properties: ['proposal', 'connectionId'] })
@Index({ properties: ['proposal', 'lastSeenAt'] })
export class ProposalPresence {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Proposal, { deleteRule: 'cascade' })
  proposal: Proposal;

  @Property({ type: 'uuid' })
  accountId: string;

  @Property({ type: 'text' })
  connectionId: string;

  @Property({ type: 'timestamptz' })
  lastSeenAt: Opt<Date> = new Date();

  @Property({ type: 'uuid', nullable: true })
  typingThreadId: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  typingAt: Date | null = null;

  constructor(proposal: Proposal, accountId: string, connectionId: string) {
    this.proposal = proposal;
    this.accountId = accountId;
    this.connectionId = connectionId;
  }
}
