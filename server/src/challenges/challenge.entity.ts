import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ArrayType, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Section } from '../sections/section.entity.js';
import { bigramIndexSql, challengeDocumentSql } from '../search/search-expressions.js';

/** Whether a challenge takes proposals. Publication is separate: see publishedAt. */
export enum ChallengeStatus {
  DRAFT = 'DRAFT',
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(ChallengeStatus, { name: 'ChallengeStatus', description: 'DRAFT: being written; OPEN: takes proposals (受付中); CLOSED: no longer (受付終了)' });

export interface ChallengeContent {
  title: string;
  description: string;
  background: string;
  owningSection: Section | null;
  fieldCodes: string[];
  periodStart: string | null;
  periodEnd: string | null;
  contact: string;
}

/** A challenge the ward publishes for proposals (行政課題 / 募集テーマ, テーマ指定型). */
@ObjectType({ description: 'A challenge the ward publishes for proposals (行政課題)' })
@Entity({ tableName: 'challenge' })
@Index({ properties: ['createdAt', 'id'] })
@Index({ name: 'challenge_search_bigrams', expression: bigramIndexSql('challenge_search_bigrams', 'challenge', challengeDocumentSql()) })
export class Challenge {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  description!: string;

  /** Why the ward has this challenge (背景). */
  @Field(() => String)
  @Property({ type: 'text' })
  background!: string;

  /** The responsible section (所管課). Required before publication. */
  @Field(() => Section, { nullable: true })
  @ManyToOne(() => Section, { nullable: true, deleteRule: 'restrict' })
  owningSection!: Section | null;

  @Property({ type: ArrayType, columnType: 'text[]' })
  fieldCodes!: string[];

  @Field(() => ChallengeStatus)
  @Enum({ items: () => ChallengeStatus, nativeEnumName: 'challenge_status' })
  status: Opt<ChallengeStatus> = ChallengeStatus.DRAFT;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null = null;

  /** YYYY-MM-DD, the first day proposals are taken. */
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @Property({ type: 'date', nullable: true })
  periodStart!: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @Property({ type: 'date', nullable: true })
  periodEnd!: string | null;

  /** Who to ask: the section's desk, phone, e-mail (問い合わせ先). */
  @Field(() => String)
  @Property({ type: 'text' })
  contact!: string;

  @Field(() => Int, { description: 'Pass as expectedVersion when changing it' })
  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  @Field(() => Date)
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();

  @Property({ type: 'uuid' })
  createdBy: string;

  constructor(content: ChallengeContent, createdBy: string) {
    this.setContent(content);
    this.createdBy = createdBy;
  }

  setContent(content: ChallengeContent): void {
    this.title = content.title;
    this.description = content.description;
    this.background = content.background;
    this.owningSection = content.owningSection;
    this.fieldCodes = [...content.fieldCodes];
    this.periodStart = content.periodStart;
    this.periodEnd = content.periodEnd;
    this.contact = content.contact;
  }

  @Field(() => Boolean)
  get published(): boolean {
    return this.publishedAt !== null;
  }
}
