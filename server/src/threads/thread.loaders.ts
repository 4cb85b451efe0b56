import DataLoader from 'dataloader';
import type { RequestContext } from '../graphql/context.js';
import type { Attachment } from '../attachments/attachment.entity.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { findVisibleProposals } from '../proposals/proposal.service.js';
import { attachmentsOfMessages } from './message-attachment.links.js';
import type { Thread } from './thread.entity.js';
import { followingOfThreads, quotesOfMessages, revisionsOfMessages, threadPeople, threadsOfProposals, unreadCountsOfProposals, unreadCountsOfThreads } from './thread.reads.js';
import type { MessageQuote, MessageRevisionView, ThreadPerson } from './thread.types.js';

/**
 * Per-operation loaders, keyed by the operation's EntityManager (a subscription gets a fresh one
 * per event, with the viewer re-read): every list and count on a page in one statement each.
 */
export interface ThreadLoaders {
  threads: DataLoader<string, Thread[]>;
  threadUnread: DataLoader<string, number>;
  proposalUnread: DataLoader<string, number>;
  following: DataLoader<string, boolean>;
  revisions: DataLoader<string, MessageRevisionView[]>;
  quotes: DataLoader<string, MessageQuote | null>;
  people: DataLoader<string, ThreadPerson | null>;
  proposals: DataLoader<string, Proposal | null>;
  attachments: DataLoader<string, Attachment[]>;
}
const loaders = new WeakMap<object, ThreadLoaders>();
export function threadLoadersFor(ctx: RequestContext): ThreadLoaders {
  const em = ctx.em;
  let found = loaders.get(em);
  if (!found) {
    const viewer = ctx.viewer;
    found = {
      threads: new DataLoader((ids) => threadsOfProposals(em, viewer, ids)),
      threadUnread: new DataLoader((ids) => unreadCountsOfThreads(em, viewer, ids)),
      proposalUnread: new DataLoader((ids) => unreadCountsOfProposals(em, viewer, ids)),
      following: new DataLoader((ids) => followingOfThreads(em, viewer, ids)),
      revisions: new DataLoader((ids) => revisionsOfMessages(em, ids)),
      quotes: new DataLoader((ids) => quotesOfMessages(em, ids)),
      people: new DataLoader((ids) => threadPeople(em, ids)),
      proposals: new DataLoader((ids) => findVisibleProposals(em, viewer, ids)),
      attachments: new DataLoader((ids) => attachmentsOfMessages(em, ids)),
    };
    loaders.set(em, found);
  }
  return found;
}
