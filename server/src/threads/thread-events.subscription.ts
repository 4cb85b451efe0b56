import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context.js';
import { asError, markGroupable, type GroupableStream } from '../graphql/live-delivery.js';
import { FieldErrors, NotFoundError, UnauthenticatedError } from '../errors/domain-errors.js';
import { audienceFactsOf, audienceKeyOf, audienceViewer } from '../events/audience.js';
import type { DeliveredEvent } from '../events/delivered-event.js';
import { eventStream, type DetachableStream } from '../events/event-stream.js';
import { fanOutOf, type FanOut } from '../events/fan-out.js';
import { decodeCursor, encodeCursor, type EventPosition } from '../events/event-position.js';
import { markShared } from '../events/shared-root.js';
import { hashToken } from '../identity/session.service.js';
import type { AccountViewer, Viewer } from '../identity/viewer.js';
import { confirmsLater, handOverUnconfirmed } from '../events/delivery-confirmation.js';
import { ORGANISATION_TOPIC } from '../organisations/organisation.service.js';
import { canSeeProposal, proposalVisibilityFacts, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal, proposalFactsForAudiences, PROPOSAL_TOPIC } from '../proposals/proposal.service.js';
import type { Message } from './message.entity.js';
import type { Thread } from './thread.entity.js';
import { threadLoadersFor } from './thread.loaders.js';
import { canReadThread } from './thread.policy.js';
import { findVisibleMessage, findVisibleThread, threadAndMessageForAudiences } from './thread.reads.js';
import { threadTopic, type ThreadEventPayload } from './thread.service.js';
import type { ThreadEvent, ThreadEventKind } from './thread.types.js';

/** What an audience (or, failing that, one person) may see of one event. */
interface EventView {
  /** The proposal's visibility facts as read for the event (its organisation, for the stream's filter, among them). */
  facts: ProposalVisibilityFacts;
  event: ThreadEvent | null;
}

/** The view was read for the audience but asked for the person: read it per person. */
const PERSONAL = Symbol('personal');

/**
 * The live stream behind `threadEvents`: a proposal's new threads and new, edited and deleted
 * messages, after `after` (a reconnecting client's last cursor: it gets what it missed, once).
 * Every event re-checks the subscriber's session (one small statement for all subscribers of the event)
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
  return markGroupable(new ThreadEventStream(context, proposalId, position));
}

/**
 * One subscriber's stream. A class rather than a set of closures: an idle subscriber keeps it for
 * hours, so it holds a few fields and its behaviour lives once on the prototype.
 */
class ThreadEventStream implements AsyncIterableIterator<ThreadEvent>, GroupableStream {
  private readonly topic: string;
  private readonly fanOut: FanOut;
  private readonly source: DetachableStream;
  private organisationId: string | null = null;
  private started: Promise<void> | null = null;
  /** The session token's hash, worked out at the first grouped event: the group checks sessions by it at every event. */
  private tokenHash: string | undefined | null = null;

  constructor(
    private readonly context: RequestContext,
    private readonly proposalId: string,
    position: EventPosition | null,
  ) {
    this.topic = threadTopic(proposalId);
    this.fanOut = fanOutOf(context);
    this.source = eventStream(context.feed, this.groupTopics, position);
  }

  get groupKey(): string {
    return `threadEvents|${this.proposalId}`;
  }

  get groupTopics(): readonly string[] {
    return [this.topic, PROPOSAL_TOPIC, ORGANISATION_TOPIC];
  }

  /**
   * Whether the proposal is visible now; the proposal's organisation for the stream's filter. The
   * session was read for this very operation a moment ago (graphql/request-context.ts, batched with
   * the others opened in that turn) and the field's access rule has checked it; each event reads it
   * again. The proposal is read once per audience, as for events (a thousand desk staff opening one
   * dialogue cost a thousand ORM reads of their session and the proposal otherwise).
   */
  private async authorise(): Promise<void> {
    const { context, proposalId } = this;
    const viewer = context.viewer;
    if (viewer.kind !== 'account') throw new UnauthenticatedError('The session has ended');
    const key = `threadEvents:open|${proposalId}|${audienceKeyOf(viewer)}`;
    let organisationId = (await this.fanOut.views.run(key, () => this.visibleOrganisationForAudience(viewer))) as string | null | typeof PERSONAL;
    if (organisationId === PERSONAL) organisationId = (await findVisibleProposal(context.rootEm.fork(), viewer, proposalId))?.organisation.id ?? null;
    if (!organisationId) throw new NotFoundError('Proposal');
    this.organisationId = organisationId;
  }

  /** The proposal's organisation when the viewer's audience may see the proposal now, else null. */
  private async visibleOrganisationForAudience(viewer: AccountViewer): Promise<string | null | typeof PERSONAL> {
    let personRead = false;
    try {
      const proposal = await findVisibleProposal(this.context.rootEm.fork(), audienceViewer(audienceFactsOf(viewer), () => (personRead = true)), this.proposalId);
      return personRead ? PERSONAL : (proposal?.organisation.id ?? null);
    } catch (error) {
      if (personRead) return PERSONAL;
      throw error;
    }
  }

  /** Everything here depends on the viewer through role, section and organisation only (see audience.ts). */
  private async readView(em: EntityManager, viewer: AccountViewer, event: DeliveredEvent): Promise<EventView> {
    const { proposalId } = this;
    const proposal = await findVisibleProposal(em, viewer, proposalId);
    if (!proposal) throw new NotFoundError('Proposal');
    const facts = proposalVisibilityFacts(proposal);
    const view: EventView = { facts, event: null };
    if (event.topic !== this.topic) return view;
    const payload = event.payload as ThreadEventPayload;
    // The audience is decided from the event alone, before any read: INTERNAL never reaches a proposer.
    if (!canReadThread(viewer, { proposal: facts, audience: payload.audience })) return view;
    const thread = await findVisibleThread(em, viewer, payload.threadId);
    if (!thread) return view;
    const message = payload.messageId ? await findVisibleMessage(em, viewer, payload.messageId) : null;
    view.event = { cursor: encodeCursor(event.position), kind: event.kind as ThreadEventKind, proposalId, threadId: thread.id, messageId: message?.id ?? null, thread, message };
    return view;
  }

  /** The proposal's visibility facts as they are now, read once per event for all its audiences (each decides with canSeeProposal). */
  private proposalNow(event: DeliveredEvent): Promise<ProposalVisibilityFacts | null> {
    const key = `threadEvents:proposal|${this.proposalId}|${encodeCursor(event.position)}`;
    return this.fanOut.views.run(key, () => proposalFactsForAudiences(this.context.rootEm, this.proposalId)) as Promise<ProposalVisibilityFacts | null>;
  }

  /**
   * The event's thread and message as they are now, read once per event for all its audiences
   * (each decides with canReadThread): one statement, the message with its thread, when the
   * event names a message.
   */
  private threadAndMessageNow(event: DeliveredEvent, payload: ThreadEventPayload): Promise<{ thread: Thread | null; message: Message | null }> {
    const key = `threadEvents:thread|${this.proposalId}|${encodeCursor(event.position)}`;
    return this.fanOut.views.run(key, () => threadAndMessageForAudiences(this.context.rootEm.fork(), this.proposalId, payload.threadId, payload.messageId ?? null)) as Promise<{
      thread: Thread | null;
      message: Message | null;
    }>;
  }

  /**
   * readView for an audience, from rows read once for every audience of the event: the same
   * decisions as the visibility filters of readView's reads, made by the pure policies they mirror
   * (canSeeProposal, canReadThread).
   */
  private async audienceView(viewer: AccountViewer, event: DeliveredEvent): Promise<EventView> {
    const { proposalId } = this;
    // The rows are read once per event, side by side; what this audience may see of them is decided below, before anything is kept.
    const rows = event.topic === this.topic ? this.threadAndMessageNow(event, event.payload as ThreadEventPayload) : null;
    rows?.catch(() => undefined);
    const facts = await this.proposalNow(event);
    if (!facts || !canSeeProposal(viewer, facts)) throw new NotFoundError('Proposal');
    const view: EventView = { facts, event: null };
    if (event.topic !== this.topic) return view;
    const payload = event.payload as ThreadEventPayload;
    // The audience is decided from the event alone, before the rows are looked at: INTERNAL never reaches a proposer.
    if (!canReadThread(viewer, { proposal: facts, audience: payload.audience })) return view;
    const { thread, message } = await rows!;
    if (!thread || !canReadThread(viewer, { proposal: facts, audience: thread.audience })) return view;
    view.event = { cursor: encodeCursor(event.position), kind: event.kind as ThreadEventKind, proposalId, threadId: thread.id, messageId: message?.id ?? null, thread, message };
    return view;
  }

  private async readForAudience(viewer: AccountViewer, event: DeliveredEvent, key: string): Promise<EventView | typeof PERSONAL> {
    let personRead = false;
    const audience = audienceFactsOf(viewer);
    const { proposalId } = this;
    try {
      const view = await this.audienceView(audienceViewer(audience, () => (personRead = true)), event);
      if (personRead) return PERSONAL;
      const facts = view.facts;
      // The proposal was read for this audience: every execution for it (or one of its people) may decide by it.
      if (view.event) markShared(view.event, { key, audience, prepare: (ctx) => void threadLoadersFor(ctx).proposalFacts.prime(proposalId, facts) });
      return view;
    } catch (error) {
      if (personRead) return PERSONAL;
      throw error;
    }
  }

  /** What the viewer's audience may see of the event: read once per audience, shared by its subscribers. */
  private viewFor(viewer: AccountViewer, event: DeliveredEvent): Promise<EventView | typeof PERSONAL> {
    const key = `threadEvents|${this.proposalId}|${encodeCursor(event.position)}|${audienceKeyOf(viewer)}`;
    return this.fanOut.views.run(key, () => this.readForAudience(viewer, event, key)) as Promise<EventView | typeof PERSONAL>;
  }

  /** The event as this subscriber may see it now, or null when it is not for them. */
  private async deliver(event: DeliveredEvent): Promise<ThreadEvent | null> {
    const { context } = this;
    if (event.topic === PROPOSAL_TOPIC && event.aggregateId !== this.proposalId) return null;
    if (event.topic === ORGANISATION_TOPIC && event.aggregateId !== this.organisationId) return null;
    const viewerNow = this.fanOut.viewerOf(context.sessionToken);
    // Awaited only after the early view: a check failing first (the database gone) must not be an unhandled rejection, which ends the process.
    viewerNow.catch(() => undefined);
    // While the session is checked, the audience it had at the last event starts reading: used
    // only if the check confirms that audience, and never delivered before the check.
    const guessed = context.viewer.kind === 'account' ? context.viewer : null;
    const early = guessed ? this.viewFor(guessed, event) : null;
    early?.catch(() => undefined);
    if (guessed && early && confirmsLater(context)) {
      const handed = await this.handOverEarly(guessed, early, viewerNow, event);
      if (handed) return handed;
    }
    return this.confirmed(await viewerNow, guessed, early, event);
  }

  /**
   * The audience's view of the event handed over before the session check has answered, so that
   * its execution runs alongside the check (events/delivery-confirmation.ts); the consumer sends
   * it only once confirmed. Null when there is nothing to hand over early (the audience sees
   * nothing of the event, or its view has to be read per person): the caller waits for the check.
   */
  private async handOverEarly(guessed: AccountViewer, early: Promise<EventView | typeof PERSONAL>, viewerNow: Promise<Viewer>, event: DeliveredEvent): Promise<ThreadEvent | null> {
    const shared = await early.catch(() => null);
    if (!shared || shared === PERSONAL || !shared.event) return null;
    handOverUnconfirmed(this.context, viewerNow.then((viewer) => this.confirmed(viewer, guessed, early, event)));
    return shared.event;
  }

  /** The event for the subscriber's viewer as the session check found it: the audience's shared view, or one read for the person. */
  private async confirmed(viewer: Viewer, guessed: AccountViewer | null, early: Promise<EventView | typeof PERSONAL> | null, event: DeliveredEvent): Promise<ThreadEvent | null> {
    const { context } = this;
    if (viewer.kind !== 'account') throw new UnauthenticatedError('The session has ended');
    const sameAudience = guessed !== null && audienceKeyOf(guessed) === audienceKeyOf(viewer);
    const shared = sameAudience ? await early! : await this.viewFor(viewer, event);
    // The websocket's subscribe executes per person with this subscriber's viewer, read now.
    context.viewer = viewer;
    // Read per person, the event is executed in this subscriber's context: it needs its own EntityManager.
    if (shared === PERSONAL) context.em = context.rootEm.fork();
    const view = shared === PERSONAL ? await this.readView(context.em, viewer, event) : shared;
    this.organisationId = view.facts.organisationId;
    return view.event;
  }

  private sessionHash(): string | undefined {
    if (this.tokenHash === null) this.tokenHash = this.context.sessionToken ? hashToken(this.context.sessionToken) : undefined;
    return this.tokenHash;
  }

  async ready(): Promise<void> {
    try {
      this.started ??= this.authorise();
      await this.started;
    } catch (error) {
      await this.source.return?.();
      throw error;
    }
  }

  detach(): { last: EventPosition | null } | undefined {
    return this.source.detach();
  }

  /**
   * deliver() for every stream of this proposal's group at once (graphql/live-delivery.ts): one
   * session check for all of them, the view of each audience they had at the last event read
   * meanwhile, and each stream's root decided from those without a promise of its own. A stream
   * whose audience changed, or whose view must be read per person, goes its own way (confirmed).
   */
  async rootsFor(event: DeliveredEvent, group: GroupableStream[], early: (root: unknown, indexes: number[]) => void): Promise<unknown[]> {
    const streams = group as ThreadEventStream[];
    const roots: unknown[] = streams.map(() => null);
    if (event.topic === PROPOSAL_TOPIC && event.aggregateId !== this.proposalId) return roots;
    const concerned: number[] = [];
    for (let index = 0; index < streams.length; index++) if (event.topic !== ORGANISATION_TOPIC || event.aggregateId === streams[index]!.organisationId) concerned.push(index);
    if (concerned.length === 0) return roots;
    const viewersNow = this.fanOut.viewersOfHashes(concerned.map((index) => streams[index]!.sessionHash()));
    // Awaited only after the early views are started: a failing check is the caller's, never an unhandled rejection.
    viewersNow.catch(() => undefined);
    // While the sessions are checked, the view of each audience the streams had at the last event is read.
    const audiences = new Map<string, { viewer: AccountViewer; indexes: number[] }>();
    // Each member's audience at the last event, worked out once here and compared below.
    const guessedKeys: Array<string | null> = streams.map(() => null);
    for (const index of concerned) {
      const guessed = streams[index]!.context.viewer;
      if (guessed.kind !== 'account') continue;
      const key = audienceKeyOf(guessed);
      guessedKeys[index] = key;
      const audience = audiences.get(key);
      if (audience) audience.indexes.push(index);
      else audiences.set(key, { viewer: guessed, indexes: [index] });
    }
    const views = new Map<string, Promise<EventView | typeof PERSONAL>>();
    for (const [key, { viewer, indexes }] of audiences) {
      const view = this.viewFor(viewer, event);
      view.then((found) => found !== PERSONAL && found.event && early(found.event, indexes), () => undefined);
      views.set(key, view);
    }
      const viewers = await viewersNow;
    const seen = new Map<string, EventView | typeof PERSONAL | Error>();
    await Promise.all([...views].map(([key, view]) => view.then((found) => void seen.set(key, found), (error: unknown) => void seen.set(key, asError(error)))));
    const ownWay: Array<Promise<void>> = [];
    concerned.forEach((index, k) => {
      const stream = streams[index]!;
      const viewer = viewers[k];
      if (viewer === undefined) {
        roots[index] = new UnauthenticatedError('The session has ended');
        return;
      }
      const guessed = stream.context.viewer.kind === 'account' ? stream.context.viewer : null;
      const guessedKey = guessedKeys[index]!;
      // A session unchanged since the last event keeps its very viewer object (session-viewers.ts).
      const sameAudience = guessed !== null && (viewer === guessed || guessedKey === audienceKeyOf(viewer));
      const view = sameAudience ? seen.get(guessedKey) : undefined;
      if (view === undefined || view === PERSONAL) {
        const settle = stream.confirmed(viewer, guessed, guessed ? (views.get(audienceKeyOf(guessed)) ?? null) : null, event);
        ownWay.push(settle.then((root) => void (roots[index] = root), (error: unknown) => void (roots[index] = asError(error))));
      } else if (view instanceof Error) {
        roots[index] = view;
      } else {
        stream.context.viewer = viewer;
        stream.organisationId = view.facts.organisationId;
        roots[index] = view.event;
      }
    });
    await Promise.all(ownWay);
    return roots;
  }

  async next(): Promise<IteratorResult<ThreadEvent>> {
    try {
      this.started ??= this.authorise();
      await this.started;
      for (;;) {
        const result = await this.source.next();
        if (result.done) return { value: undefined, done: true };
        const event = await this.deliver(result.value);
        if (event) return { value: event, done: false };
      }
    } catch (error) {
      // Access ended (or never was): stop listening before reporting it.
      await this.source.return?.();
      throw error;
    }
  }

  async return(): Promise<IteratorResult<ThreadEvent>> {
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ThreadEvent>> {
    await this.source.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ThreadEvent> {
    return this;
  }
}
