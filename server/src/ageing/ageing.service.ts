import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode, type FilterQuery } from '@mikro-orm/core';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors/domain-errors.js';
import { transact } from '../events/transaction.js';
import type { Viewer } from '../identity/viewer.js';
import type { Match } from '../matches/match.entity.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { matchOverTargetFilter, proposalOverTargetFilter } from './ageing.js';
import { canReadAgeing, canSetStageTarget } from './ageing.policy.js';
import { ageingNowFor, stageTargetsFor } from './ageing.loaders.js';
import { AgeingStage, StageTarget } from './stage-target.entity.js';
import { validateRemindEvery, validateTargetBusinessDays } from './stage-target.validation.js';

export const STAGE_TARGET_TOPIC = 'stageTarget';
export const STAGE_TARGET_CHANGED = 'STAGE_TARGET_CHANGED';

const STAGE_ORDER = Object.values(AgeingStage);

/** Every stage's target, in the order a wait goes through them: one statement. */
export async function readStageTargets(em: EntityManager): Promise<StageTarget[]> {
  const rows = await em.find(StageTarget, {});
  return rows.sort((a, b) => STAGE_ORDER.indexOf(a.stage) - STAGE_ORDER.indexOf(b.stage));
}

/** The targets, for the desk and section staff. */
export async function listStageTargets(em: EntityManager, viewer: Viewer): Promise<StageTarget[]> {
  if (!canReadAgeing(viewer)) throw new ForbiddenError();
  return readStageTargets(em);
}

/**
 * The desk sets a stage's target (1–365 business days) and, when given, how often to remind again
 * once over it (1–365, or null: once; undefined: unchanged); a stale expectedVersion is a CONFLICT.
 */
export async function setStageTarget(
  em: EntityManager,
  viewer: Viewer,
  stage: AgeingStage,
  businessDays: number,
  expectedVersion: number,
  remindEveryBusinessDays?: number | null,
): Promise<StageTarget> {
  if (viewer.kind !== 'account' || !canSetStageTarget(viewer)) throw new ForbiddenError();
  const clean = validateTargetBusinessDays(businessDays);
  const remindEvery = remindEveryBusinessDays === undefined ? undefined : validateRemindEvery(remindEveryBusinessDays);
  await transact(em, async (tx, events) => {
    const target = await tx.findOne(StageTarget, { stage }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!target) throw new NotFoundError('Stage target');
    if (target.version !== expectedVersion) {
      throw new ConflictError('STALE_VERSION', 'The target was changed by someone else since you loaded it', { currentVersion: target.version });
    }
    const sameInterval = remindEvery === undefined || target.remindEveryBusinessDays === remindEvery;
    if (target.businessDays === clean && sameInterval) return; // Nothing changes: a retry of the same call.
    target.businessDays = clean;
    if (remindEvery !== undefined) target.remindEveryBusinessDays = remindEvery;
    target.updatedBy = viewer.accountId;
    target.updatedAt = new Date();
    events.record({ topic: STAGE_TARGET_TOPIC, kind: STAGE_TARGET_CHANGED, aggregateId: stage, actorId: viewer.accountId, payload: { stage, businessDays: clean } });
  });
  return em.fork().findOneOrFail(StageTarget, { stage });
}

/**
 * For the proposals list: "over target" (or not) as a condition, with this operation's "now".
 * Only the ward may filter by it: a proposer filtering their own list would learn what the
 * ageing fields do not tell them.
 */
export async function proposalOverTargetCondition(em: EntityManager, viewer: Viewer, overTarget: boolean): Promise<FilterQuery<Proposal>> {
  if (!canReadAgeing(viewer)) throw new ForbiddenError('Filtering by the ward’s waiting targets is for the desk and sections');
  return proposalOverTargetFilter(await stageTargetsFor(em), ageingNowFor(em), overTarget);
}

/** For the section inbox: the same on matches. */
export async function matchOverTargetCondition(em: EntityManager, viewer: Viewer, overTarget: boolean): Promise<FilterQuery<Match>> {
  if (!canReadAgeing(viewer)) throw new ForbiddenError('Filtering by the ward’s waiting targets is for the desk and sections');
  return matchOverTargetFilter(await stageTargetsFor(em), ageingNowFor(em), overTarget);
}
