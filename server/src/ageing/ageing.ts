import type { FilterQuery } from '@mikro-orm/core';
import { MatchState, type Match } from '../matches/match.entity.js';
import type { Proposal, ProposalState } from '../proposals/proposal.entity.js';
import { businessDaysWaited, isOverTarget, overTargetCutoff } from './business-days.js';
import { proposalStatesOf, STAGE_OF_PROPOSAL_STATE } from './ageing.policy.js';
import { AgeingStage } from './stage-target.entity.js';
import type { Ageing } from './ageing.types.js';

/** The desk's targets, in business days, by stage. */
export type StageTargets = ReadonlyMap<AgeingStage, number>;

/** The stages a proposal's own state can wait in (MATCH_ANSWER is a match's). */
const PROPOSAL_STAGES = [AgeingStage.INTAKE, AgeingStage.REVIEW, AgeingStage.DIALOGUE, AgeingStage.START_OF_WORK] as const;

export function ageingOf(stage: AgeingStage, since: Date, targetBusinessDays: number, now: Date): Ageing {
  const businessDays = businessDaysWaited(since, now);
  return { stage, since, businessDays, targetBusinessDays, overTarget: isOverTarget(businessDays, targetBusinessDays) };
}

/** The stage a proposal waits in and since when, or null when its state is not watched. */
export function proposalWait(proposal: { state: ProposalState; stateEnteredAt: Date }): { stage: AgeingStage; since: Date } | null {
  const stage = STAGE_OF_PROPOSAL_STATE[proposal.state];
  return stage ? { stage, since: proposal.stateEnteredAt } : null;
}

/** Whether a match's row in the inbox can wait for the start of work: the ACCEPTED lead (主担当課), whose proposal may be AGREED. */
export function mayWaitForStartOfWork(match: { state: MatchState; lead: boolean }): boolean {
  return match.state === MatchState.ACCEPTED && match.lead;
}

/**
 * What a match's row in the section inbox waits on: while PENDING, the section's answer (from
 * when the match was made); for the ACCEPTED lead match of an AGREED proposal, the start of the
 * work, which is that section's to do (from when the proposal was agreed). Otherwise nothing.
 */
export function matchWait(
  match: { state: MatchState; lead: boolean; createdAt: Date },
  proposal: { state: ProposalState; stateEnteredAt: Date } | null,
): { stage: AgeingStage; since: Date } | null {
  if (match.state === MatchState.PENDING) return { stage: AgeingStage.MATCH_ANSWER, since: match.createdAt };
  if (mayWaitForStartOfWork(match) && proposal && STAGE_OF_PROPOSAL_STATE[proposal.state] === AgeingStage.START_OF_WORK) {
    return { stage: AgeingStage.START_OF_WORK, since: proposal.stateEnteredAt };
  }
  return null;
}

function targetOf(targets: StageTargets, stage: AgeingStage): number {
  const target = targets.get(stage);
  if (target === undefined) throw new Error(`No target for stage ${stage}`);
  return target;
}

/**
 * "Over target" (or, with `overTarget` false, "not over target") as a condition on proposals:
 * `state_entered_at < cutoff` per watched state, so lists, counts and pages are decided in SQL.
 */
export function proposalOverTargetFilter(targets: StageTargets, now: Date, overTarget: boolean): FilterQuery<Proposal> {
  const perStage = PROPOSAL_STAGES.map((stage) => ({ states: proposalStatesOf(stage), cutoff: overTargetCutoff(targetOf(targets, stage), now) }));
  if (overTarget) return { $or: perStage.map(({ states, cutoff }) => ({ state: { $in: states }, stateEnteredAt: { $lt: cutoff } })) };
  const watched: ProposalState[] = perStage.flatMap(({ states }) => states);
  return { $or: [{ state: { $nin: watched } }, ...perStage.map(({ states, cutoff }) => ({ state: { $in: states }, stateEnteredAt: { $gte: cutoff } }))] };
}

/**
 * The same for the inbox's matches (see matchWait): PENDING and made before the MATCH_ANSWER
 * cutoff, or the ACCEPTED lead of a proposal agreed before the START_OF_WORK cutoff.
 */
export function matchOverTargetFilter(targets: StageTargets, now: Date, overTarget: boolean): FilterQuery<Match> {
  const answerCutoff = overTargetCutoff(targetOf(targets, AgeingStage.MATCH_ANSWER), now);
  const startCutoff = overTargetCutoff(targetOf(targets, AgeingStage.START_OF_WORK), now);
  const agreed = proposalStatesOf(AgeingStage.START_OF_WORK);
  if (overTarget) {
    return {
      $or: [
        { state: MatchState.PENDING, createdAt: { $lt: answerCutoff } },
        { state: MatchState.ACCEPTED, lead: true, proposal: { state: { $in: agreed }, stateEnteredAt: { $lt: startCutoff } } },
      ],
    };
  }
  return {
    $and: [
      { $or: [{ state: { $ne: MatchState.PENDING } }, { createdAt: { $gte: answerCutoff } }] },
      { $or: [{ state: { $ne: MatchState.ACCEPTED } }, { lead: false }, { proposal: { state: { $nin: agreed } } }, { proposal: { stateEnteredAt: { $gte: startCutoff } } }] },
    ],
  };
}
