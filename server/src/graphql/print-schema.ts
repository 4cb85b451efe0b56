import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildRenkeiSchema } from './schema.js';

export const SCHEMA_HEADER = '# Emitted from the server code by `pnpm --filter @renkei/server schema:emit`. Do not edit by hand:\n# the test suite fails when this file and the code disagree.\n\n';

/** The SDL as committed in schema/schema.graphql: sorted, so it diffs cleanly. */
export async function printRenkeiSchema(): Promise<string> {
  return SCHEMA_HEADER + printSchema(lexicographicSortSchema(await buildRenkeiSchema())) + '\n';
}
