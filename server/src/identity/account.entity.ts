import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Section } from '../sections/section.entity.js';
import { viewerChangeTriggers } from './viewer-change.entity.js';

/** What a person is to the desk. Section staff belong to one section; proposers to one organisation. */
export enum Role {
  DESK = 'DESK',
  SECTION = 'SECTION',
  PROPOSER = 'PROPOSER',
}
registerEnumType(Role, { name: 'Role', description: 'DESK: desk staff; SECTION: section staff (所管課); PROPOSER: member of a proposing organisation' });

@ObjectType({ description: 'A signed-in person' })
// A change of role, section or disabling moves the viewer-change counter on (identity/viewer-change.entity.ts).
@Entity({
  tableName: 'account',
  triggers: viewerChangeTriggers('account', 'old.role is distinct from new.role or old.section_id is distinct from new.section_id or old.disabled_at is distinct from new.disabled_at'),
})
export class Account {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Stored lower-cased; unique. */
  @Field(() => String)
  @Property({ type: 'text', unique: true })
  email: string;

  @Field(() => String)
  @Property({ type: 'text' })
  displayName: string;

  @Property({ type: 'text', hidden: true })
  passwordHash: string;

  @Field(() => Role)
  @Enum({ items: () => Role, nativeEnumName: 'role' })
  role: Role;

  @Field(() => Section, { nullable: true })
  @ManyToOne(() => Section, { nullable: true, deleteRule: 'restrict' })
  section: Section | null = null;

  /** A disabled account cannot sign in and its sessions end. */
  @Property({ type: 'timestamptz', nullable: true })
  disabledAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  constructor(email: string, displayName: string, passwordHash: string, role: Role, section: Section | null = null) {
    this.email = email.trim().toLowerCase();
    this.displayName = displayName;
    this.passwordHash = passwordHash;
    this.role = role;
    this.section = section;
  }
}
