import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

/** The waits the desk watches (滞留), each with its own target. */
export enum AgeingStage {
  /** SUBMITTED: waiting for the desk to take it up (受付). */
  INTAKE = 'INTAKE',
  /** UNDER_REVIEW: the desk is checking it (内容確認). */
  REVIEW = 'REVIEW',
  /** IN_DIALOGUE: talking and matching (対話・マッチング). */
  DIALOGUE = 'DIALOGUE',
  /** A match waiting for the section's answer (所管課の回答待ち). */
  MATCH_ANSWER = 'MATCH_ANSWER',
  /** AGREED: waiting for the lead section to start the work (事業開始待ち). */
  START_OF_WORK = 'START_OF_WORK',
}
registerEnumType(AgeingStage, { name: 'AgeingStage', description: 'A wait the desk watches, with a target in business days' });

/** The desk's target for a stage, in business days (営業日: weekdays that are not Japanese national holidays). */
@ObjectType({ description: "The desk's target for how long a stage may wait, in business days" })
@Entity({ tableName: 'stage_target' })
export class StageTarget {
  @Field(() => AgeingStage)
  @Enum({ items: () => AgeingStage, nativeEnumName: 'ageing_stage', primary: true })
  stage: AgeingStage;

  @Field(() => Int)
  @Property({ type: 'integer' })
  businessDays: number;

  /**
   * Once a stage is over its target the responsible people are reminded once, then again every
   * this many business days; null: only once.
   */
  @Field(() => Int, { nullable: true, description: 'Remind again every this many business days once over target; null: remind once' })
  @Property({ type: 'integer', nullable: true })
  remindEveryBusinessDays: number | null = null;

  @Property({ type: 'uuid', nullable: true })
  updatedBy: string | null = null;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  updatedAt: Opt<Date> = new Date();

  @Field(() => Int, { description: 'Pass as expectedVersion when changing it' })
  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;

  constructor(stage: AgeingStage, businessDays: number) {
    this.stage = stage;
    this.businessDays = businessDays;
  }
}
