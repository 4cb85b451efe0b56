import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Proposal } from '../proposals/proposal.entity.js';

export enum ReportState {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  /** Sent back by the desk with a note; the lead section revises and submits again. */
  RETURNED = 'RETURNED',
  ACCEPTED = 'ACCEPTED',
}
registerEnumType(ReportState, { name: 'ReportState', description: 'DRAFT → SUBMITTED → RETURNED (note) or ACCEPTED by the desk' });

export enum ContinuationIntent {
  CONTINUE = 'CONTINUE',
  END = 'END',
  UNDECIDED = 'UNDECIDED',
}
registerEnumType(ContinuationIntent, { name: 'ContinuationIntent', description: 'Whether the partnership is to continue after this report' });

/** One agreed indicator's result: what was planned (from the decision) and what happened. */
@ObjectType({ description: 'An agreed indicator, planned against actual' })
export class IndicatorResult {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The target as agreed' })
  target!: string;

  @Field(() => String, { description: 'What was achieved' })
  actual!: string;

  @Field(() => String)
  note!: string;
}

/**
 * The implementation report (実施報告書) of a partnership, written by the lead section (主担当課)
 * after the work: the period, what was done, results against the agreed indicators, people
 * reached, the ward's cost (expected none) and the partner's contribution, issues, next steps
 * and whether to continue. The proposer reads the draft and comments before it is submitted;
 * the desk returns it with a note or accepts it. One report per proposal.
 */
@ObjectType({ description: 'The implementation report (実施報告書) of a partnership' })
@Entity({ tableName: 'implementation_report' })
@Unique({ properties: ['proposal'] })
@Index({ properties: ['state', 'updatedAt'] })
export class ImplementationReport {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Proposal, { deleteRule: 'restrict' })
  proposal: Proposal;

  @Field(() => ReportState)
  @Enum({ items: () => ReportState, nativeEnumName: 'report_state' })
  state: Opt<ReportState> = ReportState.DRAFT;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @Property({ type: 'date', nullable: true })
  periodStart: string | null = null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, not before periodStart' })
  @Property({ type: 'date', nullable: true })
  periodEnd: string | null = null;

  /** 実施内容 */
  @Field(() => String)
  @Property({ type: 'text' })
  activities: Opt<string> = '';

  @Field(() => [IndicatorResult])
  @Property({ type: 'json' })
  indicatorResults: Opt<IndicatorResult[]> = [];

  /** 参加者数・対象者数 */
  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  peopleReached: number | null = null;

  /** The ward's cost in yen (the principle is none). */
  @Field(() => Int)
  @Property({ type: 'integer' })
  wardCostYen: Opt<number> = 0;

  /** What the partner contributed (提案者の負担・提供), in words. */
  @Field(() => String)
  @Property({ type: 'text' })
  partnerContribution: Opt<string> = '';

  /** The partner's contribution valued in yen, as reported: what the ward did not have to spend. */
  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  partnerContributionYen: number | null = null;

  /** 課題 */
  @Field(() => String)
  @Property({ type: 'text' })
  issues: Opt<string> = '';

  /** 今後の展開 */
  @Field(() => String)
  @Property({ type: 'text' })
  nextSteps: Opt<string> = '';

  @Field(() => ContinuationIntent)
  @Enum({ items: () => ContinuationIntent, nativeEnumName: 'continuation_intent' })
  continuation: Opt<ContinuationIntent> = ContinuationIntent.UNDECIDED;

  /** The desk's note when it returned the report for revision. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  returnNote: string | null = null;

  @Property({ type: 'uuid' })
  createdBy: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  updatedAt: Opt<Date> = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  submittedBy: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  decidedBy: string | null = null;

  @Field(() => Int, { description: 'Pass as expectedVersion when changing it' })
  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;

  constructor(proposal: Proposal, createdBy: string) {
    this.proposal = proposal;
    this.createdBy = createdBy;
  }
}

/** A comment on the report while it is written: the proposer's and the ward's, kept with the report. */
@ObjectType({ description: 'A comment on an implementation report' })
@Entity({ tableName: 'report_comment' })
@Index({ properties: ['report', 'createdAt'] })
export class ReportComment {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ImplementationReport, { deleteRule: 'cascade' })
  report: ImplementationReport;

  @Property({ type: 'uuid' })
  authorId: string;

  @Field(() => String)
  @Property({ type: 'text' })
  body: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  constructor(report: ImplementationReport, authorId: string, body: string) {
    this.report = report;
    this.authorId = authorId;
    this.body = body;
  }
}
