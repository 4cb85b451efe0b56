import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { PublicCaseFilter } from './public-case.input.js';
import { findPublicCase, listPublicCases, publicCaseFacets } from './public-case.reads.js';
import { PublicCaseConnection, PublicCaseFacets, PublicCaseView } from './public-case.types.js';
import { publicFigures, publicFigureYears } from './public-figures.js';
import { PublicFigures } from './public-figures.types.js';

/** The public portal's reads: published cases and aggregate figures, open to everyone, the same for everyone. */
@Resolver()
export class PortalResolver {
  @Access('public')
  @Query(() => PublicCaseConnection, { description: 'Published cases (公民連携事例), newest first' })
  publicCases(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => PublicCaseFilter, { nullable: true }) filter: PublicCaseFilter | null,
  ): Promise<PublicCaseConnection> {
    return listPublicCases(ctx.em, filter, first, after);
  }

  @Access('public')
  @Query(() => PublicCaseView, { nullable: true, description: 'A published case; null when it does not exist or is not published' })
  publicCase(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<PublicCaseView | null> {
    return findPublicCase(ctx.em, id);
  }

  @Access('public')
  @Query(() => PublicCaseFacets, { description: 'The fiscal years, sections, fields and kinds of organisation that published cases have' })
  publicCaseFacets(@Ctx() ctx: RequestContext): Promise<PublicCaseFacets> {
    return publicCaseFacets(ctx.em);
  }

  @Access('public')
  @Query(() => PublicFigures, { description: 'Figures of a fiscal year (this one when omitted): proposals received, in dialogue, realised, by field, and the value the ward did not spend' })
  publicFigures(@Ctx() ctx: RequestContext, @Arg('fiscalYear', () => Int, { nullable: true }) fiscalYear: number | null): Promise<PublicFigures> {
    return publicFigures(ctx.em, fiscalYear);
  }

  @Access('public')
  @Query(() => [Int], { description: 'The fiscal years the figures page offers, newest first' })
  publicFigureYears(@Ctx() ctx: RequestContext): Promise<number[]> {
    return publicFigureYears(ctx.em);
  }
}
