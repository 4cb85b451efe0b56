import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';

/** What kind of body proposes. Individuals are not accepted (個人は除く). */
export enum OrganisationKind {
  COMPANY = 'COMPANY',
  UNIVERSITY = 'UNIVERSITY',
  NPO = 'NPO',
  ASSOCIATION = 'ASSOCIATION',
  OTHER = 'OTHER',
}
registerEnumType(OrganisationKind, {
  name: 'OrganisationKind',
  description: 'COMPANY 株式会社などの企業; UNIVERSITY 大学・研究機関; NPO NPO法人; ASSOCIATION 一般社団・財団法人; OTHER その他の団体',
});

/** A proposing organisation: a company, university, NPO or other body (民間企業等). */
@ObjectType({ description: 'A proposing organisation (民間企業等)' })
@Entity({ tableName: 'organisation' })
export class Organisation {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  /** The name in katakana (フリガナ), for sorting and reading aloud. */
  @Field(() => String)
  @Property({ type: 'text' })
  nameKana!: string;

  @Field(() => OrganisationKind)
  @Enum({ items: () => OrganisationKind, nativeEnumName: 'organisation_kind' })
  kind!: OrganisationKind;

  /** 法人番号: 13 digits with the National Tax Agency check digit; required for kinds that have one. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true, unique: true })
  corporateNumber!: string | null;

  @Field(() => String)
  @Property({ type: 'text' })
  address!: string;

  /** 代表者 */
  @Field(() => String)
  @Property({ type: 'text' })
  representative!: string;

  /** 担当者: the person the desk contacts. */
  @Field(() => String)
  @Property({ type: 'text' })
  contactName!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  contactEmail!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  contactPhone!: string;

  /** Set by the desk once it has checked the organisation exists (確認済み). */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  verifiedAt: Date | null = null;

  /** A suspended organisation cannot submit; its members keep read access to its proposals. */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  suspendedAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  suspensionReason: string | null = null;

  @Field(() => Int)
  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();
}
