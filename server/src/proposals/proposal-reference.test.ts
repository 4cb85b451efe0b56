import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { calendarDaysBetween, fiscalYearOf, formatReferenceNumber } from './proposal-reference.js';
import { issueReferenceNumber } from './proposal.service.js';

const jst = (local: string) => new Date(`${local}+09:00`);

describe('fiscalYearOf: April–March, in Asia/Tokyo', () => {
  it.each([
    ['2027-03-31T23:30:00', 2026],
    ['2027-04-01T00:10:00', 2027],
    ['2027-04-01T00:00:00', 2027],
    ['2027-03-31T23:59:59.999', 2026],
    ['2026-04-01T00:00:00', 2026],
    ['2026-12-31T23:59:59', 2026],
    ['2027-01-01T00:00:00', 2026],
  ])('%s JST is FY%i', (local, fiscalYear) => {
    expect(fiscalYearOf(jst(local))).toBe(fiscalYear);
  });

  it('uses Tokyo time, not UTC: 2027-03-31T15:10Z is already 1 April in Tokyo', () => {
    expect(fiscalYearOf(new Date('2027-03-31T15:10:00Z'))).toBe(2027);
    expect(fiscalYearOf(new Date('2027-03-31T14:59:59Z'))).toBe(2026);
  });
});

describe('formatReferenceNumber', () => {
  it('pads to four digits', () => {
    expect(formatReferenceNumber(2026, 42)).toBe('2026-0042');
    expect(formatReferenceNumber(2026, 1)).toBe('2026-0001');
    expect(formatReferenceNumber(2026, 12345)).toBe('2026-12345');
  });
  it('refuses 0', () => expect(() => formatReferenceNumber(2026, 0)).toThrow());
});

describe('calendarDaysBetween (Asia/Tokyo)', () => {
  it('counts calendar days, not 24-hour periods', () => {
    expect(calendarDaysBetween(jst('2027-03-31T23:30:00'), jst('2027-04-01T00:10:00'))).toBe(1);
    expect(calendarDaysBetween(jst('2027-04-01T00:10:00'), jst('2027-04-01T23:50:00'))).toBe(0);
    expect(calendarDaysBetween(jst('2027-03-01T12:00:00'), jst('2027-04-01T08:00:00'))).toBe(31);
  });
});

describe('issueReferenceNumber in PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('counts per fiscal year, from 0001, and a rolled-back transaction gives its number back', async () => {
    const em = db.orm.em.fork();
    const issue = (local: string) => em.transactional((tx) => issueReferenceNumber(tx, jst(local)));
    expect(await issue('2027-03-31T23:30:00')).toBe('2026-0001');
    expect(await issue('2027-03-31T23:40:00')).toBe('2026-0002');
    expect(await issue('2027-04-01T00:10:00')).toBe('2027-0001');
    await expect(
      em.transactional(async (tx) => {
        await issueReferenceNumber(tx, jst('2027-04-02T10:00:00'));
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await issue('2027-04-02T10:00:00')).toBe('2027-0002');
    expect(await issue('2027-01-15T10:00:00')).toBe('2026-0003');
  });

  it('gives distinct numbers to concurrent transactions', async () => {
    const numbers = await Promise.all(
      Array.from({ length: 8 }, () => db.orm.em.fork().transactional((tx) => issueReferenceNumber(tx, jst('2030-05-01T12:00:00')))),
    );
    expect(new Set(numbers).size).toBe(8);
    expect([...numbers].sort()).toEqual(Array.from({ length: 8 }, (_, i) => formatReferenceNumber(2030, i + 1)));
  });
});
