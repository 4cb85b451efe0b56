import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { Role } from '../identity/account.entity.js';
import type { Viewer } from '../identity/viewer.js';
import { Challenge } from '../challenges/challenge.entity.js';
import { challengeVisibilityFilter } from '../challenges/challenge.policy.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { proposalVisibilityFilter } from '../proposals/proposal.policy.js';
import { Thread } from '../threads/thread.entity.js';
import { threadAudienceFilter } from '../threads/thread.policy.js';
import { bigramsOf, caseDocumentSql, challengeDocumentSql, messageDocumentSql, normalisedText, proposalDocumentSql } from './search-expressions.js';
import { SearchKind } from './search.types.js';
import { SEARCH_COUNT_CAP, type SearchTerm } from './search.validation.js';

/**
 * The SQL of one kind's search: every value a `?` parameter (user input is never spliced in), the
 * visibility rule the same ORM filter the lists use, the match the indexed bigram expression.
 * Each row carries the count of the matching rows the viewer may see, capped: exact up to
 * SEARCH_COUNT_CAP, and SEARCH_COUNT_CAP + 1 for "more than that": counting every one of 100,000
 * matches costs seconds, and the cap is what a page can show (MAX_SEARCH_RESULTS), so "more than
 * 50" says all a reader can use: narrow the search. A page and its count are one
 * statement.
 */


/**
 * How many of the newest messages a message search rechecks row by row before it asks the bigram
 * index instead. A term in more than one message in forty (防災, 高齢者: 6–12 % of a desk's
 * dialogue) fills a page and passes the count's cap within it, typically after a thousand rows: a
 * few milliseconds, where the index would hand over every one of its 100,000 matches. A rarer term
 * falls through to the index, which is cheap exactly when matches are few.
 */
export const MESSAGE_WALK_ROWS = 2000;
/** The share of rows below which a term counts as rare (a walk of MESSAGE_WALK_ROWS would find about 40 of it). */
const WALK_MIN_SHARE = 0.02;
export interface SqlQuery {
  sql: string;
  params: unknown[];
}

export interface SearchRow {
  id: string;
  proposal_id: string | null;
  thread_id: string | null;
  title: string;
  body: string;
  title_match: boolean;
  date: Date | null;
  /** Matches the viewer may see: exact up to SEARCH_COUNT_CAP, SEARCH_COUNT_CAP + 1 meaning more. */
  total: string;
}

/** `id in (…)` of the rows an ORM filter lets the viewer see: the lists' rule, reused verbatim. */
function visibleIds<T extends object>(em: EntityManager, entity: EntityName<T>, alias: string, filter: FilterQuery<T>): SqlQuery {
  // The generic QueryBuilder typing cannot follow a filter over T; the filters are the entities' own.
  const { sql, params } = em.createQueryBuilder(entity, alias).select('id' as never).where(filter as never).toQuery();
  return { sql, params: [...params] };
}

/** Every term: the index probe (bigrams contain the term's) and the recheck (the text contains the term). */
function matchAll(documentSql: string, terms: readonly SearchTerm[]): SqlQuery {
  const sql = terms.map(() => `${bigramsOf(documentSql)} @> renkei_bigrams(?) and ${normalisedText(documentSql)} like '%' || ? || '%' escape '\\'`).join(' and ');
  return { sql, params: terms.flatMap((term) => [term.text, term.likePattern]) };
}

/** The recheck alone, as a row filter where no index probe precedes it (the newest-first walk). */
function recheckAll(documentSql: string, terms: readonly SearchTerm[]): SqlQuery {
  const sql = terms.map(() => `${normalisedText(documentSql)} like '%' || ? || '%' escape '\\'`).join(' and ');
  return { sql, params: terms.map((term) => term.likePattern) };
}

/**
 * Whether the terms are common enough to find by walking the newest rows: the planner's own
 * statistics of the bigram index (ANALYZE keeps the share of rows holding each of the most common
 * bigrams) give an upper bound of how often the rarest bigram of any term occurs. A bigram too rare
 * to be listed, or no statistics yet, count as rare, and rare terms go to the index straight away.
 * A cheap look-up (pg_stats), and only a choice of way: both ways give the same rows.
 */
function commonEnough(indexName: string, terms: readonly SearchTerm[]): SqlQuery {
  return {
    sql:
      `(select coalesce(min(coalesce(s.most_common_elem_freqs[array_position(s.most_common_elems::text::text[], g.gram)], 0)), 0) from pg_stats s,` +
      ` unnest(renkei_bigrams(?)) as g(gram) where s.schemaname = current_schema() and s.tablename = '${indexName}') >= ${WALK_MIN_SHARE}`,
    params: [terms.map((term) => term.text).join(' ')],
  };
}

/** Whether every term occurs in a title: the recheck alone (titles are short, already filtered rows). */
function titleMatch(titleSql: string, terms: readonly SearchTerm[]): SqlQuery {
  const sql = terms.map(() => `${normalisedText(titleSql)} like '%' || ? || '%' escape '\\'`).join(' and ');
  return { sql: `(${sql})`, params: terms.map((term) => term.likePattern) };
}

function assemble(parts: Array<string | SqlQuery>): SqlQuery {
  const sql: string[] = [];
  const params: unknown[] = [];
  for (const part of parts) {
    if (typeof part === 'string') sql.push(part);
    else {
      sql.push(part.sql);
      params.push(...part.params);
    }
  }
  return { sql: sql.join(' '), params };
}

const TAIL = `order by title_match desc, date desc nulls last, id limit ?`;

/** The capped count over a window of all the statement's rows (the kinds whose matches are few: cases, challenges, proposals). */
const CAPPED_TOTAL = `least(count(*) over (), ${SEARCH_COUNT_CAP + 1}) as total`;

/** Published cases: the public snapshot only (state, search_text, the published title and summary). */
function caseQuery(terms: readonly SearchTerm[], limit: number): SqlQuery {
  const title = `coalesce(pc.published_content->>'title', '')`;
  return assemble([
    `select pc.id, null::uuid as proposal_id, null::uuid as thread_id, ${title} as title,`,
    `coalesce(pc.published_content->>'summary', '') || E'\\n' || pc.search_text as body,`,
    titleMatch(title, terms),
    `as title_match, pc.published_at as date, ${CAPPED_TOTAL} from public_case pc where pc.state = 'PUBLISHED' and`,
    matchAll(caseDocumentSql('pc'), terms),
    TAIL,
    { sql: '', params: [limit] },
  ]);
}

/** Challenges by the challenges' own rule (the public: published and not DRAFT). */
function challengeQuery(em: EntityManager, viewer: Viewer, terms: readonly SearchTerm[], limit: number): SqlQuery {
  return assemble([
    `select c.id, null::uuid as proposal_id, null::uuid as thread_id, c.title, c.description || E'\\n' || c.background as body,`,
    titleMatch('c.title', terms),
    `as title_match, coalesce(c.published_at, c.created_at) as date, ${CAPPED_TOTAL} from challenge c where c.id in (`,
    visibleIds(em, Challenge, 'vc', challengeVisibilityFilter(viewer)),
    `) and`,
    matchAll(challengeDocumentSql('c'), terms),
    TAIL,
    { sql: '', params: [limit] },
  ]);
}

/** Proposals by proposalVisibilityFilter: the organisation's members, the desk once submitted, matched sections. */
function proposalQuery(em: EntityManager, viewer: Viewer, terms: readonly SearchTerm[], limit: number): SqlQuery {
  const body = ['ward_issue', 'content', 'expected_effects', 'ask_of_ward', 'ward_cost_reason', 'own_resources', 'schedule'].map((column) => `p.${column}`).join(` || E'\\n' || `);
  return assemble([
    `select p.id, p.id as proposal_id, null::uuid as thread_id, p.title, ${body} as body,`,
    titleMatch('p.title', terms),
    `as title_match, coalesce(p.submitted_at, p.created_at) as date, ${CAPPED_TOTAL} from proposal p where p.id in (`,
    visibleIds(em, Proposal, 'vp', proposalVisibilityFilter(viewer)),
    `) and`,
    matchAll(proposalDocumentSql('p'), terms),
    TAIL,
    { sql: '', params: [limit] },
  ]);
}

/**
 * Messages of threads the viewer reads: the thread's proposal by proposalVisibilityFilter and the
 * audience rule (proposers never INTERNAL). Deleted messages have no body and are left out.
 *
 * A million messages, and a common term matches a hundred thousand of them, so the statement does
 * not visit every match. It walks the newest messages (message_created_at_id_index) and rechecks
 * them row by row, at most MESSAGE_WALK_ROWS of them and only until it holds SEARCH_COUNT_CAP + 1
 * matches the viewer may see (`walk`): those are the newest matches, so the page is their first
 * `limit`, and more than the cap of them is the count. Only when the walk comes back with fewer —
 * a rare term, or a viewer who reads few threads — does the bigram index answer: the newest page
 * of all matches (`indexed`, run only when the walk has not filled the page) and the count up to
 * the cap (run only when the walk did not pass it). Both ways give the same rows and count, so
 * which one ran tells nothing; the visibility rule is in every branch.
 *
 * Hits are the newest matches; among them, those whose thread's title has every term come first.
 */
function messageQuery(em: EntityManager, viewer: Viewer, terms: readonly SearchTerm[], limit: number): SqlQuery {
  const readable: FilterQuery<Thread> = { $and: [threadAudienceFilter(viewer), { proposal: proposalVisibilityFilter(viewer) }] };
  const visible = (alias: string): SqlQuery => assemble([`${alias}.thread_id in (`, visibleIds(em, Thread, `v${alias}`, readable), `)`]);
  const document = messageDocumentSql('m');
  const cap = SEARCH_COUNT_CAP;
  return assemble([
    `with walk as (select m.id, m.proposal_id, m.thread_id, m.body, m.created_at`,
    `from (select w.id, w.proposal_id, w.thread_id, w.body, w.created_at from message w where w.deleted_at is null order by w.created_at desc, w.id desc limit (case when`,
    commonEnough('message_search_bigrams', terms),
    `then ${MESSAGE_WALK_ROWS} else 0 end)) m`,
    `where`,
    recheckAll(document, terms),
    `and`,
    visible('m'),
    // Stated, not assumed: the newest first (the walk's own order, so it still stops early).
    `order by m.created_at desc, m.id desc limit ${cap + 1}),`,
    `walked as (select count(*) as n from walk),`,
    // A limit of 0 when the walk filled the page: unlike a filter, it stops before anything below it starts (parallel workers included).
    `indexed as (select m.id, m.proposal_id, m.thread_id, m.body, m.created_at from message m where m.deleted_at is null and`,
    visible('m'),
    `and`,
    matchAll(document, terms),
    `order by m.created_at desc, m.id desc limit (case when (select n from walked) <`,
    { sql: '?::int then ?::int else 0 end)),', params: [limit, limit] },
    `hits as ((select * from walk where (select n from walked) >=`,
    { sql: '?::int', params: [limit] },
    `order by created_at desc, id desc limit`,
    { sql: '?::int)', params: [limit] },
    `union all select * from indexed),`,
    `counted as (select case when (select n from walked) > ${cap} then ${cap + 1}::bigint else (select count(*) from (select 1 from message m where m.deleted_at is null and`,
    visible('m'),
    `and`,
    matchAll(document, terms),
    `limit ${cap + 1}) c) end as total)`,
    `select h.id, h.proposal_id, h.thread_id, t.title, h.body,`,
    titleMatch('t.title', terms),
    `as title_match, h.created_at as date, counted.total from hits h join thread t on t.id = h.thread_id cross join counted`,
    TAIL,
    { sql: '', params: [limit] },
  ]);
}

/** The kinds a viewer may search: proposals and messages only for accounts of the three roles. */
export function searchableKinds(viewer: Viewer): SearchKind[] {
  const signedIn = viewer.kind === 'account' && [Role.DESK, Role.SECTION, Role.PROPOSER].includes(viewer.role);
  return signedIn ? [SearchKind.CASE, SearchKind.CHALLENGE, SearchKind.PROPOSAL, SearchKind.MESSAGE] : [SearchKind.CASE, SearchKind.CHALLENGE];
}

/** The statement searching one kind for the viewer (exported so a test can EXPLAIN exactly it). */
export function searchQuery(em: EntityManager, viewer: Viewer, kind: SearchKind, terms: readonly SearchTerm[], limit: number): SqlQuery {
  switch (kind) {
    case SearchKind.CASE:
      return caseQuery(terms, limit);
    case SearchKind.CHALLENGE:
      return challengeQuery(em, viewer, terms, limit);
    case SearchKind.PROPOSAL:
      return proposalQuery(em, viewer, terms, limit);
    case SearchKind.MESSAGE:
      return messageQuery(em, viewer, terms, limit);
  }
}
