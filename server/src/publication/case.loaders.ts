import DataLoader from 'dataloader';
import type { RequestContext } from '../graphql/context.js';
import { authorNamesByIds } from '../partnerships/partnership.service.js';
import type { PublicCase } from './public-case.entity.js';
import { casesOfProposals } from './case.service.js';

/**
 * Per-operation loaders, keyed by the operation's EntityManager (a subscription gets a fresh one
 * per event): the case pages of every proposal on a page in one statement, the consenting
 * members' names in one more, so a page costs the same whatever it holds.
 */
export interface CaseLoaders {
  cases: DataLoader<string, PublicCase | null>;
  names: DataLoader<string, string | null>;
}
const loaders = new WeakMap<object, CaseLoaders>();
export function caseLoadersFor(ctx: RequestContext): CaseLoaders {
  const em = ctx.em;
  let found = loaders.get(em);
  if (!found) {
    found = { cases: new DataLoader((ids) => casesOfProposals(em, ids)), names: new DataLoader((ids) => authorNamesByIds(em, ids)) };
    loaders.set(em, found);
  }
  return found;
}
