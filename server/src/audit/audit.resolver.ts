import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { auditActions, auditTrail } from './audit.service.js';
import { AuditEntryConnection } from './audit.types.js';

@Resolver()
export class AuditResolver {
  @Access('desk')
  @Query(() => AuditEntryConnection, { description: 'The audit trail (監査記録), newest first; optionally one action. The desk only.' })
  auditTrail(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('action', () => String, { nullable: true, description: 'e.g. PROPOSALS_EXPORTED' }) action: string | null,
  ): Promise<AuditEntryConnection> {
    return auditTrail(ctx.em, ctx.viewer, first, after, action);
  }

  @Access('desk')
  @Query(() => [String], { description: 'The actions that occur in the audit trail, for filtering. The desk only.' })
  auditActions(@Ctx() ctx: RequestContext): Promise<string[]> {
    return auditActions(ctx.em, ctx.viewer);
  }
}
