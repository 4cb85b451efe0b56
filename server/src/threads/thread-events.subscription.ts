import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context.js';
import { FieldErrors, NotFoundError, UnauthenticatedError } from '../errors/domain-errors.js';
import { audienceFactsOf, audienceKeyOf, audienceViewer } from '../events/audience.js';
import type { DeliveredEvent } from '../events/delivered-event.js';
import { eventStream } from '../events/event-stream.js';
import { fanOutOf } from '../events/fan-out.js';
import { filterMapStream } from '../events/filter-map-stream.js';
import { decodeCursor, encodeCursor } from '../events/event-position.js';
import { markShared } from '../events/shared-root.js';
import { viewerForToken } from '../identity/session.service.js';
import type { AccountViewer } from '../identity/viewer.js';
import { ORGANISATION_TOPIC } from '../organisations/organisation.service.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal, PROPOSAL_TOPIC } from '../proposals/proposal.service.js';
import { threadLoadersFor } from './thread.loaders.js';
import { canReadThread } from './thread.policy.js';
import { findVisibleMessage, findVisibleThread } from './thread.reads.js';
import { threadTopic, type ThreadEventPayload } from './thread.service.js';
import type { ThreadEvent, ThreadEventKind } from './thread.types.js';

/** What an audience (or, failing that, one person) may see of one event. */
interface EventView {
  organisationId: string;
  proposal: Proposal;
  event: ThreadEvent | null;
}

/** The view was read for the audience but asked for the person: read it per person. */
const PERSONAL = Symbol('personal');

/**
 * The live stream behind `threadEvents`: a proposal's new threads and new, edited and deleted
 * messages, after `after` (a reconnecting client's last cursor: it gets what it missed, once).
 * Every event re-checks the subscriber's session (one statement for all subscribers of the event)
 * and reads the proposal, thread and message through the visibility rule as they are now — once
 * per audience (role, section, organisation), shared by its subscribers. An INTERNAL event is
 * dropped for a proposer before anything is read — its existence never reaches them. Changes to
 * the proposal (a match declined) or to its organisation (a member leaving) re-check access at
 * once: when it has ended, the stream fails (NOT_FOUND, or UNAUTHENTICATED for an ended session)
 * and delivers nothing more.
 */
export function threadEventStream(context: RequestContext, proposalId: string, after: string | null | undefined): AsyncIterableIterator<ThreadEvent> {
  const position = after ? decodeCursor(after) : null;
  if (after && !position) new FieldErrors().add('after', 'INVALID', 'Not an event cursor').throwIfAny();
  const topic = threadTopic(proposalId);
  const fanOut = fanOutOf(context);
  let organisationId: string | null = null;

  async function authorise(em: EntityManager): Promise<void> {
    const viewer = await viewerForToken(em, context.sessionToken, context.config, { touch: false });
    if (viewer.kind !== 'account') throw new UnauthenticatedError('The session has ended');
    const proposal = await findVisibleProposal(em, viewer, proposalId);
    if (!proposal) throw new NotFoundError('Proposal');
    organisationId = proposal.organisation.id;
  }

  /** Everything here depends on the viewer through role, section and organisation only (see audience.ts). */
  async function readView(em: EntityManager, viewer: AccountViewer, event: DeliveredEvent): Promise<EventView> {
    const proposal = await findVisibleProposal(em, viewer, proposalId);
    if (!proposal) throw new NotFoundError('Proposal');
    const view: EventView = { organisationId: proposal.organisation.id, proposal, event: null };
    if (event.topic !== topic) return view;
    const payload = event.payload as ThreadEventPayload;
    // The audience is decided from the event alone, before any read: INTERNAL never reaches a proposer.
    if (!canReadThread(viewer, { proposal: proposalVisibilityFacts(proposal), audience: payload.audience })) return view;
    const thread = await findVisibleThread(em, viewer, payload.threadId);
    if (!thread) return view;
    const message = payload.messageId ? await findVisibleMessage(em, viewer, payload.messageId) : null;
    view.event = { cursor: encodeCursor(event.position), kind: event.kind as ThreadEventKind, proposalId, threadId: thread.id, messageId: message?.id ?? null, thread, message };
    return view;
  }

  async function readForAudience(viewer: AccountViewer, event: DeliveredEvent, key: string): Promise<EventView | typeof PERSONAL> {
    let personRead = false;
    const audience = audienceFactsOf(viewer);
    try {
      const view = await readView(context.rootEm.fork(), audienceViewer(audience, () => (personRead = true)), event);
      if (personRead) return PERSONAL;
      const proposal = view.proposal;
      // The proposal was read for this audience: every execution for it (or one of its people) may start from it.
      if (view.event) markShared(view.event, { key, audience, prepare: (ctx) => void threadLoadersFor(ctx).proposals.prime(proposalId, proposal) });
      return view;
    } catch (error) {
      if (personRead) return PERSONAL;
      throw error;
    }
  }

  /** What the viewer's audience may see of the event: read once per audience, shared by its subscribers. */
  function viewFor(viewer: AccountViewer, event: DeliveredEvent): Promise<EventView | typeof PERSONAL> {
    const key = `threadEvents|${proposalId}|${encodeCursor(event.position)}|${audienceKeyOf(viewer)}`;
    return fanOut.views.run(key, () => readForAudience(viewer, event, key)) as Promise<EventView | typeof PERSONAL>;
  }

  const source = filterMapStream(eventStream(context.feed, [topic, PROPOSAL_TOPIC, ORGANISATION_TOPIC], position), async (event): Promise<ThreadEvent | null> => {
    if (event.topic === PROPOSAL_TOPIC && event.aggregateId !== proposalId) return null;
    if (event.topic === ORGANISATION_TOPIC && event.aggregateId !== organisationId) return null;
    const viewerNow = fanOut.viewerOf(context.sessionToken);
    // While the session is checked, the audience it had at the last event starts reading: used
    // only if the check confirms that audience, and never delivered before the check.
    const guessed = context.viewer.kind === 'account' ? context.viewer : null;
    const early = guessed ? viewFor(guessed, event) : null;
    early?.catch(() => undefined);
    const viewer = await viewerNow;
    if (viewer.kind !== 'account') throw new UnauthenticatedError('The session has ended');
    const sameAudience = guessed !== null && audienceKeyOf(guessed) === audienceKeyOf(viewer);
    const shared = sameAudience ? await early! : await viewFor(viewer, event);
    // The websocket's subscribe executes per person with this subscriber's viewer, read now.
    context.viewer = viewer;
    // Read per person, the event is executed in this subscriber's context: it needs its own EntityManager.
    if (shared === PERSONAL) context.em = context.rootEm.fork();
    const view = shared === PERSONAL ? await readView(context.em, viewer, event) : shared;
    organisationId = view.organisationId;
    return view.event;
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
