import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Proposal } from '../proposals/proposal.entity.js';

/** The form of the partnership (連携の形態), recorded at AGREED (DESIGN.md §3). */
export enum PartnershipForm {
  /** 協定によらない: allowed where no money or compensation is involved (guideline §5(3) なお書き). */
  NO_AGREEMENT = 'NO_AGREEMENT',
  /** 協定: concluded for a continuing relationship. */
  AGREEMENT = 'AGREEMENT',
  /** 契約: a contract procedure, which means money: it requires wardCost PAID. */
  CONTRACT = 'CONTRACT',
}
registerEnumType(PartnershipForm, { name: 'PartnershipForm', description: 'NO_AGREEMENT 協定によらない; AGREEMENT 協定; CONTRACT 契約 (requires wardCost PAID)' });

/** What the partnership costs the ward (区の費用負担). The principle is none. */
export enum DecisionWardCost {
  NONE = 'NONE',
  PAID = 'PAID',
}
registerEnumType(DecisionWardCost, { name: 'DecisionWardCost', description: 'NONE: no cost to the ward (the principle); PAID: an amount, through a procurement route' });

/**
 * How the ward pays, when it does (適切な契約手続き, guideline §5(3)). A fixed list so the desk's
 * figures can be counted; anything else is OTHER, explained in the scope.
 */
export enum ProcurementRoute {
  /** 随意契約 */
  NEGOTIATED_CONTRACT = 'NEGOTIATED_CONTRACT',
  /** 競争入札 (一般・指名) */
  COMPETITIVE_BIDDING = 'COMPETITIVE_BIDDING',
  /** その他 (e.g. 補助金・負担金) */
  OTHER = 'OTHER',
}
registerEnumType(ProcurementRoute, { name: 'ProcurementRoute', description: 'NEGOTIATED_CONTRACT 随意契約; COMPETITIVE_BIDDING 競争入札; OTHER その他' });

@ObjectType({ description: 'An indicator to report on after the partnership (成果指標)' })
export class PartnershipIndicator {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The target, in words and figures' })
  target!: string;
}

/**
 * The desk's decision when a proposal is AGREED: the form, the ward's cost, the term, the scope
 * and each side's responsibilities (役割分担), and the indicators to report on. One per proposal;
 * written once, with the transition to AGREED.
 */
@ObjectType({ description: 'The partnership as agreed (AGREED): form, ward cost, term, scope, roles and indicators' })
@Entity({ tableName: 'partnership_decision' })
@Unique({ properties: ['proposal'] })
export class PartnershipDecision {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Proposal, { deleteRule: 'restrict' })
  proposal: Proposal;

  @Field(() => PartnershipForm)
  @Enum({ items: () => PartnershipForm, nativeEnumName: 'partnership_form' })
  form!: PartnershipForm;

  @Field(() => DecisionWardCost)
  @Enum({ items: () => DecisionWardCost, nativeEnumName: 'decision_ward_cost' })
  wardCost!: DecisionWardCost;

  /** Yen, more than 0, when PAID; null when NONE. */
  @Field(() => Int, { nullable: true, description: 'Yen, when wardCost is PAID' })
  @Property({ type: 'integer', nullable: true })
  wardCostAmount: number | null = null;

  @Field(() => ProcurementRoute, { nullable: true, description: 'When wardCost is PAID' })
  @Enum({ items: () => ProcurementRoute, nativeEnumName: 'procurement_route', nullable: true })
  procurementRoute: ProcurementRoute | null = null;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  @Property({ type: 'date' })
  startDate!: string;

  @Field(() => String, { description: 'YYYY-MM-DD, not before startDate' })
  @Property({ type: 'date' })
  endDate!: string;

  /** 事業の範囲 */
  @Field(() => String)
  @Property({ type: 'text' })
  scope!: string;

  /** 区の役割 */
  @Field(() => String)
  @Property({ type: 'text' })
  wardResponsibilities!: string;

  /** 提案者の役割 */
  @Field(() => String)
  @Property({ type: 'text' })
  proposerResponsibilities!: string;

  @Field(() => [PartnershipIndicator])
  @Property({ type: 'json' })
  indicators!: PartnershipIndicator[];

  @Property({ type: 'uuid' })
  decidedBy: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  decidedAt: Opt<Date> = new Date();

  constructor(proposal: Proposal, decidedBy: string) {
    this.proposal = proposal;
    this.decidedBy = decidedBy;
  }
}
