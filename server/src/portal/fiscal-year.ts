/** 年度: the ward's fiscal year runs from 1 April to 31 March, counted in Asia/Tokyo. */
export function fiscalYearOf(at: Date): number {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit' })
    .format(at)
    .split('-')
    .map(Number) as [number, number];
  return month >= 4 ? year : year - 1;
}

/** The earliest fiscal year the figures cover: the desk's records start well after it. */
export const FIRST_FIGURES_YEAR = 2000;

/** Figures exist from 2000 up to next year (a year just starting may be asked for ahead of time). */
export function isFiguresYear(fiscalYear: number, now = new Date()): boolean {
  return Number.isInteger(fiscalYear) && fiscalYear >= FIRST_FIGURES_YEAR && fiscalYear <= fiscalYearOf(now) + 1;
}
