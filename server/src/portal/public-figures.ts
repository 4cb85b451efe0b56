import type { EntityManager } from '@mikro-orm/postgresql';
import { challengeFieldByCode, CHALLENGE_FIELDS } from '../challenges/challenge-fields.js';
import { FieldErrors } from '../errors/domain-errors.js';
import { proposalFieldCodesSql, UNCLASSIFIED_FIELD as UNCLASSIFIED } from '../publication/proposal-fields.sql.js';
import { PUBLISHED } from './public-case.reads.js';
import { FIRST_FIGURES_YEAR, fiscalYearOf, isFiguresYear } from './fiscal-year.js';
import type { PublicFieldFigures, PublicFigures } from './public-figures.types.js';

type Measure = 'received' | 'inDialogue' | 'realised';

/**
 * The proposals counted in a fiscal year, one row per (proposal, measure): first submitted
 * (submittedAt), entered IN_DIALOGUE, entered AGREED (from the append-only transitions). Year
 * bounds are 1 April 00:00 Asia/Tokyo. A proposal's fields are its published case's, else its
 * challenge's, else 'unclassified'. Only ids and codes leave this query, as counts.
 *
 * Counted up to the end of yesterday (Tokyo), not live: a count that moved the moment a proposal
 * was submitted or moved would tell the public about a proposal it may not see (the leak canary
 * checks that adding hidden items changes no public answer). Published statistics are "as of" a
 * day anyway.
 */
const FIGURES_SQL = `
with bounds as (
  select make_timestamptz(?::int, 4, 1, 0, 0, 0, 'Asia/Tokyo') as s,
         least(make_timestamptz(?::int + 1, 4, 1, 0, 0, 0, 'Asia/Tokyo'), date_trunc('day', now(), 'Asia/Tokyo')) as e
), counted as (
  select p.id as proposal_id, 'received' as measure from proposal p, bounds b where p.submitted_at >= b.s and p.submitted_at < b.e
  union
  select t.proposal_id, 'inDialogue' from proposal_transition t, bounds b where t.to_state = 'IN_DIALOGUE' and t.at >= b.s and t.at < b.e
  union
  select t.proposal_id, 'realised' from proposal_transition t, bounds b where t.to_state = 'AGREED' and t.at >= b.s and t.at < b.e
), with_fields as (
  select c.proposal_id, c.measure, f.code
    from counted c
    join proposal p on p.id = c.proposal_id
    cross join lateral unnest(${proposalFieldCodesSql('p')}) as f(code)
)
select measure, code, count(distinct proposal_id)::int as n
  from with_fields
 group by grouping sets ((measure), (measure, code))`;

export async function publicFigures(em: EntityManager, requested: number | null, now = new Date()): Promise<PublicFigures> {
  const fiscalYear = requested ?? fiscalYearOf(now);
  if (!isFiguresYear(fiscalYear, now)) {
    new FieldErrors().add('fiscalYear', 'INVALID', `Fiscal years from ${FIRST_FIGURES_YEAR} to ${fiscalYearOf(now) + 1}`).throwIfAny();
  }
  const rows = await em.execute<Array<{ measure: Measure; code: string | null; n: number }>>(FIGURES_SQL, [fiscalYear, fiscalYear]);
  const [value] = await em.execute<Array<{ cases: number; yen: string }>>(
    `select count(*)::int as cases, coalesce(sum((published_content->>'partnerContributionYen')::numeric), 0)::text as yen
       from public_case where ${PUBLISHED} and fiscal_year = ?`,
    [fiscalYear],
  );
  const totals: Record<Measure, number> = { received: 0, inDialogue: 0, realised: 0 };
  const byCode = new Map<string, PublicFieldFigures>();
  for (const row of rows) {
    if (row.code === null) {
      totals[row.measure] = row.n;
      continue;
    }
    const field = challengeFieldByCode(row.code);
    const entry = byCode.get(row.code) ?? {
      fieldCode: row.code,
      nameJa: field?.nameJa ?? (row.code === UNCLASSIFIED ? '分類なし' : row.code),
      nameEn: field?.nameEn ?? (row.code === UNCLASSIFIED ? 'Unclassified' : row.code),
      received: 0,
      inDialogue: 0,
      realised: 0,
    };
    entry[row.measure] = row.n;
    byCode.set(row.code, entry);
  }
  const order = (code: string): number => (code === UNCLASSIFIED ? Infinity : CHALLENGE_FIELDS.findIndex((field) => field.code === code) >>> 0);
  return {
    fiscalYear,
    countedThrough: lastCountedDay(fiscalYear, now),
    ...totals,
    publishedCases: value?.cases ?? 0,
    valueNotSpentYen: Number(value?.yen ?? 0),
    byField: [...byCode.values()].sort((a, b) => order(a.fieldCode) - order(b.fieldCode)),
  };
}

/** The fiscal years the figures page offers: from the first proposal or case to this year, newest first. */
export async function publicFigureYears(em: EntityManager, now = new Date()): Promise<number[]> {
  const current = fiscalYearOf(now);
  // The fiscal year of a moment, in SQL: its Tokyo date three months earlier falls in that calendar year.
  const [row] = await em.execute<Array<{ first: number | null }>>(
    `select least(
       (select extract(year from (min(submitted_at) at time zone 'Asia/Tokyo') - interval '3 months')::int from proposal where submitted_at < date_trunc('day', now(), 'Asia/Tokyo')),
       (select min(fiscal_year) from public_case where ${PUBLISHED})
     ) as first`,
  );
  const first = row?.first != null ? Math.max(FIRST_FIGURES_YEAR, Math.min(current, Number(row.first))) : current;
  return Array.from({ length: current - first + 1 }, (_, index) => current - index);
}

/** The last day (YYYY-MM-DD, Tokyo) the counts include: yesterday, or the year's 31 March; null before the year has a counted day. */
export function lastCountedDay(fiscalYear: number, now: Date): string | null {
  const yesterday = tokyoDate(new Date(now.getTime() - 24 * 60 * 60 * 1000));
  const yearEnd = `${fiscalYear + 1}-03-31`;
  const last = yesterday < yearEnd ? yesterday : yearEnd;
  return last < `${fiscalYear}-04-01` ? null : last;
}

function tokyoDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
