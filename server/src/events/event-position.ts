/**
 * Where an event stands in the delivery order: (transaction id, event id). Opaque to clients as
 * a cursor string "txid.id".
 */
export interface EventPosition {
  txid: bigint;
  id: bigint;
}

export function comparePositions(a: EventPosition, b: EventPosition): number {
  if (a.txid !== b.txid) return a.txid < b.txid ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

export function encodeCursor(position: EventPosition): string {
  return `${position.txid}.${position.id}`;
}

const CURSOR = /^(\d{1,20})\.(\d{1,20})$/;
/** xid8 is an unsigned 64-bit integer; the event id a signed 64-bit bigint. */
const TXID_LIMIT = 1n << 64n;
const ID_LIMIT = 1n << 63n;

/** Null for anything that is not a cursor we issued, including numbers PostgreSQL cannot hold. */
export function decodeCursor(cursor: string): EventPosition | null {
  const match = CURSOR.exec(cursor);
  if (!match) return null;
  const txid = BigInt(match[1]!);
  const id = BigInt(match[2]!);
  if (txid >= TXID_LIMIT || id >= ID_LIMIT) return null;
  return { txid, id };
}
