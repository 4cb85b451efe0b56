import { execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { audienceViewer, type AudienceFacts } from '../events/audience.js';
import { fanOutOf } from '../events/fan-out.js';
import type { SharedRoot } from '../events/shared-root.js';
import type { RequestContext } from './context.js';
import { contextWith } from './request-context.js';
import { mergeData } from './split-document.js';
import type { DocumentShape } from './document-shape.js';

/** An execution for an audience that turned out to read the person: redo it per person. */
export const PERSONAL = Symbol('personal');
export type Outcome = ExecutionResult | typeof PERSONAL;

/**
 * The context an audience's execution runs in: a fresh EntityManager (so per-operation loaders are
 * its own) and a viewer standing for the audience. Reading the person — the viewer's accountId,
 * the session token, the client's address — marks the execution as personal.
 */
function audienceContext(context: RequestContext, audience: AudienceFacts, onPersonRead: () => void): RequestContext {
  const shared = contextWith(context, { viewer: audienceViewer(audience, onPersonRead), em: context.rootEm.fork(), executingSharedEvent: true });
  for (const name of ['sessionToken', 'clientAddress'] as const) {
    Object.defineProperty(shared, name, {
      enumerable: true,
      get() {
        onPersonRead();
        return undefined;
      },
    });
  }
  return shared;
}

export async function executeForAudience(args: ExecutionArgs, root: unknown, shared: SharedRoot): Promise<Outcome> {
  let personRead = false;
  const contextValue = audienceContext(args.contextValue as RequestContext, shared.audience, () => (personRead = true));
  shared.prepare?.(contextValue);
  const result = await execute({ ...args, rootValue: root, contextValue });
  return personRead ? PERSONAL : result;
}

/** This subscriber's context for work of its own person: its viewer, read now, and a fresh EntityManager. */
function personContext(args: ExecutionArgs, shared: SharedRoot): RequestContext {
  const context = args.contextValue as RequestContext;
  const own = contextWith(context, { em: context.rootEm.fork(), executingSharedEvent: true });
  shared.prepare?.(own);
  return own;
}

/**
 * A person's result: the audience's part (executed once for the audience, shared with its other
 * people) merged with the per-person fields executed for this person; the whole document for the
 * person when it cannot be split, or when the audience's part turned out to read the person too.
 */
export async function executeForPerson(args: ExecutionArgs, root: unknown, shared: SharedRoot, shape: DocumentShape, accountId: string): Promise<ExecutionResult> {
  const split = shape.split;
  if (split?.person) {
    const executions = fanOutOf(args.contextValue as RequestContext).executions;
    const [audience, person] = await Promise.all([
      split.audience ? (executions.run(`${shared.key}\n\n${split.audienceKey}`, () => executeForAudience({ ...args, document: split.audience! }, root, shared)) as Promise<Outcome>) : null,
      executions.run(`${shared.key}\n${accountId}\n${split.personKey}`, () => execute({ ...args, document: split.person!, rootValue: root, contextValue: personContext(args, shared) })) as Promise<ExecutionResult>,
    ]);
    if (audience !== PERSONAL) {
      const data = mergeData(audience?.data ?? undefined, person.data ?? undefined);
      if (data !== undefined) {
        const errors = [...(audience?.errors ?? []), ...(person.errors ?? [])];
        return errors.length ? { data: data as ExecutionResult['data'], errors } : { data: data as ExecutionResult['data'] };
      }
    }
  }
  return execute({ ...args, rootValue: root, contextValue: personContext(args, shared) });
}

