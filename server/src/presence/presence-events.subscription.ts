import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context.js';
import { DomainError, NotFoundError, UnauthenticatedError } from '../errors/domain-errors.js';
import type { DeliveredEvent } from '../events/delivered-event.js';
import { eventStream } from '../events/event-stream.js';
import { filterMapStream } from '../events/filter-map-stream.js';
import { encodeCursor } from '../events/event-position.js';
import { viewerForToken } from '../identity/session.service.js';
import type { AccountViewer } from '../identity/viewer.js';
import { canReadThreadNow } from '../notifications/notification.policy.js';
import { ORGANISATION_TOPIC } from '../organisations/organisation.service.js';
import { proposalVisibilityFacts, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal, PROPOSAL_TOPIC } from '../proposals/proposal.service.js';
import type { Audience } from '../shared/audience.js';
import { Thread } from '../threads/thread.entity.js';
import { presenceTiming, type PresenceTiming } from './presence-timing.js';
import {
  joinPresence,
  leavePresence,
  listPresent,
  listTyping,
  presenceTopic,
  refreshPresence,
  typingVisibleTo,
  WORKSPACE_TYPING,
  type PresencePayload,
  type TypingRow,
} from './presence.service.js';
import { WorkspacePresenceEventKind, type WorkspacePresenceEvent, type WorkspacePresent } from './presence.types.js';

interface Snapshot {
  present: WorkspacePresent[];
  typing: TypingRow[];
  /** TYPING: the audience of the thread typed in (null when it is gone). */
  typedIn: Audience | null;
}

/** Every subscriber of this instance receives the same event object: read what it shows once. */
const snapshotOf = new WeakMap<DeliveredEvent, Promise<Snapshot>>();

function readSnapshot(em: EntityManager, event: DeliveredEvent, timing: PresenceTiming): Promise<Snapshot> {
  let snapshot = snapshotOf.get(event);
  if (!snapshot) {
    snapshot = loadSnapshot(em, event, timing);
    snapshotOf.set(event, snapshot);
    snapshot.catch(() => snapshotOf.delete(event));
  }
  return snapshot;
}

async function loadSnapshot(em: EntityManager, event: DeliveredEvent, timing: PresenceTiming): Promise<Snapshot> {
  const payload = event.payload as unknown as PresencePayload;
  let typedIn: Audience | null = null;
  if (event.kind === WORKSPACE_TYPING && payload.threadId) {
    typedIn = (await em.findOne(Thread, { id: payload.threadId, proposal: event.aggregateId }, { fields: ['audience'] }))?.audience ?? null;
  }
  const present = await listPresent(em, event.aggregateId, timing.staleMs);
  const typing = await listTyping(em, event.aggregateId, timing);
  return { present, typing, typedIn };
}

/**
 * The live stream behind `workspacePresence`: who is on a proposal's workspace and who types
 * where. While it is open its connection is present (refreshed every interval, removed when it
 * ends; a crash leaves a row that goes stale). Every event, every refresh and every change on the
 * proposal or its organisation re-reads the viewer and the proposal as they are now; the moment
 * the viewer can no longer see the proposal the stream fails (NOT_FOUND, or UNAUTHENTICATED for an
 * ended session). Typing in a thread the viewer may not read is never delivered, not even as an event.
 */
export function workspacePresenceStream(context: RequestContext, proposalId: string): AsyncIterableIterator<WorkspacePresenceEvent> {
  const timing = { ...presenceTiming() };
  const connectionId = randomUUID();
  const { rootEm, feed, logger } = context;

  /** Who may be on the workspace now, or the error that ends the stream. */
  async function authorise(em: EntityManager): Promise<{ viewer: AccountViewer; facts: ProposalVisibilityFacts; proposalId: string }> {
    const viewer = await viewerForToken(em, context.sessionToken, context.config, { touch: false });
    if (viewer.kind !== 'account') throw new UnauthenticatedError('The session has ended');
    const proposal = await findVisibleProposal(em, viewer, proposalId);
    if (!proposal) throw new NotFoundError('Proposal');
    return { viewer, facts: proposalVisibilityFacts(proposal), proposalId: proposal.id };
  }

  // Listening starts now, before the join below is committed, so the stream shows its own join.
  const source = filterMapStream(eventStream(feed, [presenceTopic(proposalId)], null), async (event): Promise<WorkspacePresenceEvent | null> => {
    const em = rootEm.fork();
    const { viewer, facts } = await authorise(em);
    context.viewer = viewer;
    context.em = em;
    const snapshot = await readSnapshot(rootEm.fork(), event, timing);
    if (event.kind === WORKSPACE_TYPING) {
      // Someone typing where the viewer may not read: nothing at all, not even that something happened.
      if (snapshot.typedIn === null || !canReadThreadNow(viewer, facts, snapshot.typedIn)) return null;
    }
    return {
      cursor: encodeCursor(event.position),
      kind: event.kind === WORKSPACE_TYPING ? WorkspacePresenceEventKind.TYPING : WorkspacePresenceEventKind.PRESENCE,
      proposalId,
      present: snapshot.present,
      typing: typingVisibleTo(viewer, facts, snapshot.typing),
    };
  });

  let closed = false;
  let accountId: string | null = null;
  let organisationId: string | null = null;
  let joined = false;
  let timer: NodeJS.Timeout | null = null;
  let stopWatching: (() => void) | null = null;
  let revoke: (error: unknown) => void = () => undefined;
  const revoked = new Promise<never>((_, reject) => (revoke = reject));
  revoked.catch(() => undefined);

  async function start(): Promise<void> {
    const { viewer, facts } = await authorise(rootEm.fork());
    accountId = viewer.accountId;
    organisationId = facts.organisationId;
    await joinPresence(rootEm.fork(), proposalId, viewer.accountId, connectionId);
    joined = true;
    if (closed) {
      await leave();
      return;
    }
    timer = setInterval(() => void refresh(), timing.refreshMs);
    timer.unref();
    // Access usually ends by a change on the proposal (a match declined) or in the organisation (a member leaves): check at once.
    stopWatching = feed.subscribe((event) => {
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
      else logger.warn({ err: error, proposalId }, 'workspace presence access re-check failed; will retry');
      return false;
    }
  }

  async function refresh(): Promise<void> {
    if (!(await recheck()) || closed || !accountId) return;
    await refreshPresence(rootEm.fork(), proposalId, accountId, connectionId, timing.staleMs).catch((error: unknown) => logger.warn({ err: error, proposalId }, 'workspace presence refresh failed'));
  }

  async function leave(): Promise<void> {
    if (!joined || !accountId) return;
    joined = false;
    await leavePresence(rootEm.fork(), proposalId, accountId, connectionId).catch((error: unknown) => logger.warn({ err: error, proposalId }, 'leaving workspace presence failed; the row goes stale'));
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    if (timer) clearInterval(timer);
    stopWatching?.();
    await source.return?.();
    await leave();
  }

  let started: Promise<void> | null = null;
  const iterator: AsyncIterableIterator<WorkspacePresenceEvent> = {
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
