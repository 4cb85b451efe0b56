import type { ExecutionResult } from 'graphql';
import type { DeliveredEvent } from '../events/delivered-event.js';
import type { EventPosition } from '../events/event-position.js';
import type { LiveMember } from '../events/live-group.js';
import type { RequestContext } from './context.js';
import { sharedRootOf } from '../events/shared-root.js';
import { PERSONAL, type Outcome } from './shared-execution.js';

/**
 * Where a subscription's results go without graphql-ws's per-subscriber loop: straight onto its
 * socket, framed as graphql-ws frames them (the websocket makes one per subscription).
 */
export interface LiveSink {
  /** Sends a `next` message whose payload is this JSON, as it is (an error-free result, encoded once for all who get it). */
  sendNext(payload: Buffer): void;
  /** Sends a result with errors, formatted as every other result with errors is. */
  sendResult(result: ExecutionResult, context: RequestContext): void;
}

/**
 * A stream whose subscribers of one server instance can be served as a group (events/live-group.ts):
 * it tells which group, and works out every member's root for an event at once.
 */
export interface GroupableStream {
  /** Streams with one key watch the same thing and are served by one group. */
  readonly groupKey: string;
  readonly groupTopics: readonly string[];
  /** Settles once the stream may deliver (its access checked); fails, closed, when it may not. */
  ready(): Promise<void>;
  /** Stops the stream's own listening when it has nothing left to hand over (EventStream.detach). */
  detach(): { last: EventPosition | null } | undefined;
  /**
   * Each stream's root for the event, in order: null for nothing, an Error to end that stream. All
   * the streams given are of this stream's group. `early` is told of a root some of them will get
   * if the sessions check out as they were (by their indexes), before the check has answered:
   * its executions can start meanwhile, never to be sent unless that root is confirmed.
   */
  rootsFor(event: DeliveredEvent, streams: GroupableStream[], early: (root: unknown, indexes: number[]) => void): Promise<unknown[]>;
}

const GROUPABLE = Symbol('groupable');

/** Marks a stream as able to be served by a group. */
export function markGroupable<T extends GroupableStream>(stream: T): T {
  Object.defineProperty(stream, GROUPABLE, { value: true, enumerable: false });
  return stream;
}

export function groupableOf(stream: unknown): GroupableStream | null {
  return typeof stream === 'object' && stream !== null && (stream as { [GROUPABLE]?: boolean })[GROUPABLE] ? (stream as GroupableStream) : null;
}

/** How one subscriber's result for a root is made, and the key under which others share it. */
export interface Delivery {
  /** Null for a delivery of this subscriber's alone (a root not shared by an audience). */
  key: string | null;
  run: () => Promise<Outcome>;
}

/** What a group needs of a subscription. */
export interface GroupedSubscription extends LiveMember {
  readonly context: RequestContext;
  readonly stream: GroupableStream;
  readonly sink: LiveSink;
  /** False once the client completed it, its socket closed or its stream failed: nothing more is sent. */
  readonly open: boolean;
  /** The delivery for this root, per audience or per person, as the subscription's own path would make it. */
  deliveryOf(root: unknown): Delivery;
  /** Members of one class share the delivery of a shared root (deliveryOf's key is the root's and the class's); null: its own. */
  deliveryClass(): string | null;
  /** Its audience's execution read the person: from now on it is executed per person. */
  becomePersonal(): void;
  /** Ends the subscription with this error (graphql-ws sends it, as for any failed stream). */
  fail(error: unknown): void;
  /** Runs a delivery, shared with whoever asks for the same key (events/fan-out.ts executions). */
  run(delivery: Delivery): Promise<Outcome>;
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * One event for a group's subscriptions: their roots worked out together by the stream (one
 * session check, one read per audience), each distinct execution run once, then every result
 * sent in a single synchronous loop, its JSON written once for all who get it. Authorisation is
 * the stream's, exactly as for a single subscriber: nothing is sent to a subscription whose
 * session the check did not confirm.
 */
export async function deliverToGroup(event: DeliveredEvent, members: GroupedSubscription[]): Promise<void> {
  const executions = new EventExecutions();
  let roots: unknown[];
  try {
    roots = await members[0]!.stream.rootsFor(
      event,
      members.map((member) => member.stream),
      (root, indexes) => {
        for (const index of indexes) executions.outcomeOf(members[index]!, root).catch(() => undefined);
      },
    );
  } catch (error) {
    for (const member of members) member.fail(error);
    return;
  }
  const outcomes = await executions.settle(members, roots, true);
  // Executions for an audience that read the person are done again per person, for those members.
  if (outcomes.some((outcome) => outcome === PERSONAL)) {
    const again = members.map((member, index) => {
      if (outcomes[index] !== PERSONAL) return null;
      member.becomePersonal();
      return roots[index];
    });
    const personal = await executions.settle(members, again, false);
    personal.forEach((outcome, index) => {
      if (again[index] !== null) outcomes[index] = outcome;
    });
  }
  const payloads = new Map<ExecutionResult, Buffer>();
  for (let index = 0; index < members.length; index++) {
    const member = members[index]!;
    const outcome = outcomes[index];
    // A subscription completed while the event was being read is sent nothing more.
    if (outcome === null || outcome === undefined || !member.open) continue;
    if (outcome instanceof Error) {
      member.fail(outcome);
      continue;
    }
    const result = outcome as ExecutionResult;
    if (result.errors?.length) {
      member.sink.sendResult(result, member.context);
      continue;
    }
    let payload = payloads.get(result);
    if (payload === undefined) payloads.set(result, (payload = Buffer.from(JSON.stringify(result))));
    member.sink.sendNext(payload);
  }
}

/**
 * The executions of one event for a group: by root, and by the members' delivery classes, each
 * distinct one started once (through the shared executions, so subscribers still catching up
 * share them too). Working out who shares with whom costs a lookup per member, nothing made.
 */
class EventExecutions {
  private readonly byRoot = new Map<unknown, Map<string, Promise<Outcome>>>();
  /** Executions of a member's own (a root not shared): rare, one per member and root. */
  private readonly own = new Map<GroupedSubscription, { root: unknown; run: Promise<Outcome> }>();

  outcomeOf(member: GroupedSubscription, root: unknown): Promise<Outcome> {
    const klass = sharedRootOf(root) ? member.deliveryClass() : null;
    if (klass === null) {
      const started = this.own.get(member);
      if (started && started.root === root) return started.run;
      const run = member.run(member.deliveryOf(root));
      this.own.set(member, { root, run });
      return run;
    }
    let classes = this.byRoot.get(root);
    if (!classes) this.byRoot.set(root, (classes = new Map()));
    let run = classes.get(klass);
    if (!run) classes.set(klass, (run = member.run(member.deliveryOf(root))));
    return run;
  }

  /**
   * Each member's outcome for its root (null where it has none, an Error where its stream or its
   * execution failed). `rootErrors`: whether an Error given as a root is the member's outcome.
   */
  async settle(members: GroupedSubscription[], roots: unknown[], rootErrors: boolean): Promise<Array<Outcome | Error | null>> {
    const waiting: Array<Promise<Outcome> | Error | null> = members.map((member, index) => {
      const root = roots[index];
      if (root === null || root === undefined) return null;
      if (root instanceof Error) return rootErrors ? root : null;
      return this.outcomeOf(member, root);
    });
    const settled = new Map<Promise<Outcome>, Outcome | Error>();
    const runs = new Set(waiting.filter((item): item is Promise<Outcome> => item instanceof Promise));
    await Promise.all(
      [...runs].map((run) =>
        run.then(
          (outcome) => void settled.set(run, outcome),
          (error: unknown) => void settled.set(run, asError(error)),
        ),
      ),
    );
    return waiting.map((item) => (item instanceof Promise ? settled.get(item)! : item));
  }
}
