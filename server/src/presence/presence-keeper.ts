import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context.js';
import { DomainError } from '../errors/domain-errors.js';
import type { DeliveredEvent } from '../events/delivered-event.js';
import type { EventPosition } from '../events/event-position.js';
import { eventStream } from '../events/event-stream.js';
import { filterMapStream } from '../events/filter-map-stream.js';
import type { AccountViewer } from '../identity/viewer.js';
import { ORGANISATION_TOPIC } from '../organisations/organisation.service.js';
import { PROPOSAL_TOPIC } from '../proposals/proposal.service.js';
import { joinPresence, leavePresence, refreshPresence, type PresenceTable } from './presence-rows.js';

/** What a present viewer may be present on now: who they are, and the proposal and organisation whose changes may end it. */
export interface PresenceAccess {
  viewer: AccountViewer;
  proposalId: string;
  organisationId: string;
}

export interface KeptPresence<A extends PresenceAccess, T> {
  /** The table and the meeting's or proposal's id the connection is present on. */
  table: PresenceTable;
  scopeId: string;
  /** The topic the stream listens to, and where it resumes (null: from now). */
  topic: string;
  after: EventPosition | null;
  timing: { refreshMs: number; staleMs: number };
  /** Who may be present now, or the error (a DomainError) that ends the stream. */
  authorise(em: EntityManager): Promise<A>;
  /** What one event shows this viewer (null: nothing), once `authorise` let them in. */
  deliver(event: DeliveredEvent, access: A): Promise<T | null>;
  /** Names the stream in the log (e.g. 'minutes presence'), with the fields to log beside it. */
  label: string;
  logFields: Record<string, string>;
}

/**
 * Keeps a live subscription's connection present: listening starts at once (before the join
 * commits, so the stream shows its own join); the first next() authorises and joins; every
 * `refreshMs` the access is re-checked and the row refreshed (sweeping stale ones); any change on
 * the proposal or its organisation re-checks at once; the moment the viewer is outside the
 * audience the stream fails with that error. However it ends (return, throw, failure), the row
 * goes and the others are told; a crash leaves a row that goes stale after `staleMs`.
 * Every event re-reads the viewer as they are now before `deliver` sees it.
 */
export function keepPresent<A extends PresenceAccess, T>(context: RequestContext, kept: KeptPresence<A, T>): AsyncIterableIterator<T> {
  const { table, scopeId, timing, authorise, label, logFields } = kept;
  const connectionId = randomUUID();
  const { rootEm, feed, logger } = context;

  const source = filterMapStream(eventStream(feed, [kept.topic], kept.after), async (event): Promise<T | null> => {
    const em = rootEm.fork();
    const access = await authorise(em);
    context.viewer = access.viewer;
    context.em = em;
    return kept.deliver(event, access);
  });

  let closed = false;
  let accountId: string | null = null;
  let joined = false;
  let timer: NodeJS.Timeout | null = null;
  let stopWatching: (() => void) | null = null;
  let revoke: (error: unknown) => void = () => undefined;
  const revoked = new Promise<never>((_, reject) => (revoke = reject));
  revoked.catch(() => undefined);

  async function start(): Promise<void> {
    const { viewer, proposalId, organisationId } = await authorise(rootEm.fork());
    accountId = viewer.accountId;
    await joinPresence(rootEm.fork(), table, scopeId, viewer.accountId, connectionId);
    joined = true;
    if (closed) {
      await leave();
      return;
    }
    timer = setInterval(() => void refresh(), timing.refreshMs);
    timer.unref();
    // Access usually ends by a change on the proposal (a match declined or withdrawn) or in the
    // proposing organisation (a member leaves or is removed): check at once.
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
      else logger.warn({ err: error, ...logFields }, `${label} access re-check failed; will retry`);
      return false;
    }
  }

  async function refresh(): Promise<void> {
    if (!(await recheck()) || closed || !accountId) return;
    await refreshPresence(rootEm.fork(), table, scopeId, accountId, connectionId, timing.staleMs).catch((error: unknown) => logger.warn({ err: error, ...logFields }, `${label} refresh failed`));
  }

  async function leave(): Promise<void> {
    if (!joined || !accountId) return;
    joined = false;
    await leavePresence(rootEm.fork(), table, scopeId, accountId, connectionId).catch((error: unknown) => logger.warn({ err: error, ...logFields }, `leaving ${label} failed; the row goes stale`));
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
  const iterator: AsyncIterableIterator<T> = {
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
