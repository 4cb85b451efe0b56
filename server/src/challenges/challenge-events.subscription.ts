import type { RequestContext } from '../graphql/context.js';
import { FieldErrors, UnauthenticatedError } from '../errors/domain-errors.js';
import { eventStream } from '../events/event-stream.js';
import { filterMapStream } from '../events/filter-map-stream.js';
import { decodeCursor, encodeCursor } from '../events/event-position.js';
import { viewerForToken } from '../identity/session.service.js';
import { CHALLENGE_TOPIC, eventConcernsViewer, findVisibleChallenge, type ChallengeEventPayload } from './challenge.service.js';
import type { ChallengeEvent, ChallengeEventKind } from './challenge.types.js';

/**
 * The live stream behind `challengeEvents`. For each event the viewer is re-read from the
 * database (a revoked session or disabled account ends the stream) and the challenge is read
 * through the visibility rule: the payload is whatever the viewer may see now, or null.
 */
export function challengeEventStream(context: RequestContext, after: string | null | undefined): AsyncIterableIterator<ChallengeEvent> {
  const position = after ? decodeCursor(after) : null;
  if (after && !position) new FieldErrors().add('after', 'INVALID', 'Not an event cursor').throwIfAny();
  const signedInAtStart = context.viewer.kind === 'account';
  return filterMapStream(eventStream(context.feed, [CHALLENGE_TOPIC], position), async (event) => {
    const em = context.rootEm.fork();
    const viewer = await viewerForToken(em, context.sessionToken, context.config, { touch: false });
    if (signedInAtStart && viewer.kind !== 'account') throw new UnauthenticatedError('The session has ended');
    // The nested field resolvers of this event read the refreshed viewer and a fresh EntityManager.
    context.viewer = viewer;
    context.em = em;
    const payload = event.payload as ChallengeEventPayload;
    if (!eventConcernsViewer(viewer, payload)) return null;
    const challenge = await findVisibleChallenge(em, viewer, event.aggregateId);
    return { cursor: encodeCursor(event.position), kind: event.kind as ChallengeEventKind, challengeId: event.aggregateId, challenge };
  });
}
