/** Characters XML 1.0 does not allow at all: dropped rather than escaped (an escape would still be invalid). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text or an attribute value in XML and HTML: every markup character escaped, quotes included. */
export function escapeMarkup(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** One line of at most `max` characters for a description: whitespace folded, cut with an ellipsis. */
export function shortLine(value: string, max = 140): string {
  const line = value.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}
