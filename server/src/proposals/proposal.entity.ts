import { Entity, Enum, Index, ManyToOne, OneToMany, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ArrayType, Collection, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Organisation } from '../organisations/organisation.entity.js';
import { Challenge } from '../challenges/challenge.entity.js';
import { Account } from '../identity/account.entity.js';
import { Match } from '../matches/match.entity.js';
import { bigramIndexSql, proposalDocumentSql } from '../search/search-expressions.js';

/** A proposal's life (DESIGN.md §3). */
export enum ProposalState {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  UNDER_REVIEW = 'UNDER_REVIEW',
  IN_DIALOGUE = 'IN_DIALOGUE',
  AGREED = 'AGREED',
  IN_PROGRESS = 'IN_PROGRESS',
  REPORTED = 'REPORTED',
  PUBLISHED = 'PUBLISHED',
  /** 対象外: returned by the desk as out of scope, with a reason. */
  RETURNED = 'RETURNED',
  /** 見送り: not realised, with a reason. */
  NOT_REALIZED = 'NOT_REALIZED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(ProposalState, { name: 'ProposalState' });

/** フリー提案型 or テーマ指定型 (to a published challenge). */
export enum ProposalKind {
  FREE = 'FREE',
  CHALLENGE = 'CHALLENGE',
}
registerEnumType(ProposalKind, { name: 'ProposalKind', description: 'FREE フリー提案型; CHALLENGE テーマ指定型' });

/** What the proposal would cost the ward. The principle is none (区の費用負担のないことを原則). */
export enum WardCost {
  NONE = 'NONE',
  ESTIMATE = 'ESTIMATE',
}
registerEnumType(WardCost, { name: 'WardCost' });

/** The proposer's content: everything they write on the form. */
export interface ProposalContent {
  kind: ProposalKind;
  challenge: Challenge | null;
  title: string;
  wardIssue: string;
  content: string;
  expectedEffects: string;
  askOfWard: string;
  wardCost: WardCost;
  wardCostEstimate: number | null;
  wardCostReason: string;
  ownResources: string;
  schedule: string;
  hopedSectionIds: string[];
}

/** A proposal from an organisation to the ward (提案). Ids are random UUIDs: not guessable. */
@ObjectType({ description: 'A proposal from an organisation (提案)' })
@Entity({ tableName: 'proposal' })
@Index({ properties: ['organisation', 'updatedAt'] })
@Index({ properties: ['state', 'submittedAt'] })
@Index({ name: 'proposal_search_bigrams', expression: bigramIndexSql('proposal_search_bigrams', 'proposal', proposalDocumentSql()) })
export class Proposal {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organisation, { deleteRule: 'restrict' })
  organisation: Organisation;

  @Field(() => ProposalState)
  @Enum({ items: () => ProposalState, nativeEnumName: 'proposal_state' })
  state: Opt<ProposalState> = ProposalState.DRAFT;

  /** 受付番号 by fiscal year, e.g. 2026-0042; given at first submission and kept. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true, unique: true })
  referenceNumber: string | null = null;

  @Field(() => ProposalKind)
  @Enum({ items: () => ProposalKind, nativeEnumName: 'proposal_kind' })
  kind: ProposalKind = ProposalKind.FREE;

  @ManyToOne(() => Challenge, { nullable: true, deleteRule: 'restrict' })
  challenge: Challenge | null = null;

  @Field(() => String)
  @Property({ type: 'text' })
  title = '';

  /** The ward issue it addresses (解決したい地域・行政の課題). */
  @Field(() => String)
  @Property({ type: 'text' })
  wardIssue = '';

  /** 提案内容 */
  @Field(() => String)
  @Property({ type: 'text' })
  content = '';

  /** 期待される効果 */
  @Field(() => String)
  @Property({ type: 'text' })
  expectedEffects = '';

  /** What it asks of the ward: roles, places, data, publicity (区に求める協力). */
  @Field(() => String)
  @Property({ type: 'text' })
  askOfWard = '';

  @Field(() => WardCost)
  @Enum({ items: () => WardCost, nativeEnumName: 'ward_cost' })
  wardCost: WardCost = WardCost.NONE;

  /** Yen, when wardCost is ESTIMATE. */
  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  wardCostEstimate: number | null = null;

  @Field(() => String)
  @Property({ type: 'text' })
  wardCostReason = '';

  /** The proposer's own resources (提案者が提供する資源). */
  @Field(() => String)
  @Property({ type: 'text' })
  ownResources = '';

  @Field(() => String)
  @Property({ type: 'text' })
  schedule = '';

  /** Sections the proposer hopes to work with (希望する所管課); the desk decides. */
  @Property({ type: ArrayType, columnType: 'uuid[]' })
  hopedSectionIds: string[] = [];

  /** The pledges (営業目的のみでない・政治宗教目的でない・反社会的勢力と無関係) affirmed at submission. */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  pledgesAffirmedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  pledgesAffirmedBy: string | null = null;

  /** A note from the desk when it asked for changes (修正依頼). */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  changeRequestNote: string | null = null;

  /** The desk member responsible for it (担当者), named by the desk. */
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  deskOwner: Account | null = null;

  /**
   * Its matches to sections (the matches domain changes them). An active one lets the section see
   * the proposal, so whoever decides visibility in JavaScript needs them loaded: every read of a
   * proposal through the proposals service loads them (one more statement, whatever the page size).
   */
  @OneToMany(() => Match, (match) => match.proposal, { strategy: 'select-in' })
  matches = new Collection<Match>(this);

  @Field(() => Int, { description: 'Pass as expectedVersion when changing it' })
  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;

  @Property({ type: 'uuid' })
  createdBy: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  updatedAt: Opt<Date> = new Date();

  /** When it entered its current state: the start of the wait that ageing counts (滞留). */
  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  stateEnteredAt: Opt<Date> = new Date();

  /** The first submission (受付日). */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null = null;

  constructor(organisation: Organisation, createdBy: string) {
    this.organisation = organisation;
    this.createdBy = createdBy;
  }

  setContent(content: ProposalContent): void {
    this.kind = content.kind;
    this.challenge = content.challenge;
    this.title = content.title;
    this.wardIssue = content.wardIssue;
    this.content = content.content;
    this.expectedEffects = content.expectedEffects;
    this.askOfWard = content.askOfWard;
    this.wardCost = content.wardCost;
    this.wardCostEstimate = content.wardCostEstimate;
    this.wardCostReason = content.wardCostReason;
    this.ownResources = content.ownResources;
    this.schedule = content.schedule;
    this.hopedSectionIds = [...content.hopedSectionIds];
  }
}
