import type { RequestContext } from '../graphql/context.js';
import { FieldErrors, NotFoundError, UnauthenticatedError } from '../errors/domain-errors.js';
import { eventStream } from '../events/event-stream.js';
import { filterMapStream } from '../events/filter-map-stream.js';
import { decodeCursor, encodeCursor } from '../events/event-position.js';
import { viewerForToken } from '../identity/session.service.js';
import type { AccountViewer } from '../identity/viewer.js';
import { ORGANISATION_TOPIC } from '../organisations/organisation.service.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal, PROPOSAL_TOPIC } from '../proposals/proposal.service.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { canReadThread } from './thread.policy.js';
import { findVisibleMessage, findVisibleThread } from './thread.reads.js';
import { threadTopic, type ThreadEventPayload } from './thread.service.js';
import type { ThreadEvent, ThreadEventKind } from './thread.types.js';

/**
 * The live stream behind `threadEvents`: a proposal's new threads and new, edited and deleted
 * messages, after `after` (a reconnecting client's last cursor: it gets what it missed, once).
 * Every event re-reads the viewer and the proposal as they are now. An INTERNAL event is dropped
 * for a proposer before anything is read — its existence never reaches them — and the payload is
 * read through the same visibility as the queries. Changes to the proposal (a match declined) or
 * to its organisation (a member leaving) re-check access at once: when it has ended, the stream
 * fails (NOT_FOUND, or UNAUTHENTICATED for an ended session) and delivers nothing more.
 */
export function threadEventStream(context: RequestContext, proposalId: string, after: string | null | undefined): AsyncIterableIterator<ThreadEvent> {
  const position = after ? decodeCursor(after) : null;
  if (after && !position) new FieldErrors().add('after', 'INVALID', 'Not an event cursor').throwIfAny();
  const topic = threadTopic(proposalId);
  let organisationId: string | null = null;

  async function authorise(em: EntityManager): Promise<{ viewer: AccountViewer; proposal: Proposal }> {
    const viewer = await viewerForToken(em, context.sessionToken, context.config, { touch: false });
    if (viewer.kind !== 'account') throw new UnauthenticatedError('The session has ended');
    const proposal = await findVisibleProposal(em, viewer, proposalId);
    if (!proposal) throw new NotFoundError('Proposal');
    organisationId = proposal.organisation.id;
    return { viewer, proposal };
  }

  const source = filterMapStream(eventStream(context.feed, [topic, PROPOSAL_TOPIC, ORGANISATION_TOPIC], position), async (event): Promise<ThreadEvent | null> => {
    if (event.topic === PROPOSAL_TOPIC && event.aggregateId !== proposalId) return null;
    if (event.topic === ORGANISATION_TOPIC && event.aggregateId !== organisationId) return null;
    const em = context.rootEm.fork();
    const { viewer, proposal } = await authorise(em);
    if (event.topic !== topic) return null;
    const payload = event.payload as ThreadEventPayload;
    // The audience is decided from the event alone, before any read: INTERNAL never reaches a proposer.
    if (!canReadThread(viewer, { proposal: proposalVisibilityFacts(proposal), audience: payload.audience })) return null;
    // The nested field resolvers of this event read the refreshed viewer and a fresh EntityManager.
    context.viewer = viewer;
    context.em = em;
    const thread = await findVisibleThread(em, viewer, payload.threadId);
    if (!thread) return null;
    const message = payload.messageId ? await findVisibleMessage(em, viewer, payload.messageId) : null;
    return { cursor: encodeCursor(event.position), kind: event.kind as ThreadEventKind, proposalId, threadId: thread.id, messageId: message?.id ?? null, thread, message };
  });

  let started: Promise<unknown> | null = null;
  const iterator: AsyncIterableIterator<ThreadEvent> = {
    async next() {
      try {
        started ??= authorise(context.rootEm.fork());
        await started;
        return await source.next();
      } catch (error) {
        // Access ended (or never was): stop listening before reporting it.
        await source.return?.();
        throw error;
      }
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
