import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context.js';
import { DomainError, FieldErrors, NotFoundError, UnauthenticatedError } from '../errors/domain-errors.js';
import type { DeliveredEvent } from '../events/delivered-event.js';
import { eventStream } from '../events/event-stream.js';
import { filterMapStream } from '../events/filter-map-stream.js';
import { decodeCursor, encodeCursor } from '../events/event-position.js';
import { Account } from '../identity/account.entity.js';
import { viewerForToken } from '../identity/session.service.js';
import type { AccountViewer } from '../identity/viewer.js';
import { ORGANISATION_TOPIC } from '../organisations/organisation.service.js';
import { PROPOSAL_TOPIC } from '../proposals/proposal.service.js';
import { findMeetingForMinutesViewer } from './minutes-access.js';
import { minutesTiming } from './minutes-timing.js';
import { MinutesUpdate } from './minutes-update.entity.js';
import { encodeBase64 } from './minutes-yjs.js';
import { joinPresence, leavePresence, listPresent, MINUTES_EDITED, MINUTES_PRESENCE, minutesTopic, refreshPresence, type MinutesEditedPayload } from './minutes.service.js';
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
    const present: MinutesPresent[] = await listPresent(em, event.aggregateId, staleMs);
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
  const connectionId = randomUUID();
  const { rootEm, feed, logger } = context;

  /** Who may read the minutes now, or the error that ends the stream. */
  async function authorise(em: EntityManager): Promise<{ viewer: AccountViewer; proposalId: string; organisationId: string }> {
    const viewer = await viewerForToken(em, context.sessionToken, context.config, { touch: false });
    if (viewer.kind !== 'account') throw new UnauthenticatedError('The session has ended');
    const meeting = await findMeetingForMinutesViewer(em, viewer, meetingId);
    if (!meeting) throw new NotFoundError('Meeting');
    return { viewer, proposalId: meeting.proposal.id, organisationId: meeting.proposal.organisation.id };
  }

  // Listening starts now, before the join below is committed, so the stream shows its own join.
  const source = filterMapStream(eventStream(feed, [minutesTopic(meetingId)], position), async (event): Promise<MinutesEvent | null> => {
    const em = rootEm.fork();
    const { viewer } = await authorise(em);
    context.viewer = viewer;
    context.em = em;
    const content = await readContent(rootEm.fork(), event, timing.staleMs);
    if (!content) return null;
    const kind = event.kind === MINUTES_EDITED ? MinutesEventKind.EDITED : MinutesEventKind.PRESENCE;
    return { cursor: encodeCursor(event.position), kind, meetingId, ...content };
  });

  let closed = false;
  let accountId: string | null = null;
  let joined = false;
  let timer: NodeJS.Timeout | null = null;
  let stopWatchingProposal: (() => void) | null = null;
  let revoke: (error: unknown) => void = () => undefined;
  const revoked = new Promise<never>((_, reject) => (revoke = reject));
  revoked.catch(() => undefined);

  async function start(): Promise<void> {
    const { viewer, proposalId, organisationId } = await authorise(rootEm.fork());
    accountId = viewer.accountId;
    await joinPresence(rootEm.fork(), meetingId, viewer.accountId, connectionId);
    joined = true;
    if (closed) {
      await leave();
      return;
    }
    timer = setInterval(() => void refresh(), timing.refreshMs);
    timer.unref();
    // Access usually ends by a change on the proposal (a match declined or withdrawn) or in the
    // proposing organisation (a member leaves or is removed): check at once.
    stopWatchingProposal = feed.subscribe((event) => {
      if ((event.topic === PROPOSAL_TOPIC && event.aggregateId === proposalId) || (event.topic === ORGANISATION_TOPIC && event.aggregateId === organisationId)) void recheck();
    });
  }

  async function recheck(): Promise<boolean> {
    if (closed) return false;
    try {
      await authorise(rootEm.fork());
      return true;
    } catch (error) {
      if (error instanceof DomainError) revoke(error);
      else logger.warn({ err: error, meetingId }, 'minutes access re-check failed; will retry');
      return false;
    }
  }

  async function refresh(): Promise<void> {
    if (!(await recheck()) || closed || !accountId) return;
    await refreshPresence(rootEm.fork(), meetingId, accountId, connectionId, timing.staleMs).catch((error: unknown) => logger.warn({ err: error, meetingId }, 'minutes presence refresh failed'));
  }

  async function leave(): Promise<void> {
    if (!joined || !accountId) return;
    joined = false;
    await leavePresence(rootEm.fork(), meetingId, accountId, connectionId).catch((error: unknown) => logger.warn({ err: error, meetingId }, 'leaving minutes presence failed; the row goes stale'));
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    if (timer) clearInterval(timer);
    stopWatchingProposal?.();
    await source.return?.();
    await leave();
  }

  let started: Promise<void> | null = null;
  const iterator: AsyncIterableIterator<MinutesEvent> = {
    async next() {
      if (closed) return { value: undefined, done: true };
      try {
        started ??= start();
        await Promise.race([started, revoked]);
        if (closed) return { value: undefined, done: true };
        return await Promise.race([source.next(), revoked]);
      } catch (error) {
        await close();
        throw error;
      }
    },
    async return() {
      await close();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
