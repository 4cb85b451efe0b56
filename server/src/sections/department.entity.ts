import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';

/** A department (部・室) of the ward: the grouping of sections. */
@ObjectType({ description: 'A department (部) of the ward' })
@Entity({ tableName: 'department' })
export class Department {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'text', unique: true })
  name: string;

  @Property({ type: 'integer' })
  sortOrder: number;

  constructor(name: string, sortOrder: number) {
    this.name = name;
    this.sortOrder = sortOrder;
  }
}
