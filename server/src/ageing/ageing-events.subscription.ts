import type { RequestContext } from '../graphql/context.js';
import { FieldErrors, ForbiddenError, UnauthenticatedError } from '../errors/domain-errors.js';
import { eventStream } from '../events/event-stream.js';
import { filterMapStream } from '../events/filter-map-stream.js';
import { decodeCursor, encodeCursor } from '../events/event-position.js';
import { viewerForToken } from '../identity/session.service.js';
import { canReadAgeing } from './ageing.policy.js';
import { STAGE_TARGET_TOPIC } from './ageing.service.js';
import type { StageTargetEvent } from './ageing.types.js';
import { StageTarget, type AgeingStage } from './stage-target.entity.js';

/**
 * The live stream behind `stageTargetEvents`, for open settings pages and lists: each event
 * re-reads the viewer (a revoked session ends the stream; a viewer who may no longer read the
 * targets is told nothing) and carries the target as it is now.
 */
export function stageTargetEventStream(context: RequestContext, after: string | null | undefined): AsyncIterableIterator<StageTargetEvent> {
  if (!canReadAgeing(context.viewer)) throw new ForbiddenError();
  const position = after ? decodeCursor(after) : null;
  if (after && !position) new FieldErrors().add('after', 'INVALID', 'Not an event cursor').throwIfAny();
  return filterMapStream(eventStream(context.feed, [STAGE_TARGET_TOPIC], position), async (event) => {
    const em = context.rootEm.fork();
    const viewer = await viewerForToken(em, context.sessionToken, context.config, { touch: false });
    if (viewer.kind !== 'account') throw new UnauthenticatedError('The session has ended');
    context.viewer = viewer;
    context.em = em;
    if (!canReadAgeing(viewer)) return null;
    const target = await em.findOne(StageTarget, { stage: event.aggregateId as AgeingStage });
    return target ? { cursor: encodeCursor(event.position), target } : null;
  });
}
