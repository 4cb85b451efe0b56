import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context.js';
import { FieldErrors, UnauthenticatedError } from '../errors/domain-errors.js';
import { audienceFactsOf, audienceKeyOf, audienceViewer } from '../events/audience.js';
import type { DeliveredEvent } from '../events/delivered-event.js';
import { eventStream } from '../events/event-stream.js';
import { fanOutOf } from '../events/fan-out.js';
import { filterMapStream } from '../events/filter-map-stream.js';
import { decodeCursor, encodeCursor } from '../events/event-position.js';
import { markShared } from '../events/shared-root.js';
import { Role } from '../identity/account.entity.js';
import type { AccountViewer, Viewer } from '../identity/viewer.js';
import { Audience } from '../shared/audience.js';
import { PROPOSAL_TOPIC, eventConcernsViewer, findVisibleProposal, type ProposalEventPayload } from './proposal.service.js';
import type { ProposalEvent, ProposalEventKind } from './proposal.types.js';

/** The event was read for the audience but asked for the person: read it per person. */
const PERSONAL = Symbol('personal');

/**
 * An event about something with an audience (a meeting) reaches only that audience: INTERNAL is
 * the ward's own, so a proposer is never told it happened, not even by an event with no payload.
 */
function audienceAdmits(viewer: Viewer, payload: ProposalEventPayload): boolean {
  if (payload.audience !== Audience.INTERNAL) return true;
  return viewer.kind === 'account' && (viewer.role === Role.DESK || viewer.role === Role.SECTION);
}

/** Depends on the viewer through role, section and organisation only (see events/audience.ts). */
async function readEvent(em: EntityManager, viewer: AccountViewer, event: DeliveredEvent): Promise<ProposalEvent | null> {
  const payload = event.payload as ProposalEventPayload;
  if (!eventConcernsViewer(viewer, payload)) return null;
  if (!audienceAdmits(viewer, payload)) return null;
  const proposal = await findVisibleProposal(em, viewer, event.aggregateId);
  return { cursor: encodeCursor(event.position), kind: event.kind as ProposalEventKind, proposalId: event.aggregateId, proposal };
}

/**
 * The live stream behind `proposalEvents`: the desk's intake queue and a proposer's home. For
 * each event the subscriber's session is re-checked against the database (a revoked session or a
 * disabled account ends the stream; one statement for all subscribers of the event) and the
 * proposal is read through the visibility rule as the viewer's audience (role, section,
 * organisation: a member who left has none) may see it now — once per audience, shared by its
 * subscribers: the payload is whatever they may see now, or null.
 */
export function proposalEventStream(context: RequestContext, after: string | null | undefined): AsyncIterableIterator<ProposalEvent> {
  const position = after ? decodeCursor(after) : null;
  if (after && !position) new FieldErrors().add('after', 'INVALID', 'Not an event cursor').throwIfAny();
  const fanOut = fanOutOf(context);

  async function readForAudience(viewer: AccountViewer, event: DeliveredEvent, key: string): Promise<ProposalEvent | null | typeof PERSONAL> {
    let personRead = false;
    const audience = audienceFactsOf(viewer);
    try {
      const read = await readEvent(context.rootEm.fork(), audienceViewer(audience, () => (personRead = true)), event);
      if (personRead) return PERSONAL;
      return read && markShared(read, { key, audience });
    } catch (error) {
      if (personRead) return PERSONAL;
      throw error;
    }
  }

  return filterMapStream(eventStream(context.feed, [PROPOSAL_TOPIC], position), async (event) => {
    const viewer = await fanOut.viewerOf(context.sessionToken);
    if (viewer.kind !== 'account') throw new UnauthenticatedError('The session has ended');
    const key = `proposalEvents|${encodeCursor(event.position)}|${audienceKeyOf(viewer)}`;
    const shared = (await fanOut.views.run(key, () => readForAudience(viewer, event, key))) as ProposalEvent | null | typeof PERSONAL;
    // The websocket's subscribe executes per person with this subscriber's viewer, read now.
    context.viewer = viewer;
    if (shared !== PERSONAL) return shared;
    // Read per person, the event is executed in this subscriber's context: it needs its own EntityManager.
    context.em = context.rootEm.fork();
    return readEvent(context.em, viewer, event);
  });
}
