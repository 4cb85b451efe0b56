import { raw, type FilterQuery } from '@mikro-orm/core';
import { ForbiddenError } from '../errors/domain-errors.js';
import { canReadAgeing } from '../ageing/ageing.policy.js';
import type { Viewer } from '../identity/viewer.js';
import type { Proposal } from '../proposals/proposal.entity.js';

/** 'YYYY-MM-DD' of an instant in Tokyo: the day a period ends is a Tokyo date. */
export function tokyoDate(at: Date): string {
  return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * 報告書待ち for the proposal row aliased `p`: IN_PROGRESS, the agreed period (endDate) ended
 * before `today` (Tokyo), and no implementation report submitted or accepted yet. `today` is a
 * parameter so a figure and its list read one "now".
 */
export function reportDueSql(p: string, negate = false): string {
  const due = `(${p}.state = 'IN_PROGRESS'
    and exists (select 1 from partnership_decision d where d.proposal_id = ${p}.id and d.end_date < ?::date)
    and not exists (select 1 from implementation_report r where r.proposal_id = ${p}.id and r.state in ('SUBMITTED', 'ACCEPTED')))`;
  return negate ? `not ${due}` : due;
}

/** The same as a list condition on proposals; only the ward filters by it. */
export function reportDueCondition(viewer: Viewer, due: boolean, now: Date): FilterQuery<Proposal> {
  if (!canReadAgeing(viewer)) throw new ForbiddenError('Filtering by reports due is for the desk and sections');
  return { [raw((alias: string) => reportDueSql(alias, !due), [tokyoDate(now)])]: [] } as FilterQuery<Proposal>;
}
