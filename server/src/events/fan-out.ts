import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context.js';
import { hashToken } from '../identity/session.service.js';
import { SessionViewers } from '../identity/session-viewers.js';
import { PUBLIC_VIEWER, type AccountViewer, type Viewer } from '../identity/viewer.js';
import type { EventFeed } from './event-feed.js';
import { SharedWork } from './shared-work.js';
import { tickBatch } from './tick-batch.js';

/** How long a settled read or execution stays for subscribers a little behind the others. */
export const FAN_OUT_GRACE_MS = 1000;

/**
 * What the subscribers of one server instance share per event, so that a thousand people
 * watching one dialogue cost about one read and one execution, not a thousand.
 */
export interface FanOut {
  /** A subscriber's viewer now; every subscriber checked in the same turn costs one statement together. */
  viewerOf(token: string | undefined): Promise<Viewer>;
  /**
   * Many subscribers' viewers now, in order, by their tokens' hashes (a live group's check at an
   * event, its members' hashes kept by their streams): undefined where the session is not live.
   * One small statement, and one more for sessions not seen yet (identity/session-viewers.ts).
   */
  viewersOfHashes(tokenHashes: ReadonlyArray<string | undefined>): Promise<Array<AccountViewer | undefined>>;
  /** Per (stream, event, audience): what the audience may see of the event. */
  views: SharedWork<unknown>;
  /** Per (stream, event, audience or person, document, variables): the execution result. */
  executions: SharedWork<unknown>;
  /**
   * A read that the executions of one event each ask for their part of (a person's unread count,
   * the author of the message): the reads asked for in one turn go out as one. `name` names the
   * read; the first `read` given for it is the one used.
   */
  acrossExecutions<V>(name: string, read: (keys: string[]) => Promise<Map<string, V>>): (key: string) => Promise<V | undefined>;
}

const fanOuts = new WeakMap<EventFeed, FanOut>();

function acrossExecutionsReads(): FanOut['acrossExecutions'] {
  const reads = new Map<string, (key: string) => Promise<unknown>>();
  return <V>(name: string, read: (keys: string[]) => Promise<Map<string, V>>) => {
    let batched = reads.get(name);
    if (!batched) reads.set(name, (batched = tickBatch(read)));
    return batched as (key: string) => Promise<V | undefined>;
  };
}

/** Session tokens seen at most this many at a time before the hashes are worked out afresh. */
const HASHES_KEPT = 50_000;

/**
 * Each subscriber's session is checked at every event by its token's hash: a thousand subscribers
 * would cost a thousand SHA-256 runs per event. Kept per token (dropped wholesale when full, so the
 * map never outgrows the sockets a server holds).
 */
class TokenHashes {
  private readonly hashes = new Map<string, string>();

  of(token: string): string {
    let hash = this.hashes.get(token);
    if (hash === undefined) {
      if (this.hashes.size >= HASHES_KEPT) this.hashes.clear();
      hash = hashToken(token);
      this.hashes.set(token, hash);
    }
    return hash;
  }
}

/**
 * A loader's batch function for a read that depends on the ids alone, not on the viewer: within
 * the executions of a shared live event (every audience's and person's), the ids they ask for in
 * one turn are read together; elsewhere it reads with the operation's EntityManager.
 */
export function readAcrossExecutions<V>(context: RequestContext, name: string, read: (em: EntityManager, ids: readonly string[]) => Promise<V[]>): (ids: readonly string[]) => Promise<V[]> {
  const em = context.em;
  if (!context.executingSharedEvent) return (ids) => read(em, ids);
  const { rootEm } = context;
  const batched = fanOutOf(context).acrossExecutions<V>(name, async (keys) => {
    const values = await read(rootEm.fork(), keys);
    return new Map(keys.map((key, index) => [key, values[index]!]));
  });
  return (ids) => Promise.all(ids.map(async (id) => (await batched(id)) as V));
}

/** The fan-out of the server instance a context belongs to (one per event feed). */
export function fanOutOf(context: Pick<RequestContext, 'feed' | 'rootEm' | 'config'>): FanOut {
  let found = fanOuts.get(context.feed);
  if (!found) {
    const { rootEm, config } = context;
    const sessions = new SessionViewers(() => rootEm.fork(), config);
    const readViewers = tickBatch(async (hashes: string[]) => {
      const viewers = await sessions.viewersOf(hashes);
      return new Map(hashes.map((hash, index) => [hash, viewers[index]]));
    });
    const hashes = new TokenHashes();
    found = {
      viewerOf: async (token) => (token ? ((await readViewers(hashes.of(token))) ?? PUBLIC_VIEWER) : PUBLIC_VIEWER),
      viewersOfHashes: (tokenHashes) => sessions.viewersOf(tokenHashes),
      views: new SharedWork(FAN_OUT_GRACE_MS),
      executions: new SharedWork(FAN_OUT_GRACE_MS),
      acrossExecutions: acrossExecutionsReads(),
    };
    fanOuts.set(context.feed, found);
  }
  return found;
}
