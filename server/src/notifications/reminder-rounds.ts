import { businessDaysWaited, isBusinessDay, jstDayOf } from '../ageing/business-days.js';

/**
 * Which reminder a wait is due for, or null while it is within its target. Round 0 is the first
 * crossing (one full business day more than the target); with an interval, round n comes every
 * `remindEveryBusinessDays` business days after it; without one there is only round 0.
 */
export function reminderRound(since: Date, now: Date, targetBusinessDays: number, remindEveryBusinessDays: number | null): number | null {
  const over = businessDaysWaited(since, now) - targetBusinessDays - 1;
  if (over < 0) return null;
  return remindEveryBusinessDays ? Math.floor(over / remindEveryBusinessDays) : 0;
}

const DAY_MS = 86_400_000;
const isoDateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Today in Tokyo, and the Tokyo date `businessDays` business days later: a report whose term ends by then is due soon. */
export function reportDueWindow(now: Date, businessDays: number): { today: string; dueBy: string } {
  const today = jstDayOf(now);
  let day = today;
  for (let left = businessDays; left > 0; ) {
    day += 1;
    if (isBusinessDay(day)) left -= 1;
  }
  return { today: isoDateOf(today), dueBy: isoDateOf(day) };
}

/** A report's reminder round: 'due' before its term has ended, 'overdue' after. Each is sent once. */
export function reportRound(endDate: string, today: string): 'due' | 'overdue' {
  return endDate < today ? 'overdue' : 'due';
}
