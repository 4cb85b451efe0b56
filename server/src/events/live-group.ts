import type { DeliveredEvent } from './delivered-event.js';
import type { EventFeed, FeedListener } from './event-feed.js';
import { comparePositions, type EventPosition } from './event-position.js';

/** One subscriber in a group: the position it has had events up to. */
export interface LiveMember {
  last: EventPosition | null;
}

/** Handles one event for the members it is new to; the group waits for it before the next event. */
export type GroupHandler<M extends LiveMember> = (event: DeliveredEvent, members: M[]) => Promise<void>;

const groups = new WeakMap<EventFeed, Map<string, LiveGroup<LiveMember>>>();

/**
 * The subscribers of one server instance who watch the same thing live (a proposal's dialogue),
 * handled as one: a single feed listener, and each event handled once for all of them, in order,
 * instead of a chain of promises per subscriber (a thousand such chains cost more than the event's
 * reads and executions together). A subscriber joins once it has had every event the feed has
 * handed over so far (events/event-stream.ts detach), and the group skips events at or before the
 * position it joined with, so that between its own stream and the group there is no gap and no
 * duplicate.
 */
export class LiveGroup<M extends LiveMember> implements FeedListener {
  private readonly members = new Set<M>();
  private queue: DeliveredEvent[] = [];
  private running = false;

  private constructor(
    private readonly feed: EventFeed,
    private readonly key: string,
    private readonly topics: readonly string[],
    private readonly handle: GroupHandler<M>,
  ) {}

  /** The group for `key` on this feed, made (and listening) when it has no members yet. */
  static of<M extends LiveMember>(feed: EventFeed, key: string, topics: readonly string[], handle: GroupHandler<M>): LiveGroup<M> {
    let byKey = groups.get(feed);
    if (!byKey) groups.set(feed, (byKey = new Map()));
    let group = byKey.get(key) as LiveGroup<M> | undefined;
    if (!group) {
      group = new LiveGroup(feed, key, topics, handle);
      byKey.set(key, group as unknown as LiveGroup<LiveMember>);
      feed.subscribe(group);
    }
    return group;
  }

  /** Groups listening on this feed now (for tests: a group without members stops listening). */
  static countOn(feed: EventFeed): number {
    return groups.get(feed)?.size ?? 0;
  }

  join(member: M): void {
    this.members.add(member);
  }

  leave(member: M): void {
    if (!this.members.delete(member) || this.members.size > 0) return;
    this.feed.unsubscribe(this);
    const byKey = groups.get(this.feed);
    if (byKey?.get(this.key) === (this as unknown as LiveGroup<LiveMember>)) byKey.delete(this.key);
    this.queue = [];
  }

  onEvent(event: DeliveredEvent): void {
    if (!this.topics.includes(event.topic) || this.members.size === 0) return;
    this.queue.push(event);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let event = this.queue.shift(); event; event = this.queue.shift()) {
        const members: M[] = [];
        for (const member of this.members) {
          if (member.last && comparePositions(event.position, member.last) <= 0) continue;
          member.last = event.position;
          members.push(member);
        }
        // The handler ends the streams it cannot serve itself; anything else it throws is logged, and the group goes on.
        if (members.length > 0) await this.handle(event, members).catch((error: unknown) => this.feed.listenerFailed(error));
      }
    } finally {
      this.running = false;
    }
  }
}
