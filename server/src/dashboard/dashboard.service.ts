import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { ageingNowFor, stageTargetsFor } from '../ageing/ageing.loaders.js';
import { proposalStatesOf } from '../ageing/ageing.policy.js';
import { AgeingStage } from '../ageing/stage-target.entity.js';
import { challengeFieldByCode, CHALLENGE_FIELDS } from '../challenges/challenge-fields.js';
import { ForbiddenError, UnauthenticatedError } from '../errors/domain-errors.js';
import type { Viewer } from '../identity/viewer.js';
import { Match, MatchState } from '../matches/match.entity.js';
import { sectionInboxConditions } from '../matches/match.service.js';
import { OrganisationKind } from '../organisations/organisation.entity.js';
import { Proposal, ProposalState } from '../proposals/proposal.entity.js';
import { fiscalYearOf } from '../proposals/proposal-reference.js';
import { proposalListConditions } from '../proposals/proposal.service.js';
import { UNCLASSIFIED_FIELD } from '../publication/proposal-fields.sql.js';
import { deskDashboardRefusal, sectionDashboardRefusal, type DashboardRefusal } from './dashboard.policy.js';
import { countsQuery, durationsQuery, idsOf, nowFiguresQuery, yearFiguresQuery, type DurationRow, type NowRow, type YearRow } from './dashboard.sql.js';
import type { DeskDashboard, FieldFigure, SectionDashboard, SectionLoadFigure, StageFigure } from './dashboard.types.js';
import { checkFiscalYear, monthsOfFiscalYear } from './dashboard.validation.js';
import { businessDaysBetween, median } from './durations.js';
import { tokyoDate } from './report-due.js';

/** The states that mean the partnership was agreed (実現): AGREED and everything after it. */
export const REALISED_STATES: readonly ProposalState[] = [ProposalState.AGREED, ProposalState.IN_PROGRESS, ProposalState.REPORTED, ProposalState.PUBLISHED];

/** The stages a proposal's own state waits in. */
const PROPOSAL_STAGES = [AgeingStage.INTAKE, AgeingStage.REVIEW, AgeingStage.DIALOGUE, AgeingStage.START_OF_WORK] as const;
/** Every stage in the order a proposal meets them; MATCH_ANSWER counts proposals with a PENDING match. */
const STAGES = [AgeingStage.INTAKE, AgeingStage.REVIEW, AgeingStage.DIALOGUE, AgeingStage.MATCH_ANSWER, AgeingStage.START_OF_WORK] as const;

function refuse(refusal: DashboardRefusal): void {
  if (refusal === 'UNAUTHENTICATED') throw new UnauthenticatedError();
  if (refusal === 'FORBIDDEN') throw new ForbiddenError('This dashboard is not yours');
}

function byCode(a: FieldFigure, b: FieldFigure): number {
  const order = (code: string) => (code === UNCLASSIFIED_FIELD ? Infinity : CHALLENGE_FIELDS.findIndex((field) => field.code === code) >>> 0);
  return order(a.fieldCode) - order(b.fieldCode);
}

function fieldFigure(code: string, count: number): FieldFigure {
  const field = challengeFieldByCode(code);
  const unclassified = code === UNCLASSIFIED_FIELD;
  return { fieldCode: code, nameJa: field?.nameJa ?? (unclassified ? '分類なし' : code), nameEn: field?.nameEn ?? (unclassified ? 'Unclassified' : code), count };
}

/**
 * The desk dashboard for a fiscal year (default: this one). A fixed number of statements: the
 * stage targets, the year's figures, the medians' pairs, the figures as of now.
 */
export async function deskDashboard(em: EntityManager, viewer: Viewer, requestedYear: number | null): Promise<DeskDashboard> {
  refuse(deskDashboardRefusal(viewer));
  const now = ageingNowFor(em);
  const fiscalYear = checkFiscalYear(requestedYear ?? fiscalYearOf(now), now);
  const targets = await stageTargetsFor(em);

  const yearIds = idsOf(em, Proposal, 'yp', { $and: await proposalListConditions(em, viewer, { fiscalYear }) });
  const visibleIds = idsOf(em, Proposal, 'vp', { $and: await proposalListConditions(em, viewer, {}) });
  const overIds = idsOf(em, Proposal, 'op', { $and: await proposalListConditions(em, viewer, { overTarget: true }) });
  const watched = PROPOSAL_STAGES.flatMap((stage) => proposalStatesOf(stage));

  const year = yearFiguresQuery(yearIds);
  const yearRows = await em.execute<YearRow[]>(year.sql, year.params);
  const durations = durationsQuery(yearIds);
  const durationRows = await em.execute<DurationRow[]>(durations.sql, durations.params);
  const matchAnswer = {
    waiting: idsOf(em, Proposal, 'mp', { $and: await proposalListConditions(em, viewer, { matchState: MatchState.PENDING }) }),
    over: idsOf(em, Proposal, 'mo', { $and: await proposalListConditions(em, viewer, { matchState: MatchState.PENDING, matchOverTarget: true }) }),
  };
  const current = nowFiguresQuery(visibleIds, overIds, watched, tokyoDate(now), matchAnswer);
  const nowRows = await em.execute<NowRow[]>(current.sql, current.params);

  const count = (dim: YearRow['dim'], key: string) => yearRows.find((row) => row.dim === dim && row.key === key)?.n ?? 0;
  const byState = Object.values(ProposalState).map((state) => ({ state, count: count('state', state) })).filter((figure) => figure.count > 0);
  const submitted = byState.reduce((sum, figure) => sum + figure.count, 0);
  const realised = REALISED_STATES.reduce((sum, state) => sum + count('state', state), 0);
  const replies = durationRows.filter((row) => row.first_reply_at).map((row) => businessDaysBetween(new Date(row.submitted_at), new Date(row.first_reply_at!)));
  const decisions = durationRows.filter((row) => row.decided_at).map((row) => businessDaysBetween(new Date(row.submitted_at), new Date(row.decided_at!)));

  const ageing: StageFigure[] = STAGES.map((stage) => {
    if (stage === AgeingStage.MATCH_ANSWER) {
      const row = nowRows.find((r) => r.dim === 'match');
      return { stage, states: [], targetBusinessDays: targets.get(stage) ?? 0, waiting: row?.a ?? 0, overTarget: row?.b ?? 0 };
    }
    const states = proposalStatesOf(stage);
    const rows = nowRows.filter((row) => row.dim === 'stage' && (states as string[]).includes(row.key));
    return { stage, states, targetBusinessDays: targets.get(stage) ?? 0, waiting: rows.reduce((s, r) => s + r.a, 0), overTarget: rows.reduce((s, r) => s + r.b, 0) };
  });
  const sectionLoad: SectionLoadFigure[] = nowRows
    .filter((row) => row.dim === 'section' && row.a + row.b + row.c > 0)
    .map((row) => ({ sectionId: row.key, sectionName: row.section_name ?? '', departmentName: row.department_name ?? '', pendingMatches: row.a, inProgress: row.b, reportsDue: row.c }))
    .sort((x, y) => y.pendingMatches + y.inProgress + y.reportsDue - (x.pendingMatches + x.inProgress + x.reportsDue) || x.departmentName.localeCompare(y.departmentName, 'ja') || x.sectionName.localeCompare(y.sectionName, 'ja'));

  return {
    fiscalYear,
    countedAt: now,
    submitted,
    byState,
    intakeByMonth: monthsOfFiscalYear(fiscalYear).map((month) => ({ month, count: count('month', month) })),
    realised,
    realisationRate: submitted ? realised / submitted : null,
    daysToFirstReply: { businessDays: median(replies), count: replies.length },
    daysToDecision: { businessDays: median(decisions), count: decisions.length },
    byField: yearRows.filter((row) => row.dim === 'field').map((row) => fieldFigure(row.key, row.n)).sort(byCode),
    byOrganisationKind: Object.values(OrganisationKind).map((kind) => ({ kind, count: count('kind', kind) })),
    ageing,
    sectionLoad,
  };
}

/** The inbox filters each section figure links to (the client builds the same query). */
export const SECTION_FIGURES = {
  pendingMatches: { states: [MatchState.PENDING], narrowing: {} },
  inProgress: { states: [MatchState.ACCEPTED], narrowing: { proposalStates: [ProposalState.IN_PROGRESS] } },
  reportsDue: { states: [MatchState.ACCEPTED], narrowing: { reportDue: true } },
  overTarget: { states: Object.values(MatchState), narrowing: { overTarget: true } },
} as const;

/** The viewer's section's dashboard: the inbox's count under four filters, in one statement (and the targets). */
export async function sectionDashboard(em: EntityManager, viewer: Viewer): Promise<SectionDashboard> {
  refuse(sectionDashboardRefusal(viewer));
  const parts: Record<string, ReturnType<typeof idsOf>> = {};
  for (const [key, figure] of Object.entries(SECTION_FIGURES)) {
    const where: FilterQuery<Match> = await sectionInboxConditions(em, viewer, figure.states, figure.narrowing);
    parts[key] = idsOf(em, Match, `m_${key}`, where);
  }
  const query = countsQuery(parts);
  const [row] = await em.execute<Array<Record<keyof typeof SECTION_FIGURES, number>>>(query.sql, query.params);
  return {
    sectionId: (viewer as { sectionId: string }).sectionId,
    countedAt: ageingNowFor(em),
    pendingMatches: row?.pendingMatches ?? 0,
    inProgress: row?.inProgress ?? 0,
    reportsDue: row?.reportsDue ?? 0,
    overTarget: row?.overTarget ?? 0,
  };
}
