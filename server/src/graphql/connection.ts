import { Field, ObjectType } from 'type-graphql';
import { FieldErrors } from '../errors/domain-errors.js';

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export const MAX_PAGE_SIZE = 100;

export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    new FieldErrors().add('first', 'INVALID', `first must be from 1 to ${MAX_PAGE_SIZE}`).throwIfAny();
  }
}

/** Keyset cursor over (createdAt, id), newest first: stable while rows are added. */
export function encodeKeyset(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

export function decodeKeyset(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    new FieldErrors().add('after', 'INVALID', 'Not a cursor from this list').throwIfAny();
    throw new Error('unreachable');
  }
}
