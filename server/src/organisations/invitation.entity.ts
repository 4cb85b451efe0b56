import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Organisation } from './organisation.entity.js';

/** An invitation to join an organisation: a single-use link that expires. Only the token's hash is kept. */
@Entity({ tableName: 'invitation' })
export class Invitation {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @ManyToOne(() => Organisation, { deleteRule: 'restrict' })
  organisation: Organisation;

  @Property({ type: 'text' })
  email: string;

  @Property({ type: 'text', unique: true })
  tokenHash: string;

  @Property({ type: 'uuid' })
  invitedBy: string;

  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  @Property({ type: 'timestamptz', nullable: true })
  acceptedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  constructor(organisation: Organisation, email: string, tokenHash: string, invitedBy: string, expiresAt: Date) {
    this.organisation = organisation;
    this.email = email;
    this.tokenHash = tokenHash;
    this.invitedBy = invitedBy;
    this.expiresAt = expiresAt;
  }
}
