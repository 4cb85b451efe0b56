import type { EventPosition } from './event-position.js';

/** An event as read back from the outbox, in delivery order. */
export interface DeliveredEvent {
  position: EventPosition;
  topic: string;
  kind: string;
  aggregateId: string;
  actorId: string | null;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

export interface EventRow {
  id: string;
  txid: string;
  topic: string;
  kind: string;
  aggregate_id: string;
  actor_id: string | null;
  payload: Record<string, unknown>;
  occurred_at: Date;
}

export function toDeliveredEvent(row: EventRow): DeliveredEvent {
  return {
    position: { txid: BigInt(row.txid), id: BigInt(row.id) },
    topic: row.topic,
    kind: row.kind,
    aggregateId: row.aggregate_id,
    actorId: row.actor_id,
    payload: row.payload,
    occurredAt: new Date(row.occurred_at),
  };
}

export const EVENT_COLUMNS = 'e.id::text as id, e.txid::text as txid, e.topic, e.kind, e.aggregate_id, e.actor_id, e.payload, e.occurred_at';
