import type { RequestContext } from '../graphql/context.js';
import type { AudienceFacts } from './audience.js';

/**
 * A subscription's root value that is the same for a whole audience: `key` names the stream, the
 * event and the audience. The websocket's subscribe executes a document once per such root (and
 * document, and variables) and sends the result to every subscriber of that audience.
 */
export interface SharedRoot {
  key: string;
  audience: AudienceFacts;
  /**
   * Called on every context an execution of this root runs in (the audience's, or a person's of
   * this audience): primes per-operation loaders with what the stream already read for the audience.
   */
  prepare?: (context: RequestContext) => void;
}

const SHARED_ROOT = Symbol('sharedRoot');

/** Not enumerable and keyed by a symbol: GraphQL never sees it. */
export function markShared<T extends object>(root: T, shared: SharedRoot): T {
  Object.defineProperty(root, SHARED_ROOT, { value: shared, enumerable: false });
  return root;
}

export function sharedRootOf(root: unknown): SharedRoot | null {
  if (typeof root !== 'object' || root === null) return null;
  return (root as { [SHARED_ROOT]?: SharedRoot })[SHARED_ROOT] ?? null;
}
