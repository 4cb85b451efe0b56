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

/** Null for anything that is not a cursor we issued. */
export function decodeCursor(cursor: string): EventPosition | null {
  const match = CURSOR.exec(cursor);
  if (!match) return null;
  return { txid: BigInt(match[1]!), id: BigInt(match[2]!) };
}
