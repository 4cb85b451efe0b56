/**
 * Japanese search without a tokenizer: every text is indexed by its character bigrams
 * (`renkei_bigrams`, an immutable SQL function created by the search migration: NFKC, lower-case,
 * every two adjacent characters that are not whitespace). A term matches a row when the row's
 * bigrams contain all of the term's — a GIN index answers that, for two-character terms such as
 * 防災 too (pg_trgm needs three) — and the row's normalised text then contains the term itself
 * (the recheck: bigrams can all occur without the term).
 *
 * The expressions here are shared by the entities' index declarations and the search queries:
 * PostgreSQL uses an expression index only for the identical expression.
 */

/** The normalised text a term is rechecked against (LIKE, wildcards escaped). */
export function normalisedText(documentSql: string): string {
  return `lower(normalize(${documentSql}, NFKC))`;
}

/** The indexed bigram set of a document. */
export function bigramsOf(documentSql: string): string {
  return `renkei_bigrams(${documentSql})`;
}

function joined(columns: readonly string[], alias: string): string {
  const prefix = alias ? `${alias}.` : '';
  return `(${columns.map((column) => `coalesce(${prefix}${column}, '')`).join(` || ' ' || `)})`;
}

/**
 * A proposal's searchable text: its title and every content field (only its audience searches
 * it). `alias` qualifies the columns in a query; the index is declared without one (PostgreSQL
 * matches the columns, not their spelling).
 */
export function proposalDocumentSql(alias = ''): string {
  return joined(['title', 'ward_issue', 'content', 'expected_effects', 'ask_of_ward', 'ward_cost_reason', 'own_resources', 'schedule'], alias);
}

/** A challenge's searchable text. */
export function challengeDocumentSql(alias = ''): string {
  return joined(['title', 'description', 'background'], alias);
}

/** A published case's searchable text: the snapshot of what its public page shows (never protected content). */
export function caseDocumentSql(alias = ''): string {
  return joined(['search_text'], alias);
}

/** A thread message's body. */
export function messageDocumentSql(alias = ''): string {
  return joined(['body'], alias);
}

/** The CREATE INDEX statement for a table's bigram GIN index (declared on the entity, created by the migration). */
export function bigramIndexSql(indexName: string, table: string, documentSql: string): string {
  return `create index "${indexName}" on "${table}" using gin (${bigramsOf(documentSql)})`;
}
