import type { EventFeed, FeedListener } from './event-feed.js';
import { comparePositions, type EventPosition } from './event-position.js';
import type { DeliveredEvent } from './delivered-event.js';

/**
 * The events of `topics` for one subscriber: first those after `after` (a reconnecting client's
 * last cursor), then live ones, each exactly once and in order. Listening starts before the
 * replay is read, and anything at or before the replay's end is skipped, so there is no gap and
 * no duplicate between the two.
 *
 * Written as a plain iterator rather than an async generator: a generator waiting for the next
 * event cannot be closed until one arrives, which would leak the listener of every client that
 * unsubscribes from a quiet stream.
 */
export function eventStream(feed: EventFeed, topics: readonly string[], after: EventPosition | null): DetachableStream {
  return new EventStream(feed, topics, after);
}

/** An event stream that a live group can take over once it is caught up (EventStream.detach). */
export interface DetachableStream extends AsyncIterableIterator<DeliveredEvent> {
  detach(): { last: EventPosition | null } | undefined;
}

/**
 * A class rather than closures: an idle subscriber holds one of these for hours, so its state is
 * a few fields and its behaviour lives once on the prototype (a set of closures per subscriber
 * cost several times as much).
 */
class EventStream implements DetachableStream, FeedListener {
  private readonly queue: DeliveredEvent[] = [];
  private waiting: ((result: IteratorResult<DeliveredEvent>) => void) | null = null;
  private closed = false;
  private last: EventPosition | null;
  private replay: Promise<void> | null = null;

  constructor(
    private readonly feed: EventFeed,
    private readonly topics: readonly string[],
    after: EventPosition | null,
  ) {
    this.last = after;
    feed.subscribe(this);
    if (after) {
      this.replay = this.readMissed(after).finally(() => {
        this.replay = null;
        this.queue.sort((a, b) => comparePositions(a.position, b.position));
        this.flush();
      });
    }
  }

  onEvent(event: DeliveredEvent): void {
    if (this.closed || !this.topics.includes(event.topic)) return;
    this.queue.push(event);
    this.flush();
  }

  private take(): DeliveredEvent | undefined {
    while (this.queue.length > 0) {
      const event = this.queue.shift()!;
      if (this.last && comparePositions(event.position, this.last) <= 0) continue;
      this.last = event.position;
      return event;
    }
    return undefined;
  }

  private flush(): void {
    if (!this.waiting || this.replay) return;
    const event = this.take();
    if (!event) return;
    const resolve = this.waiting;
    this.waiting = null;
    resolve({ value: event, done: false });
  }

  private async readMissed(from: EventPosition): Promise<void> {
    let cursor = from;
    for (;;) {
      const missed = await this.feed.readAfter(cursor, this.topics);
      // Replayed events go in front of anything that arrived live meanwhile; take() drops doubles.
      this.queue.unshift(...missed);
      if (missed.length < 1000) return;
      cursor = missed[missed.length - 1]!.position;
    }
  }

  /**
   * Stops listening when everything the feed has handed over so far has been taken (the replay is
   * done and nothing waits in the queue): the position the subscriber has had events up to, so that
   * a group listening from now on (events/live-group.ts) carries on without a gap or a duplicate.
   * Undefined, and still listening, when events are still to be taken.
   */
  detach(): { last: EventPosition | null } | undefined {
    if (this.closed || this.replay || this.waiting) return undefined;
    while (this.queue.length > 0 && this.last && comparePositions(this.queue[0]!.position, this.last) <= 0) this.queue.shift();
    if (this.queue.length > 0) return undefined;
    this.closed = true;
    this.feed.unsubscribe(this);
    return { last: this.last };
  }

  async next(): Promise<IteratorResult<DeliveredEvent>> {
    if (this.replay) await this.replay;
    if (this.closed) return { value: undefined, done: true };
    const event = this.take();
    if (event) return { value: event, done: false };
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async return(): Promise<IteratorResult<DeliveredEvent>> {
    this.closed = true;
    this.feed.unsubscribe(this);
    this.queue.length = 0;
    const resolve = this.waiting;
    this.waiting = null;
    resolve?.({ value: undefined, done: true });
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<DeliveredEvent> {
    return this;
  }
}
