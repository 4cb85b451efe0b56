import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, FieldErrors } from '../errors/domain-errors.js';
import { IdempotencyRecord } from './idempotency-record.entity.js';

const KEY = /^[A-Za-z0-9_-]{8,100}$/;

export function validateIdempotencyKey(key: string | null | undefined): void {
  if (key != null && !KEY.test(key)) {
    new FieldErrors().add('idempotencyKey', 'INVALID', 'idempotencyKey must be 8–100 letters, digits, - or _').throwIfAny();
  }
}

/** The id a key already produced for this caller, or null when the key is new. */
export async function findIdempotentResult(em: EntityManager, accountId: string, key: string | null | undefined, operation: string): Promise<string | null> {
  if (!key) return null;
  const record = await em.findOne(IdempotencyRecord, { accountId, key });
  if (!record) return null;
  if (record.operation !== operation) throw new ConflictError('DUPLICATE', 'This idempotency key was used for another operation');
  return record.resultId;
}

/**
 * Records the key inside the creating transaction. Two concurrent requests with one key race on
 * the primary key: the loser's transaction rolls back whole, and its retry finds the winner's result.
 */
export function rememberIdempotentResult(em: EntityManager, accountId: string, key: string | null | undefined, operation: string, resultId: string): void {
  if (key) em.persist(new IdempotencyRecord(accountId, key, operation, resultId));
}
