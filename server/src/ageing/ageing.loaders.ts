import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context.js';
import { Proposal, type ProposalState } from '../proposals/proposal.entity.js';
import { ageingNow } from './clock.js';
import type { StageTargets } from './ageing.js';
import { AgeingStage, StageTarget } from './stage-target.entity.js';

/** What a match's ageing needs of its proposal (no content). */
export interface ProposalWaitFacts {
  state: ProposalState;
  stateEnteredAt: Date;
}

/**
 * Per-operation state, keyed by the operation's EntityManager (a subscription gets a fresh one per
 * event): every target read in one statement, however many rows ask, and one "now", so the rows'
 * flags and a list's over-target condition agree even across midnight.
 */
interface AgeingOperation {
  now: Date;
  targets: DataLoader<AgeingStage, number>;
  proposals: DataLoader<string, ProposalWaitFacts | null>;
}
const operations = new WeakMap<object, AgeingOperation>();

function operationFor(em: EntityManager): AgeingOperation {
  let found = operations.get(em);
  if (!found) {
    found = {
      now: ageingNow(),
      targets: new DataLoader(async (stages) => {
        const rows = await em.find(StageTarget, {});
        const byStage = new Map(rows.map((row) => [row.stage, row.businessDays]));
        return stages.map((stage) => byStage.get(stage) ?? new Error(`No target for stage ${stage}`));
      }),
      // Only asked for the ACCEPTED lead matches of an inbox page: the viewer's own section's.
      proposals: new DataLoader(async (ids) => {
        const rows = await em.find(Proposal, { id: { $in: [...ids] } }, { fields: ['id', 'state', 'stateEnteredAt'] });
        const byId = new Map(rows.map((row) => [row.id, { state: row.state as ProposalState, stateEnteredAt: row.stateEnteredAt }]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
    };
    operations.set(em, found);
  }
  return found;
}

export function ageingNowFor(em: EntityManager): Date {
  return operationFor(em).now;
}

export function stageTargetLoaderFor(ctx: RequestContext): DataLoader<AgeingStage, number> {
  return operationFor(ctx.em).targets;
}

export function proposalWaitLoaderFor(ctx: RequestContext): DataLoader<string, ProposalWaitFacts | null> {
  return operationFor(ctx.em).proposals;
}

/** Every stage's target, through the same batched read as the rows' ageing. */
export async function stageTargetsFor(em: EntityManager): Promise<StageTargets> {
  const stages = Object.values(AgeingStage);
  const values = await operationFor(em).targets.loadMany(stages);
  return new Map(stages.map((stage, index) => {
    const value = values[index];
    if (value instanceof Error) throw value;
    return [stage, value as number];
  }));
}
