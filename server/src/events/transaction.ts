import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { DomainEvent } from './domain-event.entity.js';

export const EVENT_CHANNEL = 'renkei_events';

export interface EventInput {
  topic: string;
  kind: string;
  aggregateId: string;
  actorId: string | null;
  payload?: Record<string, unknown>;
}

export interface EventRecorder {
  record(event: EventInput): void;
  /** Runs `wake` once after the commit (never after a rollback): for in-process wake-ups such as the mail dispatcher's. */
  afterCommit(wake: () => void): void;
}

/**
 * Runs one use case in one transaction: its changes and its outbox rows commit together or not
 * at all. Listeners are woken with NOTIFY only after the commit — a NOTIFY inside the write
 * transaction would serialise every commit behind PostgreSQL's notify queue lock.
 */
export async function transact<T>(em: EntityManager, work: (tx: EntityManager, events: EventRecorder) => Promise<T>): Promise<T> {
  let recorded = 0;
  const wakes = new Set<() => void>();
  const result = await em.transactional(async (tx) => {
    const events: EventRecorder = {
      record(event) {
        tx.persist(new DomainEvent(event.topic, event.kind, event.aggregateId, event.actorId, event.payload ?? {}));
        recorded += 1;
      },
      afterCommit(wake) {
        wakes.add(wake);
      },
    };
    return work(tx, events);
  });
  if (recorded > 0) wakeListeners(em);
  for (const wake of wakes) wake();
  return result;
}

const localFeeds = new Set<() => void>();

/**
 * What this process's NOTIFYs carry: its own feeds were woken directly after the commit and need
 * not read again when the NOTIFY comes back (a read per event saved); other instances' feeds wake.
 */
export const LOCAL_WAKE_TAG = randomUUID();
let notifying = false;
let notifyAgain = false;

/**
 * This process's event feeds, woken at once after a commit here: the subscribers of this instance
 * need not wait for the NOTIFY to travel to PostgreSQL and back. Returns the way to stop.
 */
export function onEventsCommitted(wake: () => void): () => void {
  localFeeds.add(wake);
  return () => localFeeds.delete(wake);
}

/**
 * Wakes this process's feeds directly and the other instances by NOTIFY. The use case does not wait
 * for the NOTIFY (the response is not held up by a wake-up), and commits during one NOTIFY share
 * the next: under load one wake-up per round trip is enough, since a woken feed reads everything
 * committed so far. Listeners also sweep on a timer, so a lost wake-up only delays delivery.
 */
function wakeListeners(em: EntityManager): void {
  for (const wake of localFeeds) wake();
  if (notifying) {
    notifyAgain = true;
    return;
  }
  notifying = true;
  void (async () => {
    do {
      notifyAgain = false;
      try {
        await em.getConnection().execute(`select pg_notify('${EVENT_CHANNEL}', '${LOCAL_WAKE_TAG}')`);
      } catch {
        // Swept later: see above.
      }
    } while (notifyAgain);
    notifying = false;
  })();
}
