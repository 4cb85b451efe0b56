import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context.js';
import { FieldErrors, NotFoundError, UnauthenticatedError } from '../errors/domain-errors.js';
import type { DeliveredEvent } from '../events/delivered-event.js';
import { decodeCursor, encodeCursor } from '../events/event-position.js';
import { Account } from '../identity/account.entity.js';
import { viewerForToken } from '../identity/session.service.js';
import { keepPresent, type PresenceAccess } from '../presence/presence-keeper.js';
import { findMeetingForMinutesViewer } from './minutes-access.js';
import { minutesTiming } from './minutes-timing.js';
import { MinutesUpdate } from './minutes-update.entity.js';
import { encodeBase64 } from './minutes-yjs.js';
import { listMinutesPresent, MINUTES_EDITED, MINUTES_PRESENCE, MINUTES_PRESENCE_TABLE, minutesTopic, type MinutesEditedPayload } from './minutes.service.js';
import { MinutesEventKind, type MinutesEvent, type MinutesPresent } from './minutes.types.js';

type Content = Pick<MinutesEvent, 'update' | 'authorId' | 'authorName' | 'present'>;

/**
 * What an event shows is the same for everyone allowed to see it, and every subscriber of this
 * instance receives the same event object: read it once, not once per subscriber.
 */
const contentOf = new WeakMap<DeliveredEvent, Promise<Content | null>>();

function readContent(em: EntityManager, event: DeliveredEvent, staleMs: number): Promise<Content | null> {
  let content = contentOf.get(event);
  if (!content) {
    content = loadContent(em, event, staleMs);
    contentOf.set(event, content);
    // A failed read is not remembered: the next subscriber reads again.
    content.catch(() => contentOf.delete(event));
  }
  return content;
}

async function loadContent(em: EntityManager, event: DeliveredEvent, staleMs: number): Promise<Content | null> {
  if (event.kind === MINUTES_EDITED) {
    const payload = event.payload as unknown as MinutesEditedPayload;
    const row = await em.findOne(MinutesUpdate, { id: payload.updateId, meeting: event.aggregateId });
    if (!row) return null;
    const author = await em.findOne(Account, { id: row.authorId }, { fields: ['displayName'] });
    return { update: encodeBase64(row.update), authorId: row.authorId, authorName: author?.displayName ?? null, present: null };
  }
  if (event.kind === MINUTES_PRESENCE) {
    const present: MinutesPresent[] = await listMinutesPresent(em, event.aggregateId, staleMs);
    return { update: null, authorId: null, authorName: null, present };
  }
  return null;
}

/**
 * The live stream behind `minutesEvents`: a meeting's edits and who is here, after `after`. While
 * it is open its connection is present (refreshed every interval, removed when it ends). Every
 * event, every refresh and every change on the meeting's proposal (a match declined, …) re-reads
 * the viewer and the meeting as they are now; the moment the viewer is outside the audience the
 * stream fails (NOT_FOUND, or UNAUTHENTICATED for an ended session) and delivers nothing more.
 */
export function minutesEventStream(context: RequestContext, meetingId: string, after: string | null | undefined): AsyncIterableIterator<MinutesEvent> {
  const position = after ? decodeCursor(after) : null;
  if (after && !position) new FieldErrors().add('after', 'INVALID', 'Not an event cursor').throwIfAny();
  const timing = { ...minutesTiming() };
  const { rootEm } = context;

  /** Who may read the minutes now, or the error that ends the stream. */
  async function authorise(em: EntityManager): Promise<PresenceAccess> {
    const viewer = await viewerForToken(em, context.sessionToken, context.config, { touch: false });
    if (viewer.kind !== 'account') throw new UnauthenticatedError('The session has ended');
    const meeting = await findMeetingForMinutesViewer(em, viewer, meetingId);
    if (!meeting) throw new NotFoundError('Meeting');
    return { viewer, proposalId: meeting.proposal.id, organisationId: meeting.proposal.organisation.id };
  }

  return keepPresent(context, {
    table: MINUTES_PRESENCE_TABLE,
    scopeId: meetingId,
    topic: minutesTopic(meetingId),
    after: position,
    timing,
    authorise,
    async deliver(event): Promise<MinutesEvent | null> {
      const content = await readContent(rootEm.fork(), event, timing.staleMs);
      if (!content) return null;
      const kind = event.kind === MINUTES_EDITED ? MinutesEventKind.EDITED : MinutesEventKind.PRESENCE;
      return { cursor: encodeCursor(event.position), kind, meetingId, ...content };
    },
    label: 'minutes presence',
    logFields: { meetingId },
  });
}
