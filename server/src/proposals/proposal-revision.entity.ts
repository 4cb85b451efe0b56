import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { Proposal } from './proposal.entity.js';

/**
 * The content of a proposal as it was submitted, kept whenever it goes back to the proposer for
 * changes, so the earlier version can be compared and disclosed (情報公開請求) later.
 */
@Entity({ tableName: 'proposal_revision' })
@Index({ properties: ['proposal', 'revision'] })
export class ProposalRevision {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: Opt<string>;

  @ManyToOne(() => Proposal, { deleteRule: 'restrict' })
  proposal: Proposal;

  @Property({ type: 'integer' })
  revision: number;

  @Property({ type: 'json' })
  content: Record<string, unknown>;

  @Property({ type: 'uuid' })
  savedBy: string;

  @Property({ type: 'timestamptz' })
  savedAt: Opt<Date> = new Date();

  constructor(proposal: Proposal, revision: number, content: Record<string, unknown>, savedBy: string) {
    this.proposal = proposal;
    this.revision = revision;
    this.content = content;
    this.savedBy = savedBy;
  }
}
