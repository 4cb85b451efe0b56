import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { proposalFieldCodesSql } from '../publication/proposal-fields.sql.js';
import { reportDueSql } from './report-due.js';

/**
 * The dashboard's statements. Every figure counts rows of a list's own ORM condition (the
 * visibility rule and the filter, from proposalListConditions / sectionInboxConditions) turned
 * into a subquery, so a figure and the list it links to are the same rows by construction.
 * Values are `?` parameters; nothing the user typed is spliced in.
 */
export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/** `select id from … where <condition>`: the rows a list's condition admits. */
export function idsOf<T extends object>(em: EntityManager, entity: EntityName<T>, alias: string, where: FilterQuery<T>): SqlQuery {
  // The generic QueryBuilder typing cannot follow a filter over T; the filters are the lists' own.
  const { sql, params } = em.createQueryBuilder(entity, alias).select('id' as never).where(where as never).toQuery();
  return { sql, params: [...params] };
}

/** Glues text and sub-queries, keeping the parameters in the order their `?` appear. */
export function assemble(parts: Array<string | SqlQuery>): SqlQuery {
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

export interface YearRow {
  dim: 'state' | 'month' | 'kind' | 'field';
  key: string;
  n: number;
}

/** The year's proposals (the intake list filtered by the year) by state, month, organisation kind and field. */
export function yearFiguresQuery(yearIds: SqlQuery): SqlQuery {
  return assemble([
    `with v as (select p.id, p.state, p.submitted_at, p.organisation_id, p.challenge_id from proposal p where p.id in (`,
    yearIds,
    `))
    select 'state' as dim, v.state::text as key, count(*)::int as n from v group by v.state
    union all
    select 'month', to_char(v.submitted_at at time zone 'Asia/Tokyo', 'YYYY-MM'), count(*)::int from v group by 2
    union all
    select 'kind', o.kind::text, count(*)::int from v join organisation o on o.id = v.organisation_id group by o.kind
    union all
    select 'field', f.code, count(*)::int from v cross join lateral unnest(${proposalFieldCodesSql('v')}) as f(code) group by f.code`,
  ]);
}

export interface DurationRow {
  submitted_at: Date;
  first_reply_at: Date | null;
  decided_at: Date | null;
}

/**
 * For the year's proposals: first submission, the desk's first move out of SUBMITTED (not the
 * proposer's withdrawal), and the first decision (AGREED, RETURNED, NOT_REALIZED), from the
 * append-only transitions. One row per proposal that has either; business days are counted in
 * TypeScript, which has the holiday calendar.
 */
export function durationsQuery(yearIds: SqlQuery): SqlQuery {
  return assemble([
    `select * from (select p.submitted_at,
       (select min(t.at) from proposal_transition t where t.proposal_id = p.id and t.from_state = 'SUBMITTED' and t.to_state <> 'WITHDRAWN') as first_reply_at,
       (select min(t.at) from proposal_transition t where t.proposal_id = p.id and t.to_state in ('AGREED', 'RETURNED', 'NOT_REALIZED')) as decided_at
     from proposal p where p.id in (`,
    yearIds,
    `)) x where x.first_reply_at is not null or x.decided_at is not null`,
  ]);
}

export interface NowRow {
  dim: 'stage' | 'match' | 'section';
  key: string;
  a: number;
  b: number;
  c: number;
  section_name: string | null;
  department_name: string | null;
}

/**
 * As of now: proposals waiting for a section's answer (a PENDING match) and those over that
 * target; per watched proposal state, those waiting and those over target (the list's own
 * over-target condition); per section, pending matches, accepted work in progress and reports
 * due with the section as the accepted lead. An active match is unique per (proposal, section),
 * so counting matches counts the proposals the desk's list shows for that section.
 */
export function nowFiguresQuery(visibleIds: SqlQuery, overIds: SqlQuery, watched: readonly string[], today: string, matchAnswer: { waiting: SqlQuery; over: SqlQuery }): SqlQuery {
  return assemble([
    `select 'match' as dim, 'MATCH_ANSWER' as key, (select count(*) from (`,
    matchAnswer.waiting,
    `) x)::int as a, (select count(*) from (`,
    matchAnswer.over,
    `) x)::int as b, 0 as c, null as section_name, null as department_name
     union all`,
    `select 'stage', p.state::text, count(*)::int, count(*) filter (where p.id in (`,
    overIds,
    `))::int, 0, null, null
       from proposal p where p.state::text in (${watched.map(() => '?').join(', ')}) and p.id in (`,
    { sql: '', params: [...watched] },
    visibleIds,
    `) group by p.state
     union all
     select 'section', m.section_id::text,
       count(*) filter (where m.state = 'PENDING')::int,
       count(*) filter (where m.state = 'ACCEPTED' and p.state = 'IN_PROGRESS')::int,
       count(*) filter (where m.state = 'ACCEPTED' and m.lead and ${reportDueSql('p')})::int,
       s.name, d.name
       from match m join proposal p on p.id = m.proposal_id join section s on s.id = m.section_id join department d on d.id = s.department_id
      where m.state in ('PENDING', 'ACCEPTED') and p.id in (`,
    { sql: '', params: [today] },
    visibleIds,
    `) group by m.section_id, s.name, d.name`,
  ]);
}

/** Several counts of rows in one statement: `select (select count(*) from (…) x) as k1, …`. */
export function countsQuery(parts: Record<string, SqlQuery>): SqlQuery {
  const entries = Object.entries(parts);
  return assemble([
    'select',
    ...entries.flatMap(([key, ids], index) => [`${index ? ',' : ''} (select count(*) from (`, ids, `) x)::int as "${key}"`]),
  ]);
}
