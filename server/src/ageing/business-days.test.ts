import { describe, expect, it } from 'vitest';
import { businessDaysWaited, isBusinessDay, isNationalHoliday, isOverTarget, isYearEndClosure, jstDayOf, overTargetCutoff, startOfJstDay } from './business-days.js';

/** An instant given in Japan time. */
function jst(local: string): Date {
  return new Date(`${local}+09:00`);
}
function day(date: string): number {
  return jstDayOf(jst(`${date}T12:00:00`));
}

describe('business days', () => {
  it('are weekdays that are neither national holidays nor the year-end closure', () => {
    expect(isBusinessDay(day('2026-11-24'))).toBe(true); // Tuesday
    expect(isBusinessDay(day('2026-11-21'))).toBe(false); // Saturday
    expect(isBusinessDay(day('2026-11-22'))).toBe(false); // Sunday
    expect(isBusinessDay(day('2026-11-23'))).toBe(false); // 勤労感謝の日, a Monday
    expect(isBusinessDay(day('2026-05-06'))).toBe(false); // 振替休日 for 憲法記念日 on Sunday 5/3
    expect(isBusinessDay(day('2026-09-22'))).toBe(false); // 国民の休日 between 敬老の日 and 秋分の日
    expect(isBusinessDay(day('2026-12-28'))).toBe(true); // the last working day of the year (御用納め)
    for (const date of ['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']) expect(isBusinessDay(day(date))).toBe(false);
    expect(isBusinessDay(day('2027-01-04'))).toBe(true); // 御用始め
  });

  it('take holidays from the library and the closure from the calendar', () => {
    expect(isNationalHoliday(day('2025-11-24'))).toBe(true); // 振替休日
    expect(isNationalHoliday(day('2026-12-30'))).toBe(false);
    expect(isYearEndClosure(day('2026-12-30'))).toBe(true);
    expect(isYearEndClosure(day('2027-01-04'))).toBe(false);
    expect(isYearEndClosure(day('2026-12-28'))).toBe(false);
  });

  it('change at midnight Japan time, whatever the server’s time zone', () => {
    // 2026-11-22T15:00Z is Monday 11/23 00:00 in Tokyo (a holiday), still Sunday in UTC.
    expect(jstDayOf(new Date('2026-11-22T15:00:00Z'))).toBe(day('2026-11-23'));
    expect(jstDayOf(new Date('2026-11-22T14:59:59.999Z'))).toBe(day('2026-11-22'));
    expect(startOfJstDay(day('2026-11-24')).toISOString()).toBe('2026-11-23T15:00:00.000Z');
  });
});

describe('businessDaysWaited: full business days elapsed since entering', () => {
  it('entered on a Friday evening: 0 on Monday, 1 from Tuesday', () => {
    const entered = jst('2026-11-13T18:30:00');
    expect(businessDaysWaited(entered, jst('2026-11-13T23:59:59'))).toBe(0);
    expect(businessDaysWaited(entered, jst('2026-11-16T17:00:00'))).toBe(0); // Monday: not over yet
    expect(businessDaysWaited(entered, jst('2026-11-17T00:00:00'))).toBe(1); // Monday has elapsed
    expect(businessDaysWaited(entered, jst('2026-11-20T12:00:00'))).toBe(4);
  });

  it('never counts the day of entry, even when entered at midnight', () => {
    expect(businessDaysWaited(jst('2026-11-16T00:00:00'), jst('2026-11-17T12:00:00'))).toBe(0);
    expect(businessDaysWaited(jst('2026-11-16T09:00:00'), jst('2026-11-18T09:00:00'))).toBe(1);
    expect(businessDaysWaited(jst('2026-11-16T09:00:00'), jst('2026-11-16T09:00:00'))).toBe(0);
  });

  it('is 0, not negative, when now is before the entry', () => {
    expect(businessDaysWaited(jst('2026-11-20T09:00:00'), jst('2026-11-10T09:00:00'))).toBe(0);
  });

  it('skips Golden Week with its substitute holiday (2026: 4/29, 5/3–5/6)', () => {
    const entered = jst('2026-04-28T16:00:00'); // Tuesday
    expect(businessDaysWaited(entered, jst('2026-04-30T10:00:00'))).toBe(0); // 4/29 昭和の日
    expect(businessDaysWaited(entered, jst('2026-05-01T10:00:00'))).toBe(1); // Thursday 4/30
    expect(businessDaysWaited(entered, jst('2026-05-07T10:00:00'))).toBe(2); // + Friday 5/1; 5/2–5/6 are off
    expect(businessDaysWaited(entered, jst('2026-05-08T10:00:00'))).toBe(3); // + Thursday 5/7
  });

  it('skips a substitute holiday on a Monday (2025-11-24)', () => {
    const entered = jst('2025-11-21T17:00:00'); // Friday
    expect(businessDaysWaited(entered, jst('2025-11-25T12:00:00'))).toBe(0);
    expect(businessDaysWaited(entered, jst('2025-11-26T12:00:00'))).toBe(1);
  });

  it('skips the year-end closure and carries across the year', () => {
    const entered = jst('2026-12-25T15:00:00'); // Friday
    expect(businessDaysWaited(entered, jst('2026-12-29T09:00:00'))).toBe(1); // Monday 12/28
    expect(businessDaysWaited(entered, jst('2027-01-04T09:00:00'))).toBe(1); // 12/29–1/3 closed
    expect(businessDaysWaited(entered, jst('2027-01-05T09:00:00'))).toBe(2); // + 1/4
    expect(businessDaysWaited(entered, jst('2027-01-13T09:00:00'))).toBe(7); // 1/11 成人の日 is off
  });

  it('entered on a holiday counts from the next business day, as if entered the evening before it', () => {
    const onHoliday = jst('2026-05-04T11:00:00'); // みどりの日
    const eveningBefore = jst('2026-05-06T20:00:00');
    for (const now of ['2026-05-07T10:00:00', '2026-05-08T10:00:00', '2026-05-12T10:00:00']) {
      expect(businessDaysWaited(onHoliday, jst(now))).toBe(businessDaysWaited(eveningBefore, jst(now)));
    }
    expect(businessDaysWaited(onHoliday, jst('2026-05-08T10:00:00'))).toBe(1);
  });

  it('is over target only when more full business days have elapsed than the target', () => {
    expect(isOverTarget(5, 5)).toBe(false);
    expect(isOverTarget(6, 5)).toBe(true);
    expect(isOverTarget(0, 0)).toBe(false);
    expect(isOverTarget(1, 0)).toBe(true);
  });
});

describe('overTargetCutoff', () => {
  it('is the start of the (target + 1)-th business day counted back from yesterday', () => {
    // Tuesday 11/24 after the Monday holiday: back from 11/20 Fri (1) … 11/16 Mon (5), 11/13 Fri (6).
    const now = jst('2026-11-24T10:00:00');
    expect(overTargetCutoff(5, now).toISOString()).toBe(jst('2026-11-13T00:00:00').toISOString());
    expect(isOverTarget(businessDaysWaited(jst('2026-11-12T23:59:59.999'), now), 5)).toBe(true);
    expect(isOverTarget(businessDaysWaited(jst('2026-11-13T00:00:00'), now), 5)).toBe(false);
    // Target 0: anything that has waited a full business day, i.e. entered before Friday 11/20.
    expect(overTargetCutoff(0, now).toISOString()).toBe(jst('2026-11-20T00:00:00').toISOString());
  });

  it('refuses a target that is not a whole number of days', () => {
    expect(() => overTargetCutoff(-1, new Date())).toThrow(RangeError);
    expect(() => overTargetCutoff(1.5, new Date())).toThrow(RangeError);
  });

  it('agrees with businessDaysWaited for many random instants (seeded)', () => {
    // mulberry32: a small deterministic generator, so a failure can be replayed.
    let seed = 20261124;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const from = jst('2024-01-01T00:00:00').getTime();
    const span = jst('2029-01-01T00:00:00').getTime() - from;
    for (let i = 0; i < 3000; i += 1) {
      const now = new Date(from + Math.floor(random() * span));
      // Mostly entries within a few months before now, some at exact midnights, some in the future.
      const back = Math.floor(random() * 200 * 86_400_000) - 5 * 86_400_000;
      let entered = new Date(now.getTime() - back);
      if (i % 7 === 0) entered = startOfJstDay(jstDayOf(entered));
      const target = i % 50 === 0 ? Math.floor(random() * 366) : Math.floor(random() * 45);
      const cutoff = overTargetCutoff(target, now);
      const over = isOverTarget(businessDaysWaited(entered, now), target);
      if (over !== entered < cutoff) throw new Error(`disagree at entered=${entered.toISOString()} now=${now.toISOString()} target=${target}`);
      // Right at the cutoff it is not over; a millisecond before, it is.
      expect(isOverTarget(businessDaysWaited(cutoff, now), target)).toBe(false);
      expect(isOverTarget(businessDaysWaited(new Date(cutoff.getTime() - 1), now), target)).toBe(true);
    }
  });
});
