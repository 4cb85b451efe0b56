const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** "2026-04-01" → "2026年4月1日" (ja) / "April 1, 2026" (en). Unparseable input is returned as is. */
export function formatDate(isoDate: string, locale: string): string {
  const m = ISO_DATE.exec(isoDate)
  if (!m) return isoDate
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-US' : 'ja-JP', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(date)
}

/** A period with either end possibly open: "2026年4月1日 〜 2026年6月30日", "〜 2026年6月30日", or null if both are open. */
export function formatPeriod(start: string | null | undefined, end: string | null | undefined, locale: string): string | null {
  if (!start && !end) return null
  const sep = locale === 'en' ? ' – ' : ' 〜 '
  const from = start ? formatDate(start, locale) : ''
  const to = end ? formatDate(end, locale) : ''
  return `${from}${sep}${to}`.trim()
}
