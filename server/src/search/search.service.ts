import type { EntityManager } from '@mikro-orm/postgresql';
import { FieldErrors } from '../errors/domain-errors.js';
import { Role } from '../identity/account.entity.js';
import type { Viewer } from '../identity/viewer.js';
import { highlight } from './search-highlight.js';
import { searchableKinds, searchQuery, type SearchRow } from './search.sql.js';
import { SearchKind, type SearchHit, type SearchResults } from './search.types.js';
import { parseSearchQuery, SEARCH_COUNT_CAP } from './search.validation.js';

/** At most SEARCH_COUNT_CAP: a count below the cap is exact, so a full page is always counted exactly or as "more". */
export const MAX_SEARCH_RESULTS = SEARCH_COUNT_CAP;
const MAX_TITLE_LENGTH = 300;

/** The proposal workspace of the viewer's own role: where a proposal or message hit is read. */
function proposalPath(viewer: Viewer, proposalId: string): string {
  const role = viewer.kind === 'account' ? viewer.role : null;
  if (role === Role.DESK) return `/desk/proposals/${proposalId}`;
  if (role === Role.SECTION) return `/section/proposals/${proposalId}`;
  return `/proposer/proposals/${proposalId}`;
}

function pathOf(viewer: Viewer, kind: SearchKind, row: SearchRow): string {
  if (kind === SearchKind.CASE) return `/cases/${row.id}`;
  if (kind === SearchKind.CHALLENGE) return `/challenges/${row.id}`;
  return proposalPath(viewer, row.proposal_id ?? row.id);
}

const KIND_ORDER = [SearchKind.CASE, SearchKind.CHALLENGE, SearchKind.PROPOSAL, SearchKind.MESSAGE];

/**
 * Searches what the viewer may see: one statement per kind, each with the visibility rule and the
 * count in SQL, so the total counts only visible rows (a hidden match changes nothing a viewer
 * can observe). The count is exact up to SEARCH_COUNT_CAP; above it, totalCount is the cap and
 * totalCountIsLowerBound says there are more. Hits: title matches first, then newest (messages:
 * the newest matches, those in a thread whose title matches first). Read-only.
 */
export async function search(em: EntityManager, viewer: Viewer, query: string, kinds: readonly SearchKind[] | null | undefined, first: number): Promise<SearchResults> {
  const terms = parseSearchQuery(query);
  if (!Number.isInteger(first) || first < 1 || first > MAX_SEARCH_RESULTS) {
    new FieldErrors().add('first', 'INVALID', `first must be from 1 to ${MAX_SEARCH_RESULTS}`).throwIfAny();
  }
  const allowed = searchableKinds(viewer);
  // Kinds the viewer may not search are not an error: they simply find nothing, as for anyone.
  const wanted = KIND_ORDER.filter((kind) => allowed.includes(kind) && (!kinds?.length || kinds.includes(kind)));
  const connection = em.getConnection();
  const perKind = await Promise.all(
    wanted.map(async (kind) => {
      const { sql, params } = searchQuery(em, viewer, kind, terms, first);
      const rows = await connection.execute<SearchRow[]>(sql, params);
      return { kind, rows };
    }),
  );
  // Each kind counts to SEARCH_COUNT_CAP + 1 at most, so the sum passes the cap exactly when there are more.
  const counted = perKind.reduce((sum, { rows }) => sum + Number(rows[0]?.total ?? 0), 0);
  const totalCount = Math.min(counted, SEARCH_COUNT_CAP);
  const totalCountIsLowerBound = counted > SEARCH_COUNT_CAP;
  const texts = terms.map((term) => term.text);
  const hits: SearchHit[] = perKind.flatMap(({ kind, rows }) =>
    rows.map((row) => ({
      kind,
      id: row.id,
      proposalId: kind === SearchKind.PROPOSAL || kind === SearchKind.MESSAGE ? row.proposal_id : null,
      threadId: row.thread_id,
      title: row.title,
      // Titles are short; the whole title, with its matches marked.
      titleSegments: highlight(row.title, texts, MAX_TITLE_LENGTH),
      titleMatch: row.title_match,
      snippet: highlight(row.body, texts),
      path: pathOf(viewer, kind, row),
      date: row.date ? new Date(row.date) : null,
    })),
  );
  hits.sort((a, b) => Number(b.titleMatch) - Number(a.titleMatch) || (b.date?.getTime() ?? 0) - (a.date?.getTime() ?? 0) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.id.localeCompare(b.id));
  return { totalCount, totalCountIsLowerBound, hits: hits.slice(0, first), terms: texts };
}
