import { FieldErrors } from '../errors/domain-errors.js';
import { OrganisationKind } from '../organisations/organisation.entity.js';
import { ProposalKind, ProposalState } from '../proposals/proposal.entity.js';
import { ProposalOrder, type ProposalFilter } from '../proposals/proposal.input.js';
import { isExportColumnId, type ExportColumnId } from './proposal-export.columns.js';

/**
 * The export's query string (pure): the chosen columns, whether protected content is included,
 * and the desk list's own filter and order (the same names as the GraphQL ProposalFilter), so a
 * link built from the page's filters exports what the page lists.
 */
export interface ProposalExportRequest {
  columns: ExportColumnId[];
  includeProtected: boolean;
  filter: ProposalFilter;
  order: ProposalOrder;
}

type Query = Record<string, unknown>;

/** A single string parameter; a repeated one (?a=1&a=2) is refused rather than guessed at. */
function single(query: Query, name: string, errors: FieldErrors): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  errors.add(name, 'INVALID', `${name} must be given once`);
  return undefined;
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function oneOf<T extends string>(values: Record<string, T>, value: string | undefined, name: string, errors: FieldErrors): T | undefined {
  if (value === undefined || value === '') return undefined;
  if ((Object.values(values) as string[]).includes(value)) return value as T;
  errors.add(name, 'INVALID', `${name} is not one of ${Object.values(values).join(', ')}`);
  return undefined;
}

function flag(value: string | undefined, name: string, errors: FieldErrors): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  errors.add(name, 'INVALID', `${name} must be true or false`);
  return undefined;
}

/** Throws BAD_USER_INPUT (per-field codes) for no columns, an unknown column or a malformed filter. */
export function parseExportRequest(query: Query): ProposalExportRequest {
  const errors = new FieldErrors();
  const requested = list(single(query, 'columns', errors));
  const unknown = requested.filter((id) => !isExportColumnId(id));
  if (requested.length === 0) errors.add('columns', 'REQUIRED', 'Choose at least one column');
  else if (unknown.length) errors.add('columns', 'UNKNOWN_REFERENCE', `Unknown columns: ${unknown.join(', ')}`);
  const columns = [...new Set(requested.filter(isExportColumnId))];

  const filter: ProposalFilter = {};
  const states = list(single(query, 'states', errors));
  const badStates = states.filter((state) => !(Object.values(ProposalState) as string[]).includes(state));
  if (badStates.length) errors.add('states', 'INVALID', `Unknown states: ${badStates.join(', ')}`);
  else if (states.length) filter.states = states as ProposalState[];
  const kind = oneOf(ProposalKind, single(query, 'kind', errors), 'kind', errors);
  if (kind) filter.kind = kind;
  const challengeId = single(query, 'challengeId', errors);
  if (challengeId) filter.challengeId = challengeId;
  const fieldCode = single(query, 'fieldCode', errors);
  if (fieldCode) filter.fieldCode = fieldCode;
  const organisationKind = oneOf(OrganisationKind, single(query, 'organisationKind', errors), 'organisationKind', errors);
  if (organisationKind) filter.organisationKind = organisationKind;
  const overTarget = flag(single(query, 'overTarget', errors), 'overTarget', errors);
  if (overTarget !== undefined) filter.overTarget = overTarget;

  const order = oneOf(ProposalOrder, single(query, 'order', errors), 'order', errors) ?? ProposalOrder.OLDEST_SUBMITTED_FIRST;
  const includeProtected = flag(single(query, 'includeProtected', errors), 'includeProtected', errors) ?? false;
  errors.throwIfAny();
  return { columns, includeProtected, filter, order };
}
