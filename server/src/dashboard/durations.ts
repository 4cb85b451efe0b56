import { isBusinessDay, jstDayOf } from '../ageing/business-days.js';

/**
 * Business days (営業日, Tokyo; holidays and 12/29–1/3 excluded) from one moment to a later one:
 * the business days after the day of `from`, up to and including the day of `to`. A reply on the
 * day of submission is 0; on the next business day, 1. Never negative.
 */
export function businessDaysBetween(from: Date, to: Date): number {
  const last = jstDayOf(to);
  let count = 0;
  for (let day = jstDayOf(from) + 1; day <= last; day += 1) if (isBusinessDay(day)) count += 1;
  return count;
}

/** The median of some numbers (the mean of the middle two when even), or null for none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
