import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { deskDashboard, sectionDashboard } from './dashboard.service.js';
import { DeskDashboard, SectionDashboard } from './dashboard.types.js';

@Resolver()
export class DashboardResolver {
  // 'signedIn' so a proposer is told FORBIDDEN by the dashboard's own policy and the public UNAUTHENTICATED.
  @Access('signedIn')
  @Query(() => DeskDashboard, { description: 'The desk dashboard for a fiscal year (default: this one, 2000 to next year). The desk only.' })
  deskDashboard(@Ctx() ctx: RequestContext, @Arg('fiscalYear', () => Int, { nullable: true }) fiscalYear: number | null): Promise<DeskDashboard> {
    return deskDashboard(ctx.em, ctx.viewer, fiscalYear);
  }

  @Access('signedIn')
  @Query(() => SectionDashboard, { description: 'The viewer’s section’s dashboard, as of now. Section staff only.' })
  sectionDashboard(@Ctx() ctx: RequestContext): Promise<SectionDashboard> {
    return sectionDashboard(ctx.em, ctx.viewer);
  }
}
