import holidayJp from '@holiday-jp/holiday_jp';

/**
 * Business days (営業日) in Asia/Tokyo, for ageing (滞留日数).
 *
 * A business day is a JST calendar day that is
 * - a weekday (Monday to Friday),
 * - not a national holiday — 国民の祝日, 振替休日 and 国民の休日, from `@holiday-jp/holiday_jp`
 *   (the maintained list; it covers 1970–2050), and
 * - not in the year-end closure 12/29–1/3 (年末年始: Japanese municipal offices, the ward's
 *   included, are closed then by ordinance although only 1/1 is a national holiday).
 *
 * The wait in business days, `businessDaysWaited(entered, now)`, is the number of FULL business
 * days elapsed since the stage was entered: business days that began after the moment of entry
 * and have ended by `now`. Since a day begins at JST midnight, that is the business days strictly
 * after the JST day of entry and strictly before today (JST):
 * - entered Friday 18:00 → on Monday 0; from Tuesday 00:00 JST 1; on Wednesday 2;
 * - entered Monday 09:00 → 0 all Monday and all Tuesday; 1 on Wednesday (Tuesday has elapsed);
 * - entered on a holiday or a Saturday → the same as entering on the evening before the next
 *   business day; the day of entry never counts, even when entered at 00:00:00.
 *
 * A stage is over target when it has waited MORE full business days than the target: a target of
 * 5 lets five full business days pass; it is flagged once a sixth has.
 *
 * JST has no daylight saving time, so a JST day is always UTC+9, 24 hours long.
 */

const JST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

/** JST calendar day number: days since 1970-01-01 (JST). */
export type DayNumber = number;

export function jstDayOf(instant: Date): DayNumber {
  return Math.floor((instant.getTime() + JST_OFFSET_MS) / DAY_MS);
}

/** The instant a JST day begins (00:00 JST). */
export function startOfJstDay(day: DayNumber): Date {
  return new Date(day * DAY_MS - JST_OFFSET_MS);
}

/** 'YYYY-MM-DD' of a JST day: the key of the holiday list. */
function isoDateOf(day: DayNumber): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

// Keys of the holiday list, read once. (The library's own isHoliday() formats a Date in the
// process's local time zone, which would be wrong on a server running in UTC.)
const NATIONAL_HOLIDAYS: ReadonlySet<string> = new Set(Object.keys(holidayJp.holidays));

/** Whether a JST day is a national holiday (祝日・振替休日・国民の休日). */
export function isNationalHoliday(day: DayNumber): boolean {
  return NATIONAL_HOLIDAYS.has(isoDateOf(day));
}

/** 12/29–1/3: the year-end closure of Japanese municipal offices (年末年始の休庁日). */
export function isYearEndClosure(day: DayNumber): boolean {
  const mmdd = isoDateOf(day).slice(5);
  return mmdd >= '12-29' || mmdd <= '01-03';
}

export function isBusinessDay(day: DayNumber): boolean {
  // 1970-01-01 (day 0) was a Thursday; getUTCDay on the day's UTC midnight gives its weekday.
  const weekday = new Date(day * DAY_MS).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !isNationalHoliday(day) && !isYearEndClosure(day);
}

/** Full business days elapsed since `entered`, as of `now` (see the definition above). Never negative. */
export function businessDaysWaited(entered: Date, now: Date): number {
  const today = jstDayOf(now);
  let count = 0;
  for (let day = jstDayOf(entered) + 1; day < today; day += 1) if (isBusinessDay(day)) count += 1;
  return count;
}

/** More full business days have elapsed than the target allows. */
export function isOverTarget(businessDays: number, targetBusinessDays: number): boolean {
  return businessDays > targetBusinessDays;
}

/**
 * The cutoff that makes "over target" a SQL condition: a stage entered strictly before the
 * returned instant is over target as of `now`; entered at or after it, it is not. That is,
 * `isOverTarget(businessDaysWaited(entered, now), target) === entered < overTargetCutoff(target, now)`.
 *
 * Over target means at least target + 1 full business days after the day of entry and before
 * today; walking back from yesterday to the (target + 1)-th business day D, that holds exactly
 * when the day of entry is before D, i.e. when the stage was entered before D began.
 */
export function overTargetCutoff(targetBusinessDays: number, now: Date): Date {
  if (!Number.isInteger(targetBusinessDays) || targetBusinessDays < 0) throw new RangeError('A target is a whole number of business days, 0 or more');
  let needed = targetBusinessDays + 1;
  let day = jstDayOf(now) - 1;
  for (;;) {
    if (isBusinessDay(day)) {
      needed -= 1;
      if (needed === 0) return startOfJstDay(day);
    }
    day -= 1;
  }
}
