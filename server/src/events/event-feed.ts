import pg from 'pg';
import type { Logger } from '../logging/logger.js';
import { comparePositions, type EventPosition } from './event-position.js';
import { EVENT_COLUMNS, toDeliveredEvent, type DeliveredEvent, type EventRow } from './delivered-event.js';
import { EVENT_CHANNEL, LOCAL_WAKE_TAG, onEventsCommitted } from './transaction.js';

/** A listener of the feed: a function, or an object (one per subscriber, without a closure of its own). */
export interface FeedListener {
  onEvent(event: DeliveredEvent): void;
}
type Listener = ((event: DeliveredEvent) => void) | FeedListener;

const BATCH = 500;
/** Committed events waiting behind an older open transaction: look again after 2 ms, doubling to 25 ms. */
const PENDING_RETRY_FIRST_MS = 2;
const PENDING_RETRY_MAX_MS = 25;

/**
 * This server instance's view of the outbox. It LISTENs for wake-ups, reads new events in
 * delivery order and hands them to in-process listeners. It reads only events of transactions
 * older than every running transaction (the snapshot's xmin), so an event committed late with a
 * smaller id can never be skipped. A timer sweep catches anything a lost notification, a
 * dropped connection or a crash left behind.
 */
export class EventFeed {
  private readonly pool: pg.Pool;
  private listenClient: pg.Client | null = null;
  private position: EventPosition | null = null;
  private readonly listeners = new Set<Listener>();
  private polling: Promise<void> | null = null;
  private pollAgain = false;
  private sweepTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private pendingRetries = 0;
  private stopLocalWake: (() => void) | null = null;

  /** `sweepMs`: how often to look for events without a wake-up (a lost NOTIFY, a dropped connection). */
  constructor(private readonly databaseUrl: string, private readonly logger: Logger, private readonly sweepMs = 1000) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
    this.pool.on('error', (error) => this.logger.warn({ err: error }, 'event feed pool error'));
  }

  async start(): Promise<void> {
    this.position = await this.head();
    await this.connectListener();
    this.stopLocalWake = onEventsCommitted(() => this.wake());
    this.sweepTimer = setInterval(() => this.wake(), this.sweepMs);
    this.sweepTimer.unref();
  }

  /** The position before any event not yet complete: a client holding it has missed nothing. */
  async head(): Promise<EventPosition> {
    const { rows } = await this.pool.query<{ horizon: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as horizon');
    return { txid: BigInt(rows[0]!.horizon), id: 0n };
  }

  /** Complete events after `after`, in order, for replay to a reconnecting subscriber. */
  async readAfter(after: EventPosition, topics: readonly string[], limit = 1000): Promise<DeliveredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `select ${EVENT_COLUMNS} from domain_event e
        where (e.txid, e.id) > ($1::text::xid8, $2::bigint)
          and e.txid < pg_snapshot_xmin(pg_current_snapshot())
          and e.topic = any($3::text[])
        order by e.txid, e.id limit $4`,
      [after.txid.toString(), after.id.toString(), topics, limit],
    );
    return rows.map(toDeliveredEvent);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.unsubscribe(listener);
  }

  unsubscribe(listener: Listener): void {
    this.listeners.delete(listener);
  }

  /** A listener that handles events later (a live group) reports here what failed while it did. */
  listenerFailed(error: unknown): void {
    this.logger.error({ err: error }, 'event listener failed');
  }

  /** Ask for a read soon; concurrent asks collapse into one read. */
  wake(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.poll()
      .catch((error) => this.logger.warn({ err: error }, 'event feed read failed; will retry'))
      .finally(() => {
        this.polling = null;
        if (this.pollAgain) {
          this.pollAgain = false;
          this.wake();
        }
      });
  }

  private async poll(): Promise<void> {
    for (;;) {
      const position = this.position;
      if (!position) return;
      const { rows }: { rows: Array<EventRow & { pending: boolean }> } = await this.pool.query<EventRow & { pending: boolean }>(
        `with h as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
         select ${EVENT_COLUMNS},
                exists(select 1 from domain_event p, h where p.txid >= h.xmin and (p.txid, p.id) > ($1::text::xid8, $2::bigint)) as pending
           from h left join lateral (
             select * from domain_event d
              where (d.txid, d.id) > ($1::text::xid8, $2::bigint) and d.txid < h.xmin
              order by d.txid, d.id limit ${BATCH}
           ) e on true`,
        [position.txid.toString(), position.id.toString()],
      );
      const pending = rows[0]?.pending ?? false;
      const events = rows.filter((row) => row.id !== null).map(toDeliveredEvent);
      let last = position;
      for (const event of events) {
        if (comparePositions(event.position, last) <= 0) continue;
        last = event.position;
        this.position = event.position;
        for (const listener of this.listeners) {
          try {
            if (typeof listener === 'function') listener(event);
            else listener.onEvent(event);
          } catch (error) {
            this.listenerFailed(error);
          }
        }
      }
      if (events.length === BATCH) continue;
      // Committed events wait behind an older transaction that is still running: look again soon.
      if (!pending) this.pendingRetries = 0;
      if (pending && !this.retryTimer && !this.stopped) {
        const delay = Math.min(PENDING_RETRY_MAX_MS, PENDING_RETRY_FIRST_MS * 2 ** this.pendingRetries);
        this.pendingRetries += 1;
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.wake();
        }, delay);
      }
      return;
    }
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    // This process's own commits woke its feeds already (transaction.ts); a NOTIFY from another instance wakes them here.
    client.on('notification', (notice) => notice.payload !== LOCAL_WAKE_TAG && this.wake());
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'event listener connection lost; reconnecting');
      this.scheduleReconnect();
    });
    client.on('end', () => this.scheduleReconnect());
    await client.connect();
    await client.query(`listen ${EVENT_CHANNEL}`);
    this.listenClient = client;
    // Whatever was committed while we were not listening.
    this.wake();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.listenClient = null;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connectListener().catch((error) => {
        this.logger.warn({ err: error }, 'event listener reconnect failed');
        this.scheduleReconnect();
      });
    }, 500);
    this.reconnectTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopLocalWake?.();
    for (const timer of [this.sweepTimer, this.retryTimer, this.reconnectTimer]) if (timer) clearTimeout(timer);
    await this.polling;
    const client = this.listenClient;
    this.listenClient = null;
    if (client) {
      client.removeAllListeners('end');
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
    await this.pool.end();
  }
}
