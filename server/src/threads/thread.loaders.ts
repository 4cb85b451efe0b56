import DataLoader from 'dataloader';
import type { RequestContext } from '../graphql/context.js';
import type { Attachment } from '../attachments/attachment.entity.js';
import { proposalVisibilityFacts, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposals } from '../proposals/proposal.service.js';
import { attachmentsOfMessages } from './message-attachment.links.js';
import type { Thread } from './thread.entity.js';
import { fanOutOf, readAcrossExecutions } from '../events/fan-out.js';
import { historiesOfMessages, readerStatesOfPeople, readerStatesOfThreads, threadPeople, threadsOfProposals, unreadCountsOfProposals, type MessageHistory, type ThreadReaderState } from './thread.reads.js';
import type { ThreadPerson } from './thread.types.js';

/**
 * Per-operation loaders, keyed by the operation's EntityManager (a subscription gets a fresh one
 * per event, with the viewer re-read): every list and count on a page in one statement each.
 */
export interface ThreadLoaders {
  threads: DataLoader<string, Thread[]>;
  /** A thread's unread count and follow flag for the viewer, read together (one statement for both fields). */
  readerStates: DataLoader<string, ThreadReaderState>;
  proposalUnread: DataLoader<string, number>;
  /** A message's earlier bodies and the message it quotes, read together (one statement for both fields). */
  histories: DataLoader<string, MessageHistory>;
  people: DataLoader<string, ThreadPerson | null>;
  /** The visibility facts of proposals the viewer sees (null otherwise): what the thread policies decide by. */
  proposalFacts: DataLoader<string, ProposalVisibilityFacts | null>;
  attachments: DataLoader<string, Attachment[]>;
}
const loaders = new WeakMap<object, ThreadLoaders>();

/** A person's reader states while executing a live event: read in one statement with everyone else's executing it. */
async function readerStatesWithOthers(ctx: RequestContext, accountId: string, threadIds: readonly string[]): Promise<ThreadReaderState[]> {
  const read = fanOutOf(ctx).acrossExecutions('threadReaderStates', (keys) => readerStatesOfPeople(ctx.rootEm.fork(), keys));
  const states = await Promise.all(threadIds.map((threadId) => read(`${accountId}|${threadId}`)));
  return states.map((state) => state ?? { unreadCount: 0, following: false });
}
export function threadLoadersFor(ctx: RequestContext): ThreadLoaders {
  const em = ctx.em;
  let found = loaders.get(em);
  if (!found) {
    const viewer = ctx.viewer;
    found = {
      threads: new DataLoader((ids) => threadsOfProposals(em, viewer, ids)),
      readerStates: new DataLoader((ids) =>
        ctx.executingSharedEvent && viewer.kind === 'account' ? readerStatesWithOthers(ctx, viewer.accountId, ids) : readerStatesOfThreads(em, viewer, ids),
      ),
      proposalUnread: new DataLoader((ids) => unreadCountsOfProposals(em, viewer, ids)),
      histories: new DataLoader(readAcrossExecutions(ctx, 'messageHistories', historiesOfMessages)),
      people: new DataLoader(readAcrossExecutions(ctx, 'threadPeople', threadPeople)),
      proposalFacts: new DataLoader(async (ids) => (await findVisibleProposals(em, viewer, ids)).map((proposal) => (proposal ? proposalVisibilityFacts(proposal) : null))),
      attachments: new DataLoader(readAcrossExecutions(ctx, 'messageAttachments', attachmentsOfMessages)),
    };
    loaders.set(em, found);
  }
  return found;
}
