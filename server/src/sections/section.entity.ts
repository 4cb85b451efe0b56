import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Department } from './department.entity.js';

/** A section (課) — the unit that owns challenges and is matched to proposals (所管課). */
@ObjectType({ description: 'A section (課) of the ward' })
@Entity({ tableName: 'section' })
// One active section of a name per department, even when two desk members create it at once.
@Index({ name: 'section_active_name_unique', expression: 'create unique index "section_active_name_unique" on "section" ("department_id", "name") where "retired_at" is null' })
export class Section {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Department, { deleteRule: 'restrict' })
  department: Department;

  @Field(() => String)
  @Property({ type: 'text' })
  name: string;

  /** The public-private partnership desk's own section (経営改革推進課). */
  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  isDesk: Opt<boolean> = false;

  /** Retired sections keep their history but take no new work. */
  @Property({ type: 'timestamptz', nullable: true })
  retiredAt: Date | null = null;

  @Property({ type: 'integer' })
  sortOrder: Opt<number> = 0;

  @Field(() => Int)
  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;

  constructor(department: Department, name: string, sortOrder = 0) {
    this.department = department;
    this.name = name;
    this.sortOrder = sortOrder;
  }

  @Field(() => Boolean)
  get retired(): boolean {
    return this.retiredAt !== null;
  }
}
