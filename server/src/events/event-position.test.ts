import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { comparePositions, decodeCursor, encodeCursor, type EventPosition } from './event-position.js';

const MAX_XID8 = (1n << 64n) - 1n; // 18446744073709551615
const MAX_BIGINT = (1n << 63n) - 1n; // 9223372036854775807

const pos = (txid: bigint, id: bigint): EventPosition => ({ txid, id });

describe('encodeCursor / decodeCursor', () => {
  it.each([
    [pos(0n, 0n), '0.0'],
    [pos(748n, 1n), '748.1'],
    [pos(9_007_199_254_740_993n, 12n), '9007199254740993.12'], // beyond Number precision
    [pos(MAX_XID8, MAX_BIGINT), '18446744073709551615.9223372036854775807'],
  ])('%o ⇄ %s', (position, cursor) => {
    expect(encodeCursor(position)).toBe(cursor);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it('round-trips through the cursor exactly (no Number rounding)', () => {
    const position = pos(MAX_XID8 - 1n, MAX_BIGINT - 1n);
    const back = decodeCursor(encodeCursor(position))!;
    expect(back.txid).toBe(MAX_XID8 - 1n);
    expect(back.id).toBe(MAX_BIGINT - 1n);
    expect(typeof back.txid).toBe('bigint');
  });
});

describe('decodeCursor refuses what is not a cursor we issued', () => {
  it.each([
    '',
    '1',
    '1.',
    '.1',
    '.',
    '1.2.3',
    '-1.2',
    '1.-2',
    '+1.2',
    ' 1.2',
    '1.2 ',
    '1.2\n',
    '\n1.2',
    '1,2',
    '1:2',
    '1e3.2',
    '0x10.2',
    '1.5e1',
    'a.b',
    'null',
    'undefined',
    '１.２', // full-width digits
    '١.٢', // Arabic-Indic digits
    '1.2; drop table domain_event',
    "1.2' or '1'='1",
    '123456789012345678901.1', // 21 digits
    '1.123456789012345678901',
  ])('%j → null', (garbage) => {
    expect(decodeCursor(garbage)).toBeNull();
  });

  it('refuses a huge input quickly and without throwing', () => {
    expect(decodeCursor('9'.repeat(100_000) + '.1')).toBeNull();
    expect(decodeCursor('1.'.repeat(50_000))).toBeNull();
  });
});

describe('decodeCursor refuses numbers PostgreSQL cannot hold', () => {
  it.each([
    ['99999999999999999999.1', 'txid far above 2^64-1'],
    ['18446744073709551616.1', 'txid = 2^64'],
    ['1.9223372036854775808', 'id = 2^63'],
    ['1.99999999999999999999', 'id far above 2^63-1'],
    ['18446744073709551616.9223372036854775808', 'both'],
  ])('%s (%s) → null', (cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });

  it('accepts the largest values that fit', () => {
    expect(decodeCursor('18446744073709551615.1')).toEqual(pos(MAX_XID8, 1n));
    expect(decodeCursor('1.9223372036854775807')).toEqual(pos(1n, MAX_BIGINT));
  });

  describe('the bounds are exactly those of xid8 and bigint', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await db?.dispose();
    });

    /** Whether PostgreSQL accepts the pair the way the event feed binds it. */
    async function fits(txid: string, id: string): Promise<boolean> {
      try {
        await db.orm.em.fork().getConnection().execute('select ?::text::xid8 as t, ?::bigint as i', [txid, id]);
        return true;
      } catch {
        return false;
      }
    }

    it.each([
      ['18446744073709551615', '1'],
      ['18446744073709551616', '1'],
      ['99999999999999999999', '1'],
      ['1', '9223372036854775807'],
      ['1', '9223372036854775808'],
      ['0', '0'],
    ])('%s.%s: decoded only when within xid8/bigint, and then PostgreSQL takes it', async (txid, id) => {
      const decoded = decodeCursor(`${txid}.${id}`);
      const inRange = BigInt(txid) < 2n ** 64n && BigInt(id) < 2n ** 63n;
      expect(decoded !== null).toBe(inRange);
      // (PostgreSQL 15 wraps an out-of-range xid8 silently rather than refusing it, so only the
      // in-range direction is PostgreSQL's to confirm.)
      if (inRange) expect(await fits(txid, id)).toBe(true);
    });
  });
});

describe('comparePositions', () => {
  // prettier-ignore
  const ORDERED: EventPosition[] = [
    pos(0n, 0n), pos(0n, 1n), pos(1n, 0n), pos(1n, 5n), pos(1n, 10n), pos(2n, 1n), pos(10n, 1n),
    pos(9_007_199_254_740_992n, 1n), pos(9_007_199_254_740_993n, 0n), pos(MAX_XID8, MAX_BIGINT),
  ];

  it('orders by txid first, then by id, for every pair', () => {
    for (let i = 0; i < ORDERED.length; i++) {
      for (let j = 0; j < ORDERED.length; j++) {
        const expected = Math.sign(i - j);
        expect(comparePositions(ORDERED[i]!, ORDERED[j]!), `${encodeCursor(ORDERED[i]!)} vs ${encodeCursor(ORDERED[j]!)}`).toBe(expected);
      }
    }
  });

  it('a later transaction with a smaller id still comes after', () => {
    expect(comparePositions(pos(5n, 1n), pos(4n, 1000n))).toBe(1);
    expect(comparePositions(pos(4n, 1000n), pos(5n, 1n))).toBe(-1);
  });

  it('compares numerically, not as cursor strings', () => {
    // "10.1" < "9.1" as strings
    expect(comparePositions(decodeCursor('10.1')!, decodeCursor('9.1')!)).toBe(1);
    expect(comparePositions(decodeCursor('1.10')!, decodeCursor('1.9')!)).toBe(1);
  });

  it('equal positions compare 0, even as distinct objects', () => {
    expect(comparePositions(decodeCursor('748.3')!, pos(748n, 3n))).toBe(0);
  });

  it('sorting a shuffled list restores the order', () => {
    const shuffled = [...ORDERED].reverse();
    [shuffled[2], shuffled[7]] = [shuffled[7]!, shuffled[2]!];
    expect(shuffled.sort(comparePositions)).toEqual(ORDERED);
  });
});
