import type { RequestContext } from '../graphql/context.js';
import { FieldErrors, UnauthenticatedError } from '../errors/domain-errors.js';
import { eventStream } from '../events/event-stream.js';
import { filterMapStream } from '../events/filter-map-stream.js';
import { decodeCursor, encodeCursor } from '../events/event-position.js';
import { Role } from '../identity/account.entity.js';
import { viewerForToken } from '../identity/session.service.js';
import type { Viewer } from '../identity/viewer.js';
import { Audience } from '../shared/audience.js';
import { PROPOSAL_TOPIC, eventConcernsViewer, findVisibleProposal, type ProposalEventPayload } from './proposal.service.js';
import type { ProposalEvent, ProposalEventKind } from './proposal.types.js';

/**
 * An event about something with an audience (a meeting) reaches only that audience: INTERNAL is
 * the ward's own, so a proposer is never told it happened, not even by an event with no payload.
 */
function audienceAdmits(viewer: Viewer, payload: ProposalEventPayload): boolean {
  if (payload.audience !== Audience.INTERNAL) return true;
  return viewer.kind === 'account' && (viewer.role === Role.DESK || viewer.role === Role.SECTION);
}

/**
 * The live stream behind `proposalEvents`: the desk's intake queue and a proposer's home. For
 * each event the viewer is re-read from the database (a member who left the organisation, a
 * revoked session or a disabled account is authorised as they are now) and the proposal is read
 * through the visibility rule: the payload is whatever the viewer may see now, or null.
 */
export function proposalEventStream(context: RequestContext, after: string | null | undefined): AsyncIterableIterator<ProposalEvent> {
  const position = after ? decodeCursor(after) : null;
  if (after && !position) new FieldErrors().add('after', 'INVALID', 'Not an event cursor').throwIfAny();
  return filterMapStream(eventStream(context.feed, [PROPOSAL_TOPIC], position), async (event) => {
    const em = context.rootEm.fork();
    const viewer = await viewerForToken(em, context.sessionToken, context.config, { touch: false });
    if (viewer.kind !== 'account') throw new UnauthenticatedError('The session has ended');
    // The nested field resolvers of this event read the refreshed viewer and a fresh EntityManager.
    context.viewer = viewer;
    context.em = em;
    const payload = event.payload as ProposalEventPayload;
    if (!eventConcernsViewer(viewer, payload)) return null;
    if (!audienceAdmits(viewer, payload)) return null;
    const proposal = await findVisibleProposal(em, viewer, event.aggregateId);
    return { cursor: encodeCursor(event.position), kind: event.kind as ProposalEventKind, proposalId: event.aggregateId, proposal };
  });
}
