import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';

/**
 * The outbox: one row per domain event, written in the same transaction as the change it
 * describes, so an event exists exactly when its change was committed. Rows carry ids and the
 * facts a policy needs, never protected content; payloads are read through the visibility rule.
 * It is also the audit trail: who did what, when, and why.
 */
@Entity({ tableName: 'domain_event' })
@Index({ properties: ['txid', 'id'] })
@Index({ properties: ['topic', 'aggregateId'] })
export class DomainEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: Opt<string>;

  /**
   * The writing transaction (xid8). Delivery order is (txid, id) over transactions older than
   * every running one, which is an order no later commit can insert into.
   */
  @Property({ type: 'text', columnType: 'xid8', defaultRaw: 'pg_current_xact_id()' })
  txid!: Opt<string>;

  /** The stream: 'challenge', 'section', … */
  @Property({ type: 'text' })
  topic: string;

  @Property({ type: 'text' })
  kind: string;

  @Property({ type: 'text' })
  aggregateId: string;

  @Property({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Property({ type: 'json' })
  payload: Record<string, unknown>;

  @Property({ type: 'timestamptz' })
  occurredAt: Opt<Date> = new Date();

  constructor(topic: string, kind: string, aggregateId: string, actorId: string | null, payload: Record<string, unknown> = {}) {
    this.topic = topic;
    this.kind = kind;
    this.aggregateId = aggregateId;
    this.actorId = actorId;
    this.payload = payload;
  }
}
