import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { search } from './search.service.js';
import { SearchKind, SearchResults } from './search.types.js';

@Resolver()
export class SearchResolver {
  @Access('public')
  @Query(() => SearchResults, {
    description:
      'Japanese full-text search over what the viewer may see: published cases and challenges for everyone; proposals and their messages for their audience. ' +
      'Each term needs 2 characters (TERM_TOO_SHORT), the query at most 100 (TOO_LONG), at most 5 terms (TOO_MANY); % _ \\ are searched literally.',
  })
  search(
    @Ctx() ctx: RequestContext,
    @Arg('query', () => String) query: string,
    @Arg('kinds', () => [SearchKind], { nullable: true, description: 'Default (null or empty): every kind the viewer may search; kinds the viewer may not search find nothing' }) kinds: SearchKind[] | null,
    @Arg('first', () => Int, { defaultValue: 20, description: '1–50' }) first: number,
  ): Promise<SearchResults> {
    return search(ctx.em, ctx.viewer, query, kinds, first);
  }
}
