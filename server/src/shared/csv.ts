/**
 * CSV for the desk's downloads (protection register, proposal export): UTF-8 with a BOM so Excel
 * reads Japanese, CRLF line ends, RFC 4180 quoting, and cells a spreadsheet would run as a
 * formula made inert.
 */

export const BOM = '\uFEFF';

/** A cell Excel, LibreOffice or Sheets would evaluate (=, +, -, @, and tab/CR that precede them) gets a leading apostrophe. */
export function guardFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvCell(value: string): string {
  const guarded = guardFormula(value);
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function toCsv(rows: ReadonlyArray<readonly string[]>): string {
  return BOM + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const JST_MINUTE = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const JST_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });

/** e.g. 2026-11-24 18:32 (JST) */
export function formatJst(date: Date | null): string {
  return date ? JST_MINUTE.format(date) : '';
}

/** e.g. 2026-11-24: the day in Japan (an ISO date), which is what the desk's registers say. */
export function formatJstDate(date: Date | null): string {
  return date ? JST_DAY.format(date) : '';
}

/**
 * A download's Content-Disposition: an ASCII `filename` for old clients and an RFC 5987
 * `filename*` in UTF-8 (the name may one day carry Japanese).
 */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
