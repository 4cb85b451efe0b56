import { DomainError } from '../errors/domain-errors.js';

/** Limits of a search: short enough that a query costs a bounded number of index probes. */
export const MAX_QUERY_LENGTH = 100;
export const MIN_TERM_LENGTH = 2;
export const MAX_TERMS = 5;
/**
 * Counts are exact up to here; above it a search says "more than SEARCH_COUNT_CAP" (counting every
 * one of 100,000 matches costs seconds, and a page shows at most this many hits anyway).
 */
export const SEARCH_COUNT_CAP = 50;

/** Why a search was refused; the client translates each code (search.error.<code>). */
export type SearchErrorCode = 'REQUIRED' | 'TERM_TOO_SHORT' | 'TOO_LONG' | 'TOO_MANY';

/** One search term, normalised like the indexed text, and as a LIKE pattern body (wildcards escaped). */
export interface SearchTerm {
  /** NFKC, lower-cased: what the highlighter looks for. */
  text: string;
  /** `text` with `\`, `%` and `_` escaped, for `like '%' || ? || '%' escape '\'`: searched literally. */
  likePattern: string;
}

/**
 * A BAD_USER_INPUT in the usual shape (fields with a code), built directly because the search codes
 * (TERM_TOO_SHORT) are the search's own; InputError's code list is shared by every form.
 */
export class SearchInputError extends DomainError {
  constructor(code: SearchErrorCode, message: string) {
    super('BAD_USER_INPUT', `Invalid input: query (${code})`, { fields: [{ field: 'query', code, message }] });
  }
}

/** Escapes LIKE's wildcards and its escape character, so they match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Characters, not UTF-16 units: 防災 is two, and so is an emoji pair. */
function lengthOf(text: string): number {
  return [...text].length;
}

/**
 * Splits and checks a search. NFKC first (ＡＢＣ is abc, a full-width space separates terms), so
 * the limits apply to what is actually searched. Throws SearchInputError; nothing is queried.
 */
export function parseSearchQuery(raw: string): SearchTerm[] {
  const normalised = raw.normalize('NFKC').trim();
  if (normalised.length === 0) throw new SearchInputError('REQUIRED', 'Enter something to search for');
  if (lengthOf(normalised) > MAX_QUERY_LENGTH) throw new SearchInputError('TOO_LONG', `A search is at most ${MAX_QUERY_LENGTH} characters`);
  const words = normalised.toLowerCase().split(/\s+/u).filter(Boolean);
  if (words.some((word) => lengthOf(word) < MIN_TERM_LENGTH)) throw new SearchInputError('TERM_TOO_SHORT', `Each search term needs at least ${MIN_TERM_LENGTH} characters`);
  const unique = [...new Set(words)];
  if (unique.length > MAX_TERMS) throw new SearchInputError('TOO_MANY', `A search has at most ${MAX_TERMS} terms`);
  return unique.map((text) => ({ text, likePattern: escapeLike(text) }));
}
