import { Extensions } from 'type-graphql';
import { isObjectType, type GraphQLField, type GraphQLResolveInfo } from 'graphql';
import { ForbiddenError, UnauthenticatedError } from '../errors/domain-errors.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import type { RequestContext } from './context.js';

/**
 * Who may call a root field at all. Every Query, Mutation and Subscription field must declare
 * one: a field without it is refused at run time and fails the schema test. Object-level rules
 * (which challenge, which proposal) are the domain policies' job, inside the services.
 */
export type AccessRule = 'public' | 'signedIn' | 'desk';

export function Access(rule: AccessRule): MethodDecorator {
  return Extensions({ access: rule });
}

export function accessRuleOf(field: GraphQLField<unknown, unknown>): AccessRule | undefined {
  return (field.extensions as { access?: AccessRule } | undefined)?.access;
}

export function assertAccess(rule: AccessRule | undefined, viewer: Viewer): void {
  if (rule === 'public') return;
  if (viewer.kind !== 'account') throw new UnauthenticatedError();
  if (rule === 'signedIn') return;
  if (rule === 'desk' && isDesk(viewer)) return;
  throw new ForbiddenError();
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** A field guard (field-guards.ts): enforces the declared rule on every root field; undeclared means refused. */
export function enforceAccess(args: unknown, context: RequestContext, info: GraphQLResolveInfo): void {
  if (!ROOT_TYPES.has(info.parentType.name) || !isObjectType(info.parentType)) return;
  const field = info.parentType.getFields()[info.fieldName];
  const rule = field ? accessRuleOf(field) : undefined;
  if (!rule) {
    context.logger.error({ field: `${info.parentType.name}.${info.fieldName}` }, 'root field without an access rule');
    throw new ForbiddenError();
  }
  assertAccess(rule, context.viewer);
}

/**
 * Field guards run when each event is resolved, not when a subscription starts:
 * wrap every `subscribe` with this, so the field's declared @Access rule refuses an unauthorised
 * subscription before any stream is opened.
 */
export function subscribeWithAccess<Args>(
  open: (context: RequestContext, args: Args) => AsyncIterableIterator<unknown>,
): (data: { context: unknown; args: unknown; info: GraphQLResolveInfo }) => AsyncIterableIterator<unknown> {
  return ({ context, args, info }) => {
    const ctx = context as RequestContext;
    const field = info.parentType.getFields()[info.fieldName];
    assertAccess(field ? accessRuleOf(field) : undefined, ctx.viewer);
    return open(ctx, args as Args);
  };
}
