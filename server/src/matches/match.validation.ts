import { FieldErrors } from '../errors/domain-errors.js';
import { isUuid } from '../shared/uuid.js';

export const MATCH_LIMITS = { sections: 20, reason: 2000 } as const;

export interface CleanMatchInput {
  sectionIds: string[];
  leadSectionId: string;
}

/**
 * The shape of a matchProposal call, before any lookup: at least one section, not too many,
 * each a well-formed id (duplicates are folded), and a lead. Whether the sections exist and the
 * lead is among the proposal's matches is the service's job (it needs the database).
 */
export function validateMatchInput(sectionIds: readonly string[], leadSectionId: string): CleanMatchInput {
  const errors = new FieldErrors();
  const unique = [...new Set(sectionIds.map((id) => id.trim().toLowerCase()))];
  if (unique.length === 0) errors.add('sectionIds', 'REQUIRED', 'Name at least one section');
  else if (unique.length > MATCH_LIMITS.sections) errors.add('sectionIds', 'TOO_LONG', `At most ${MATCH_LIMITS.sections} sections at once`);
  else if (unique.some((id) => !isUuid(id))) errors.add('sectionIds', 'UNKNOWN_REFERENCE', 'No such active section');
  const lead = leadSectionId.trim().toLowerCase();
  if (lead === '') errors.add('leadSectionId', 'REQUIRED', 'Name the lead section');
  else if (!isUuid(lead)) errors.add('leadSectionId', 'INVALID', 'The lead must be one of the proposal’s matched sections');
  errors.throwIfAny();
  return { sectionIds: unique, leadSectionId: lead };
}

/** A decline or withdrawal reason: required, trimmed (also of the ideographic space), bounded. */
export function cleanMatchReason(value: string | null | undefined): string {
  const clean = (value ?? '').trim();
  const errors = new FieldErrors();
  if (clean === '') errors.add('reason', 'REQUIRED', 'Give a reason');
  else if (clean.length > MATCH_LIMITS.reason) errors.add('reason', 'TOO_LONG', `At most ${MATCH_LIMITS.reason} characters`);
  errors.throwIfAny();
  return clean;
}
