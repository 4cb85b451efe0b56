/** The public address of a file placed on a published case (served only while it is published). */
export function publicCaseFileUrl(caseId: string, attachmentId: string): string {
  return `/api/public/cases/${encodeURIComponent(caseId)}/files/${encodeURIComponent(attachmentId)}`
}

/** Yen and counts as the ward writes them: ja-JP digit grouping (4,500,000). */
export function formatAmount(value: number): string {
  return new Intl.NumberFormat('ja-JP', { maximumFractionDigits: 0 }).format(value)
}

/** A file size for a download link: 120 KB, 3.4 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** The first value of a URL query parameter, or ''. */
export function queryValue(value: unknown): string {
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : ''
  return typeof value === 'string' ? value : ''
}

/** A fiscal year from the URL query, or null when it is not a plain year. */
export function queryYear(value: unknown): number | null {
  const text = queryValue(value)
  return /^\d{4}$/.test(text) ? Number(text) : null
}
