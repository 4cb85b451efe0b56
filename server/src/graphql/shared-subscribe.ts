import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { expectConfirmations, takeConfirmation, type Confirmation } from '../events/delivery-confirmation.js';
import type { EventPosition } from '../events/event-position.js';
import { fanOutOf } from '../events/fan-out.js';
import { LiveGroup } from '../events/live-group.js';
import { sharedRootOf } from '../events/shared-root.js';
import type { RequestContext } from './context.js';
import { shapeCache, type DocumentShape } from './document-shape.js';
import { deliverToGroup, groupableOf, type Delivery, type GroupableStream, type GroupedSubscription, type LiveSink } from './live-delivery.js';
import { releaseEntityManager } from './request-context.js';
import { PER_PERSON_FIELDS } from './per-person-fields.js';
import { executeForAudience, executeForPerson, PERSONAL, type Outcome } from './shared-execution.js';

/**
 * graphql-ws's `subscribe`: opens the source stream as graphql does, then executes each event.
 * A root value marked shared (see shared-root.ts) is executed once per (event and audience,
 * document, variables) and that one result goes to every subscriber of the group. When the
 * document selects per-person fields, only those are executed per person (once for all of a
 * person's tabs) and merged with the audience's part; when an execution for the audience turns
 * out to read the person anyway, that subscriber's events are executed per person from then on.
 * Authorisation stays with the stream: it decided, per audience and against current data, what
 * the root value holds, and checked each subscriber's session before handing it over. Other
 * roots are executed per subscriber, as before.
 *
 * A subscriber of a stream that can be served as a group (live-delivery.ts), once it has caught
 * up, leaves graphql-ws's loop: its group handles each live event once for all its members and
 * writes the results to their sockets itself.
 */
export function sharedSubscribe(perPersonFields: ReadonlySet<string> = PER_PERSON_FIELDS) {
  const shapeFor = shapeCache(perPersonFields);
  return async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in Object(source))) return source as ExecutionResult;
    const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]() as AsyncIterableIterator<unknown>;
    return new SharedSubscription(args, iterator, shapeFor);
  };
}

/** How a grouped subscription's pending next() ends: done when it is closed, an error when its stream fails. */
interface Ending {
  resolve: (result: IteratorResult<ExecutionResult>) => void;
  reject: (error: unknown) => void;
}

/**
 * One subscriber's results. A class rather than closures: an idle subscriber keeps it for hours,
 * so it holds a few fields and its behaviour lives once on the prototype. return() reaches the
 * source even while a next() is waiting.
 */
class SharedSubscription implements AsyncIterableIterator<ExecutionResult>, GroupedSubscription {
  readonly context: RequestContext;
  private shape: DocumentShape | null = null;
  private personal = false;
  private klass: string | null = null;
  private closed = false;
  /** While served by a group: the position it has had events up to, and how its waiting next() ends. */
  last: EventPosition | null = null;
  private group: LiveGroup<SharedSubscription> | null = null;
  private ending: Ending | null = null;

  constructor(
    private readonly args: ExecutionArgs,
    private readonly source: AsyncIterableIterator<unknown>,
    private readonly shapeFor: (args: ExecutionArgs) => DocumentShape,
  ) {
    this.context = args.contextValue as RequestContext;
    // Its streams may hand over events before re-checking the session: next() waits for the check.
    expectConfirmations(this.context);
  }

  get stream(): GroupableStream {
    return groupableOf(this.source)!;
  }

  get sink(): LiveSink {
    return this.context.liveSink!;
  }

  get open(): boolean {
    return !this.closed;
  }

  /**
   * Which subscriptions share this one's execution of a shared root: those with the same document
   * and variables (for an audience), or those of the same person too (when executed per person).
   * Null for a viewer who is not signed in. Kept until the subscription is executed per person.
   */
  deliveryClass(): string | null {
    const { context } = this;
    if (context.viewer.kind !== 'account') return null;
    if (this.klass !== null) return this.klass;
    const shape = (this.shape ??= this.shapeFor(this.args));
    // A session's person never changes; its audience may, and the root it is given says which.
    this.klass = shape.readsPerson || this.personal ? `${context.viewer.accountId}\n${shape.key}` : `\n${shape.key}`;
    return this.klass;
  }

  /**
   * The delivery of a root: for an audience (shared by everyone of the audience with this
   * document), or for the person (shared by the person's tabs); a root that is not shared, or a
   * viewer who is not signed in, is executed for this subscriber alone.
   */
  deliveryOf(root: unknown): Delivery {
    const { args, context } = this;
    const shared = sharedRootOf(root);
    const klass = shared ? this.deliveryClass() : null;
    if (!shared || klass === null || context.viewer.kind !== 'account') return { key: null, run: async () => execute({ ...args, rootValue: root }) };
    const shape = this.shape!;
    const key = `${shared.key}\n${klass}`;
    if (!shape.readsPerson && !this.personal) return { key, run: () => executeForAudience(args, root, shared) };
    // The stream set context.viewer to this subscriber's viewer, read now; a person's tabs share.
    const accountId = context.viewer.accountId;
    return { key, run: () => executeForPerson(args, root, shared, shape, accountId) };
  }

  run(delivery: Delivery): Promise<Outcome> {
    if (delivery.key === null) return delivery.run();
    return fanOutOf(this.context).executions.run(delivery.key, delivery.run) as Promise<Outcome>;
  }

  becomePersonal(): void {
    this.personal = true;
    this.klass = null;
  }

  private async deliver(root: unknown): Promise<ExecutionResult> {
    const outcome = await this.run(this.deliveryOf(root));
    if (outcome !== PERSONAL) return outcome;
    // From now on this subscriber's events are executed per person straight away.
    this.becomePersonal();
    return (await this.run(this.deliveryOf(root))) as ExecutionResult;
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    for (;;) {
      if (this.closed) return { value: undefined, done: true };
      const grouped = await this.joinGroup();
      if (grouped) return grouped;
      const result = await this.source.next();
      if (result.done || this.closed) return { value: undefined, done: true };
      try {
        const confirmation = takeConfirmation(this.context);
        if (!confirmation) return { value: await this.deliver(result.value), done: false };
        const value = await this.deliverOnceConfirmed(result.value, confirmation);
        if (value) return { value, done: false };
      } finally {
        // Until the next event the subscriber holds no EntityManager (the stream reads each event with a fresh one).
        releaseEntityManager(this.context);
      }
    }
  }

  /**
   * Hands the subscriber to its group once its stream has nothing left of its own to hand over
   * (it is caught up): from then on the group delivers, and next() waits until the subscription
   * ends. Null when the stream cannot be served by a group, or still has events to deliver.
   */
  private async joinGroup(): Promise<IteratorResult<ExecutionResult> | null> {
    const stream = groupableOf(this.source);
    if (!stream || !this.context.liveSink || this.context.viewer.kind !== 'account') return null;
    await stream.ready();
    if (this.closed) return { value: undefined, done: true };
    const detached = stream.detach();
    if (!detached) return null;
    this.last = detached.last;
    const group = LiveGroup.of<SharedSubscription>(this.context.feed, stream.groupKey, stream.groupTopics, deliverToGroup);
    this.group = group;
    const ended = new Promise<IteratorResult<ExecutionResult>>((resolve, reject) => (this.ending = { resolve, reject }));
    group.join(this);
    return ended;
  }

  /** Leaves the group, if in one; how its waiting next() was to end. */
  private leaveGroup(): Ending | null {
    this.group?.leave(this);
    this.group = null;
    const ending = this.ending;
    this.ending = null;
    return ending;
  }

  fail(error: unknown): void {
    this.closed = true;
    const ending = this.leaveGroup();
    void Promise.resolve(this.source.return?.()).finally(() => ending?.reject(error));
  }

  /**
   * An event the stream handed over before checking the session: executed while the check runs,
   * sent only if the check confirms this very root. When it gives another root (the subscriber's
   * audience changed), that one is executed instead; null means nothing is for the subscriber.
   * When the check fails (the session ended), the stream is closed and the failure reported, as
   * if the stream had failed itself, and nothing executed for the event is sent.
   */
  private async deliverOnceConfirmed(root: unknown, confirmation: Confirmation): Promise<ExecutionResult | null> {
    const execution = this.deliver(root);
    execution.catch(() => undefined);
    let confirmed: unknown;
    try {
      confirmed = await confirmation;
    } catch (error) {
      await this.source.return?.();
      throw error;
    }
    if (confirmed === root) return execution;
    return confirmed === null ? null : this.deliver(confirmed);
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.closed = true;
    this.leaveGroup()?.resolve({ value: undefined, done: true });
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.closed = true;
    this.leaveGroup()?.resolve({ value: undefined, done: true });
    await this.source.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }
}
