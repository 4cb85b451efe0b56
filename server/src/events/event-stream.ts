import type { EventFeed } from './event-feed.js';
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
export function eventStream(feed: EventFeed, topics: readonly string[], after: EventPosition | null): AsyncIterableIterator<DeliveredEvent> {
  const queue: DeliveredEvent[] = [];
  let waiting: ((result: IteratorResult<DeliveredEvent>) => void) | null = null;
  let closed = false;
  let last: EventPosition | null = after;
  let replay: Promise<void> | null = null;

  const unsubscribe = feed.subscribe((event) => {
    if (closed || !topics.includes(event.topic)) return;
    queue.push(event);
    flush();
  });

  function take(): DeliveredEvent | undefined {
    while (queue.length > 0) {
      const event = queue.shift()!;
      if (last && comparePositions(event.position, last) <= 0) continue;
      last = event.position;
      return event;
    }
    return undefined;
  }

  function flush(): void {
    if (!waiting || replay) return;
    const event = take();
    if (!event) return;
    const resolve = waiting;
    waiting = null;
    resolve({ value: event, done: false });
  }

  async function readMissed(from: EventPosition): Promise<void> {
    let cursor = from;
    for (;;) {
      const missed = await feed.readAfter(cursor, topics);
      // Replayed events go in front of anything that arrived live meanwhile; take() drops doubles.
      queue.unshift(...missed);
      if (missed.length < 1000) return;
      cursor = missed[missed.length - 1]!.position;
    }
  }

  if (after) {
    replay = readMissed(after).finally(() => {
      replay = null;
      sortQueue();
      flush();
    });
  }

  function sortQueue(): void {
    queue.sort((a, b) => comparePositions(a.position, b.position));
  }

  const iterator: AsyncIterableIterator<DeliveredEvent> = {
    async next() {
      if (replay) await replay;
      if (closed) return { value: undefined, done: true };
      const event = take();
      if (event) return { value: event, done: false };
      return new Promise((resolve) => (waiting = resolve));
    },
    async return() {
      closed = true;
      unsubscribe();
      queue.length = 0;
      const resolve = waiting;
      waiting = null;
      resolve?.({ value: undefined, done: true });
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
