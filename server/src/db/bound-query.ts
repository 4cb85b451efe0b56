import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Runs one statement with its parameters bound ($1, $2, …) on the ORM's connection pool.
 * MikroORM's `execute` inlines every parameter into the SQL text on the client, escaping it
 * character by character; for a hot statement with a large parameter (the session hashes of a
 * thousand subscribers, checked at every event) that costs more than the statement itself.
 * Outside any transaction: for reads that stand alone.
 */
export async function boundQuery<Row>(em: EntityManager, sql: string, parameters: readonly unknown[]): Promise<Row[]> {
  const client = em.getConnection().getClient();
  // Kysely's CompiledQuery.raw, written out: kysely is the ORM's dependency, not ours.
  const compiled = { query: { kind: 'RawNode', sqlFragments: [sql], parameters: [] }, queryId: { queryId: 'renkei-bound-query' }, sql, parameters };
  const result = await client.executeQuery<Row>(compiled as unknown as Parameters<typeof client.executeQuery>[0]);
  return [...result.rows];
}
