import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import type { RequestContext } from './context.js';
import { enforceAccess } from './access.js';
import { rejectUnstorableText } from './input-guard.js';
import { limitMutationRate } from './rate-limit-guard.js';

/** A check run before a field resolves; it throws to refuse. */
export type FieldGuard = (args: Record<string, unknown>, context: RequestContext, info: GraphQLResolveInfo) => void;

/**
 * Puts the schema's guards on the fields they concern, in this order, before each resolver runs:
 * the budgets on every root mutation (a refused caller's attempts count too), the declared access
 * rule on every root field, and the refusal of unstorable text on every field that takes
 * arguments. One schema for HTTP and the websocket, so both are guarded alike.
 *
 * Not type-graphql's global middlewares: those wrap every field of every result in three nested
 * async functions, though nearly all fields are none of these, and a live event's executions
 * spent more on those promises than on the event itself.
 */
export function guardFields(schema: GraphQLSchema): GraphQLSchema {
  const mutation = schema.getMutationType();
  const roots = new Set([schema.getQueryType(), mutation, schema.getSubscriptionType()].filter((type) => type !== null && type !== undefined));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const guards: FieldGuard[] = [];
      if (type === mutation) guards.push(limitMutationRate);
      if (roots.has(type)) guards.push(enforceAccess);
      if (field.args.length > 0) guards.push(rejectUnstorableText);
      if (guards.length > 0) field.resolve = guarded(field.resolve ?? defaultFieldResolver, guards);
    }
  }
  return schema;
}

function guarded(resolve: GraphQLFieldResolver<unknown, unknown>, guards: readonly FieldGuard[]): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => {
    for (const guard of guards) guard(args, context as RequestContext, info);
    return resolve(source, args, context, info);
  };
}
