import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { AgeingStage } from '../ageing/stage-target.entity.js';
import { OrganisationKind } from '../organisations/organisation.entity.js';
import { ProposalState } from '../proposals/proposal.entity.js';

@ObjectType({ description: 'Proposals in one state: links to the intake list filtered by the year and the state' })
export class StateFigure {
  @Field(() => ProposalState)
  state!: ProposalState;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'A watched stage now (滞留): proposals waiting in it and how many are over its target' })
export class StageFigure {
  @Field(() => AgeingStage)
  stage!: AgeingStage;

  @Field(() => [ProposalState], { description: 'The proposal states the stage is (the list’s state filter); empty for MATCH_ANSWER, whose list is matchState PENDING (over target: matchOverTarget)' })
  states!: ProposalState[];

  @Field(() => Int)
  targetBusinessDays!: number;

  @Field(() => Int)
  waiting!: number;

  @Field(() => Int)
  overTarget!: number;
}

@ObjectType({ description: 'A section’s load now (所管課の負荷)' })
export class SectionLoadFigure {
  @Field(() => ID)
  sectionId!: string;

  @Field(() => String)
  sectionName!: string;

  @Field(() => String)
  departmentName!: string;

  @Field(() => Int, { description: 'Proposals with a PENDING match to the section' })
  pendingMatches!: number;

  @Field(() => Int, { description: 'IN_PROGRESS proposals the section has ACCEPTED' })
  inProgress!: number;

  @Field(() => Int, { description: 'Proposals whose report is due and the section is the accepted lead' })
  reportsDue!: number;
}

@ObjectType({ description: 'Proposals first submitted in a month (Tokyo time)' })
export class MonthFigure {
  @Field(() => String, { description: 'YYYY-MM' })
  month!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'Proposals of a field (分野): published case’s, else challenge’s, else "unclassified"; one proposal may count in several' })
export class FieldFigure {
  @Field(() => String)
  fieldCode!: string;

  @Field(() => String)
  nameJa!: string;

  @Field(() => String)
  nameEn!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class OrganisationKindFigure {
  @Field(() => OrganisationKind)
  kind!: OrganisationKind;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'A median in business days (営業日, Tokyo) over the proposals it has' })
export class MedianFigure {
  @Field(() => Float, { nullable: true, description: 'Null when no proposal has got there yet' })
  businessDays!: number | null;

  @Field(() => Int, { description: 'How many proposals the median is over' })
  count!: number;
}

@ObjectType({ description: 'The desk dashboard (デスクのダッシュボード). Year figures count proposals first submitted in the fiscal year; ageing and load are as of now.' })
export class DeskDashboard {
  @Field(() => Int)
  fiscalYear!: number;

  @Field(() => Date, { description: 'The moment the figures were counted (ageing and reports due are as of it)' })
  countedAt!: Date;

  @Field(() => Int, { description: 'Proposals first submitted in the year' })
  submitted!: number;

  @Field(() => [StateFigure])
  byState!: StateFigure[];

  @Field(() => [MonthFigure], { description: 'April to March' })
  intakeByMonth!: MonthFigure[];

  @Field(() => Int, { description: 'Of the year’s proposals, those agreed (AGREED, IN_PROGRESS, REPORTED or PUBLISHED)' })
  realised!: number;

  @Field(() => Float, { nullable: true, description: 'realised / submitted; null when nothing was submitted' })
  realisationRate!: number | null;

  @Field(() => MedianFigure, { description: 'From first submission to the desk’s first move out of SUBMITTED' })
  daysToFirstReply!: MedianFigure;

  @Field(() => MedianFigure, { description: 'From first submission to AGREED, RETURNED or NOT_REALIZED' })
  daysToDecision!: MedianFigure;

  @Field(() => [FieldFigure])
  byField!: FieldFigure[];

  @Field(() => [OrganisationKindFigure])
  byOrganisationKind!: OrganisationKindFigure[];

  @Field(() => [StageFigure])
  ageing!: StageFigure[];

  @Field(() => [SectionLoadFigure], { description: 'Sections with any load, busiest first' })
  sectionLoad!: SectionLoadFigure[];
}

@ObjectType({ description: 'A section’s dashboard (所管課のダッシュボード), as of now; each figure is the inbox with the same filter' })
export class SectionDashboard {
  @Field(() => ID)
  sectionId!: string;

  @Field(() => Date, { description: 'The moment the figures were counted (ageing and reports due are as of it)' })
  countedAt!: Date;

  @Field(() => Int)
  pendingMatches!: number;

  @Field(() => Int)
  inProgress!: number;

  @Field(() => Int)
  reportsDue!: number;

  @Field(() => Int, { description: 'Matches over their waiting target (the section’s answer, or the start of work)' })
  overTarget!: number;
}
