import type { AuditDetail } from './audit.types.js';

/** The column stores jsonb, which reorders keys: a fixed order for the known ones, then by name. */
const ORDER = ['columns', 'filter', 'order', 'includeProtected', 'protectedCells', 'rowCount'];
const rank = (key: string) => (ORDER.includes(key) ? ORDER.indexOf(key) : ORDER.length);

/**
 * An entry's details as key/value text (pure), for the desk's audit page: arrays joined, objects
 * flattened one level (an export's filter), empty values left out.
 */
export function detailsSummary(details: Record<string, unknown>): AuditDetail[] {
  const out: AuditDetail[] = [];
  for (const [key, value] of Object.entries(details).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) out.push({ key, value: value.map(String).join(', ') });
    else if (typeof value === 'object') {
      const parts = Object.entries(value as Record<string, unknown>)
        .filter(([, inner]) => inner !== null && inner !== undefined && !(Array.isArray(inner) && inner.length === 0))
        .map(([innerKey, inner]) => `${innerKey}=${Array.isArray(inner) ? inner.join('|') : String(inner)}`);
      out.push({ key, value: parts.join(', ') });
    } else out.push({ key, value: String(value) });
  }
  return out;
}
