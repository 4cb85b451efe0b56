import { publishedWhere } from '../portal/public-case.reads.js';

/** The field code of a proposal that has none: no published case fields and no challenge fields. */
export const UNCLASSIFIED_FIELD = 'unclassified';

/**
 * A proposal's fields (分野) as a SQL text[] for the proposal row aliased `p`: its published
 * case's field codes, else its challenge's, else {'unclassified'}. The one definition the desk's
 * list filter, the desk dashboard and (to adopt) the public figures share. Only codes leave it.
 */
export function proposalFieldCodesSql(p: string): string {
  return `coalesce(
    nullif((select pc.field_codes from public_case pc where pc.proposal_id = ${p}.id and ${publishedWhere('pc')}), '{}'),
    nullif((select ch.field_codes from challenge ch where ch.id = ${p}.challenge_id), '{}'),
    array['${UNCLASSIFIED_FIELD}']::text[])`;
}
