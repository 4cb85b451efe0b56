import { ArrayType, type Opt } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Attachment } from '../attachments/attachment.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';

/**
 * The signed agreement (協定書) or contract (契約書) of an AGREED proposal: title, parties, signing
 * date, term and the signed document (an AGREEMENT_DOCUMENT attachment). One per proposal;
 * recording it again corrects it.
 */
@ObjectType({ description: 'The signed agreement or contract: title, parties, signing date, term' })
@Entity({ tableName: 'agreement_record' })
@Unique({ properties: ['proposal'] })
export class AgreementRecord {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Proposal, { deleteRule: 'restrict' })
  proposal: Proposal;

  @Field(() => String)
  @Property({ type: 'text' })
  title!: string;

  /** 締結者: the ward and the proposer at least. */
  @Field(() => [String])
  @Property({ type: ArrayType, columnType: 'text[]' })
  parties!: string[];

  @Field(() => String, { description: 'YYYY-MM-DD' })
  @Property({ type: 'date' })
  signedOn!: string;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  @Property({ type: 'date' })
  termStart!: string;

  @Field(() => String, { description: 'YYYY-MM-DD, not before termStart' })
  @Property({ type: 'date' })
  termEnd!: string;

  /** The signed document (PDF), once filed. */
  @ManyToOne(() => Attachment, { nullable: true, deleteRule: 'restrict' })
  document: Attachment | null = null;

  @Property({ type: 'uuid' })
  recordedBy: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  recordedAt: Opt<Date> = new Date();

  constructor(proposal: Proposal, recordedBy: string) {
    this.proposal = proposal;
    this.recordedBy = recordedBy;
  }
}
