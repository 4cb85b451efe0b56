import type { EntityManager } from '@mikro-orm/postgresql';
import { CHALLENGE_FIELDS } from '../challenges/challenge-fields.js';
import { checkPageSize, decodeKeyset, encodeKeyset } from '../graphql/connection.js';
import { FieldErrors } from '../errors/domain-errors.js';
import type { OrganisationKind } from '../organisations/organisation.entity.js';
import { isUuid } from '../shared/uuid.js';
import type { PublicCaseFilter } from './public-case.input.js';
import type { PublicCaseConnection, PublicCaseFacets, PublicCaseView } from './public-case.types.js';
import { caseView, publicFields, type PublishedCaseRow } from './public-case.view.js';

/**
 * The one rule of every public read: PUBLISHED rows with a snapshot, and of them only the
 * snapshot, its dates and the filter columns. Drafts, withdrawn pages and the desk's working
 * copy (title, summary, blocks) are never selected.
 */
export function publishedWhere(alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `${a}state = 'PUBLISHED' and ${a}published_content is not null and ${a}first_published_at is not null and ${a}published_at is not null`;
}
export const PUBLISHED = publishedWhere();
const COLUMNS = 'id, published_content, first_published_at, published_at';
// Millisecond keys: the cursor carries a JavaScript date, which has no microseconds.
const ORDER_KEY = `date_trunc('milliseconds', first_published_at)`;

function filterSql(filter: PublicCaseFilter | null): { sql: string; params: unknown[] } {
  const parts: string[] = [PUBLISHED];
  const params: unknown[] = [];
  if (filter?.fieldCode) {
    parts.push('? = any(field_codes)');
    params.push(filter.fieldCode);
  }
  if (filter?.sectionId) {
    if (!isUuid(filter.sectionId)) new FieldErrors().add('sectionId', 'INVALID', 'Not a section id').throwIfAny();
    parts.push('lead_section_id = ?');
    params.push(filter.sectionId);
  }
  if (filter?.fiscalYear != null) {
    parts.push('fiscal_year = ?');
    params.push(filter.fiscalYear);
  }
  if (filter?.organisationKind) {
    parts.push('organisation_kind = ?');
    params.push(filter.organisationKind);
  }
  return { sql: parts.join(' and '), params };
}

/** Published cases, newest first (by first publication), as a cursor connection: two statements. */
export async function listPublicCases(em: EntityManager, filter: PublicCaseFilter | null, first: number, after: string | null): Promise<PublicCaseConnection> {
  checkPageSize(first);
  const where = filterSql(filter);
  const pageParts = [where.sql];
  const pageParams = [...where.params];
  if (after) {
    const key = decodeKeyset(after);
    pageParts.push(`(${ORDER_KEY}, id) < (?, ?)`);
    pageParams.push(key.createdAt, key.id);
  }
  const rows = await em.execute<PublishedCaseRow[]>(
    `select ${COLUMNS} from public_case where ${pageParts.join(' and ')} order by ${ORDER_KEY} desc, id desc limit ?`,
    [...pageParams, first + 1],
  );
  const [count] = await em.execute<Array<{ n: string }>>(`select count(*) as n from public_case where ${where.sql}`, where.params);
  const page = rows.slice(0, first);
  const edges = page.map((row) => ({ cursor: encodeKeyset(new Date(row.first_published_at), row.id), node: caseView(row) }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: Number(count?.n ?? 0) };
}

/** A published case, or null: a draft, a withdrawn page and a missing id look the same. */
export async function findPublicCase(em: EntityManager, id: string): Promise<PublicCaseView | null> {
  if (!isUuid(id)) return null;
  const [row] = await em.execute<PublishedCaseRow[]>(`select ${COLUMNS} from public_case where id = ? and ${PUBLISHED}`, [id]);
  return row ? caseView(row) : null;
}

/** The newest published cases, for the feed, the sitemap and the home page. */
export async function latestPublicCases(em: EntityManager, limit: number): Promise<PublicCaseView[]> {
  const rows = await em.execute<PublishedCaseRow[]>(`select ${COLUMNS} from public_case where ${PUBLISHED} order by ${ORDER_KEY} desc, id desc limit ?`, [limit]);
  return rows.map(caseView);
}

/** The values the case filters offer: only those published cases have. */
export async function publicCaseFacets(em: EntityManager): Promise<PublicCaseFacets> {
  const years = await em.execute<Array<{ fiscal_year: number }>>(`select distinct fiscal_year from public_case where ${PUBLISHED} order by fiscal_year desc`);
  // A section's name as its newest published case shows it (the snapshot, not the live section table).
  const sections = await em.execute<Array<{ id: string; name: string }>>(
    `select distinct on (lead_section_id) lead_section_id as id, published_content->>'leadSectionName' as name
       from public_case where ${PUBLISHED} and lead_section_id is not null and published_content->>'leadSectionName' is not null
      order by lead_section_id, published_at desc`,
  );
  const fields = await em.execute<Array<{ code: string }>>(`select distinct unnest(field_codes) as code from public_case where ${PUBLISHED}`);
  const kinds = await em.execute<Array<{ kind: OrganisationKind }>>(`select distinct organisation_kind as kind from public_case where ${PUBLISHED} and organisation_kind is not null order by 1`);
  const fieldSet = new Set(fields.map((row) => row.code));
  return {
    fiscalYears: years.map((row) => Number(row.fiscal_year)),
    sections: sections.map((row) => ({ id: row.id, name: row.name })).sort((a, b) => a.name.localeCompare(b.name, 'ja')),
    // In catalogue order, as everywhere else the fields are listed.
    fields: publicFields([...fieldSet]).sort((a, b) => catalogueIndex(a.code) - catalogueIndex(b.code)),
    organisationKinds: kinds.map((row) => row.kind),
  };
}

function catalogueIndex(code: string): number {
  return CHALLENGE_FIELDS.findIndex((field) => field.code === code);
}
