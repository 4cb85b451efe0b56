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
import type { SearchTerm } from './search.validation.js';

/**
 * The SQL of one kind's search: every value a `?` parameter (user input is never spliced in), the
 * visibility rule the same ORM filter the lists use, the match the indexed bigram expression.
 * Each row carries the count of all matching rows, so a page and its count are one statement.
 */
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

/** Published cases: the public snapshot only (state, search_text, the published title and summary). */
function caseQuery(terms: readonly SearchTerm[], limit: number): SqlQuery {
  const title = `coalesce(pc.published_content->>'title', '')`;
  return assemble([
    `select pc.id, null::uuid as proposal_id, null::uuid as thread_id, ${title} as title,`,
    `coalesce(pc.published_content->>'summary', '') || E'\\n' || pc.search_text as body,`,
    titleMatch(title, terms),
    `as title_match, pc.published_at as date, count(*) over () as total from public_case pc where pc.state = 'PUBLISHED' and`,
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
    `as title_match, coalesce(c.published_at, c.created_at) as date, count(*) over () as total from challenge c where c.id in (`,
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
    `as title_match, coalesce(p.submitted_at, p.created_at) as date, count(*) over () as total from proposal p where p.id in (`,
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
 */
function messageQuery(em: EntityManager, viewer: Viewer, terms: readonly SearchTerm[], limit: number): SqlQuery {
  const readable: FilterQuery<Thread> = { $and: [threadAudienceFilter(viewer), { proposal: proposalVisibilityFilter(viewer) }] };
  return assemble([
    `select m.id, m.proposal_id, m.thread_id, t.title, m.body,`,
    titleMatch('t.title', terms),
    `as title_match, m.created_at as date, count(*) over () as total from message m join thread t on t.id = m.thread_id where m.deleted_at is null and m.thread_id in (`,
    visibleIds(em, Thread, 'vt', readable),
    `) and`,
    matchAll(messageDocumentSql('m'), terms),
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
