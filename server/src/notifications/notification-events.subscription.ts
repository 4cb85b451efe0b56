import type { RequestContext } from '../graphql/context.js';
import { FieldErrors, UnauthenticatedError } from '../errors/domain-errors.js';
import { eventStream } from '../events/event-stream.js';
import { filterMapStream } from '../events/filter-map-stream.js';
import { decodeCursor, encodeCursor } from '../events/event-position.js';
import { viewerForToken } from '../identity/session.service.js';
import { Notification } from './notification.entity.js';
import { countUnread, NOTIFICATIONS_READ, type NotificationEventPayload } from './notification.service.js';
import { NotificationEventKind, type NotificationEvent } from './notification.types.js';
import { NOTIFICATION_CREATED, NOTIFICATION_TOPIC } from './notify.js';

/**
 * The live stream behind `notificationEvents`: the signed-in person's own notifications, after
 * `after`. Every event names its recipient; anyone else's is dropped before anything is read. For
 * the viewer's own, the viewer is re-read (an ended session ends the stream) and the notification
 * is resolved through the viewer's current visibility, like the list.
 */
export function notificationEventStream(context: RequestContext, after: string | null | undefined): AsyncIterableIterator<NotificationEvent> {
  const position = after ? decodeCursor(after) : null;
  if (after && !position) new FieldErrors().add('after', 'INVALID', 'Not an event cursor').throwIfAny();
  if (context.viewer.kind !== 'account') throw new UnauthenticatedError();
  // A session belongs to one account for its whole life: the recipient test needs no database.
  const accountId = context.viewer.accountId;
  return filterMapStream(eventStream(context.feed, [NOTIFICATION_TOPIC], position), async (event): Promise<NotificationEvent | null> => {
    const payload = event.payload as unknown as NotificationEventPayload;
    if (payload.recipientId !== accountId) return null;
    const em = context.rootEm.fork();
    const viewer = await viewerForToken(em, context.sessionToken, context.config, { touch: false });
    if (viewer.kind !== 'account' || viewer.accountId !== accountId) throw new UnauthenticatedError('The session has ended');
    // The nested field resolvers of this event read the refreshed viewer and a fresh EntityManager.
    context.viewer = viewer;
    context.em = em;
    if (event.kind === NOTIFICATION_CREATED) {
      const notification = await em.findOne(Notification, { id: payload.notificationId, recipientId: accountId });
      if (!notification) return null;
      return { cursor: encodeCursor(event.position), kind: NotificationEventKind.CREATED, notification, unreadCount: await countUnread(em, viewer) };
    }
    if (event.kind === NOTIFICATIONS_READ) {
      return { cursor: encodeCursor(event.position), kind: NotificationEventKind.READ, notification: null, unreadCount: await countUnread(em, viewer) };
    }
    return null;
  });
}
