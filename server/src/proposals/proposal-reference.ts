/** 受付番号: `YYYY-NNNN` by Japanese fiscal year (April–March), counted in Asia/Tokyo time. */

const JST_OFFSET_MS = 9 * 60 * 60 * 1000; // Japan has no daylight saving time.

/** The fiscal year (年度) an instant falls in, in Asia/Tokyo: 2027-03-31 23:30 JST is FY2026. */
export function fiscalYearOf(at: Date): number {
  const tokyo = new Date(at.getTime() + JST_OFFSET_MS);
  const year = tokyo.getUTCFullYear();
  return tokyo.getUTCMonth() < 3 ? year - 1 : year;
}

export function formatReferenceNumber(fiscalYear: number, number: number): string {
  if (!Number.isInteger(number) || number < 1) throw new Error(`bad reference number ${number}`);
  return `${fiscalYear}-${String(number).padStart(4, '0')}`;
}

/** Calendar days in Asia/Tokyo from `from` to `to` (0 on the same day). */
export function calendarDaysBetween(from: Date, to: Date): number {
  const day = (d: Date) => Math.floor((d.getTime() + JST_OFFSET_MS) / 86_400_000);
  return day(to) - day(from);
}
