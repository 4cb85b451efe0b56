import DataLoader from 'dataloader';
import type { RequestContext } from '../graphql/context.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposals } from '../proposals/proposal.service.js';
import { canReadThreadNow } from './notification.policy.js';
import { displayNamesByIds, threadsByIds } from './notification.service.js';

export interface NotificationLoaders {
  /** Proposals the viewer can see now, else null. */
  proposals: DataLoader<string, Proposal | null>;
  /** Threads the viewer can read now, else null. */
  threads: DataLoader<string, { id: string; title: string } | null>;
  actorNames: DataLoader<string, string | null>;
}

/**
 * Per-operation loaders, keyed by the operation's EntityManager (a subscription gets a fresh one
 * per event): a page of notifications reads its proposals, threads and actors in one statement each.
 */
const loaders = new WeakMap<object, NotificationLoaders>();
export function notificationLoadersFor(ctx: RequestContext): NotificationLoaders {
  const { em, viewer } = ctx;
  let found = loaders.get(em);
  if (!found) {
    const proposals = new DataLoader<string, Proposal | null>((ids) => findVisibleProposals(em, viewer, ids));
    found = {
      proposals,
      threads: new DataLoader(async (ids) => {
        const threads = await threadsByIds(em, ids);
        return Promise.all(
          threads.map(async (thread) => {
            if (!thread) return null;
            const proposal = await proposals.load(thread.proposal.id);
            if (!proposal || !canReadThreadNow(viewer, proposalVisibilityFacts(proposal), thread.audience)) return null;
            return { id: thread.id, title: thread.title };
          }),
        );
      }),
      actorNames: new DataLoader((ids) => displayNamesByIds(em, ids)),
    };
    loaders.set(em, found);
  }
  return found;
}
