import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Attachment } from '../attachments/attachment.entity.js';
import { NotFoundError } from '../errors/domain-errors.js';
import { Access, subscribeWithAccess } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { Audience } from '../shared/audience.js';
import { Message } from './message.entity.js';
import { Thread } from './thread.entity.js';
import { threadLoadersFor } from './thread.loaders.js';
import { canDeleteMessage, canEditMessage, canReadThread, canWriteInThread, THREAD_WRITABLE_STATES, type ThreadFacts } from './thread.policy.js';
import { findVisibleThreadWithProposal, messagesOfThread, threadMentionCandidates } from './thread.reads.js';
import { deleteMessage, editMessage, followThread, markThreadRead, postMessage, startThread } from './thread.service.js';
import { threadEventStream } from './thread-events.subscription.js';
import { MessageAbilities, MessageConnection, MessageQuote, MessageRevisionView, ProposalThreadAbilities, StartThreadInput, ThreadAbilities, ThreadEvent, ThreadPerson } from './thread.types.js';

/** A thread is only ever read through a visible proposal: a missing one here means access ended meanwhile. */
async function factsOf(thread: Thread, ctx: RequestContext): Promise<ThreadFacts> {
  const proposal = await threadLoadersFor(ctx).proposalFacts.load(thread.proposal.id);
  const facts = proposal ? { proposal, audience: thread.audience } : null;
  if (!facts || !canReadThread(ctx.viewer, facts)) throw new NotFoundError('Thread');
  return facts;
}

/** Threads and messages on a proposal (対話): SHARED with the proposer, or INTERNAL to the ward. */
@Resolver(() => Thread)
export class ThreadResolver {
  @Access('signedIn')
  @Query(() => Thread, { description: 'One thread; NOT_FOUND when it does not exist or the viewer may not read it (the two look the same)' })
  async thread(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Thread> {
    const thread = await findVisibleThreadWithProposal(ctx.em, ctx.viewer, id);
    if (!thread) throw new NotFoundError('Thread');
    // Read through proposalVisibilityFilter with its matches, as the proposals loader would read it:
    // the thread's fields (abilities, messages) decide by it without reading it again.
    threadLoadersFor(ctx).proposalFacts.prime(thread.proposal.id, proposalVisibilityFacts(thread.proposal));
    return thread;
  }

  @Access('signedIn')
  @Query(() => [ThreadPerson], {
    description: 'Who may be @mentioned: exactly the people who read the thread (or a new thread of `audience` on `proposalId`). Names and affiliations only.',
  })
  threadMentionCandidates(
    @Ctx() ctx: RequestContext,
    @Arg('threadId', () => ID, { nullable: true }) threadId: string | null,
    @Arg('proposalId', () => ID, { nullable: true }) proposalId: string | null,
    @Arg('audience', () => Audience, { nullable: true }) audience: Audience | null,
  ): Promise<ThreadPerson[]> {
    return threadMentionCandidates(ctx.em, ctx.viewer, { threadId, proposalId, audience });
  }

  @Access('signedIn')
  @Mutation(() => Thread, {
    description: 'Starts a thread with its first message, from submission until the report. Proposers start SHARED threads only. A retry with the same idempotencyKey returns the first thread.',
  })
  startThread(
    @Ctx() ctx: RequestContext,
    @Arg('proposalId', () => ID) proposalId: string,
    @Arg('input', () => StartThreadInput) input: StartThreadInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
  ): Promise<Thread> {
    return startThread(ctx.em, ctx.viewer, proposalId, input, idempotencyKey);
  }

  @Access('signedIn')
  @Mutation(() => Message, {
    description:
      'Posts a message, or a reply (parentId) nested to three levels; deeper replies quote their parent. NOT_FOUND for a thread the viewer cannot read. A retry with the same idempotencyKey returns the first message.',
  })
  postMessage(
    @Ctx() ctx: RequestContext,
    @Arg('threadId', () => ID) threadId: string,
    @Arg('body', () => String) body: string,
    @Arg('parentId', () => ID, { nullable: true }) parentId: string | null,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
    @Arg('attachmentIds', () => [ID], {
      nullable: true,
      description: 'Files uploaded by the viewer into this thread (POST /api/threads/:threadId/attachments) and not yet on a message; at most 10',
    })
    attachmentIds: string[] | null,
  ): Promise<Message> {
    return postMessage(ctx.em, ctx.viewer, threadId, body, parentId, idempotencyKey, attachmentIds);
  }

  @Access('signedIn')
  @Mutation(() => Message, { description: 'Edits one’s own message; the previous body is kept in its history. A stale expectedVersion is CONFLICT STALE_VERSION.' })
  editMessage(@Ctx() ctx: RequestContext, @Arg('messageId', () => ID) messageId: string, @Arg('body', () => String) body: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Message> {
    return editMessage(ctx.em, ctx.viewer, messageId, body, expectedVersion);
  }

  @Access('signedIn')
  @Mutation(() => Message, { description: 'Deletes a message (its author, or the desk): the text is removed, a placeholder remains' })
  deleteMessage(@Ctx() ctx: RequestContext, @Arg('messageId', () => ID) messageId: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Message> {
    return deleteMessage(ctx.em, ctx.viewer, messageId, expectedVersion);
  }

  @Access('signedIn')
  @Mutation(() => Thread, { description: 'Marks the thread read up to `upTo` (the newest message seen; now by default) for the viewer' })
  markThreadRead(@Ctx() ctx: RequestContext, @Arg('threadId', () => ID) threadId: string, @Arg('upTo', () => Date, { nullable: true }) upTo: Date | null): Promise<Thread> {
    return markThreadRead(ctx.em, ctx.viewer, threadId, upTo);
  }

  @Access('signedIn')
  @Mutation(() => Thread, { description: 'Follows or unfollows the thread: followers are told of new messages' })
  followThread(@Ctx() ctx: RequestContext, @Arg('threadId', () => ID) threadId: string, @Arg('following', () => Boolean) following: boolean): Promise<Thread> {
    return followThread(ctx.em, ctx.viewer, threadId, following);
  }

  @Access('signedIn')
  @Subscription(() => ThreadEvent, {
    description:
      'A proposal’s threads live: new threads, new, edited and deleted messages, each only for its audience. Pass liveCursor (read with the data shown) or the last event’s cursor as `after`: what was missed is delivered first, once.',
    subscribe: subscribeWithAccess<{ proposalId: string; after?: string | null }>((context, args) => threadEventStream(context, args.proposalId, args.after)),
  })
  threadEvents(
    @Root() event: ThreadEvent,
    @Arg('proposalId', () => ID) _proposalId: string,
    @Arg('after', () => String, { nullable: true }) _after: string | null,
  ): ThreadEvent {
    return event;
  }

  @FieldResolver(() => MessageConnection, { description: 'Its messages, oldest first, flat (each names its parent); deleted ones as placeholders' })
  async messages(
    @Root() thread: Thread,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 100 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<MessageConnection> {
    await factsOf(thread, ctx);
    return messagesOfThread(ctx.em, thread, first, after);
  }

  @FieldResolver(() => Int, { description: 'Messages by others the viewer has not read yet' })
  async unreadCount(@Root() thread: Thread, @Ctx() ctx: RequestContext): Promise<number> {
    return (await threadLoadersFor(ctx).readerStates.load(thread.id)).unreadCount;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer follows it' })
  async following(@Root() thread: Thread, @Ctx() ctx: RequestContext): Promise<boolean> {
    return (await threadLoadersFor(ctx).readerStates.load(thread.id)).following;
  }

  @FieldResolver(() => ThreadPerson, { nullable: true, description: 'Who started it' })
  createdBy(@Root() thread: Thread, @Ctx() ctx: RequestContext): Promise<ThreadPerson | null> {
    return threadLoadersFor(ctx).people.load(thread.createdBy);
  }

  @FieldResolver(() => ID)
  proposalId(@Root() thread: Thread): string {
    return thread.proposal.id;
  }

  @FieldResolver(() => ThreadAbilities)
  async viewerCan(@Root() thread: Thread, @Ctx() ctx: RequestContext): Promise<ThreadAbilities> {
    return { post: canWriteInThread(ctx.viewer, await factsOf(thread, ctx)) };
  }
}

@Resolver(() => Message)
export class MessageResolver {
  @FieldResolver(() => ID)
  threadId(@Root() message: Message): string {
    return message.thread.id;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The message it answers (null at the top level)' })
  parentId(@Root() message: Message): string | null {
    return message.parent?.id ?? null;
  }

  @FieldResolver(() => Boolean)
  deleted(@Root() message: Message): boolean {
    return message.deletedAt !== null;
  }

  @FieldResolver(() => String, { description: 'The Markdown as written (empty once deleted): for editing' })
  body(@Root() message: Message): string {
    return message.deletedAt ? '' : message.body;
  }

  @FieldResolver(() => String, { description: 'Rendered and sanitised on the server — the only HTML to display (empty once deleted)' })
  bodyHtml(@Root() message: Message): string {
    return message.deletedAt ? '' : message.bodyHtml;
  }

  @FieldResolver(() => ThreadPerson, { nullable: true })
  author(@Root() message: Message, @Ctx() ctx: RequestContext): Promise<ThreadPerson | null> {
    return threadLoadersFor(ctx).people.load(message.authorId);
  }

  @FieldResolver(() => [ThreadPerson], { description: 'The people mentioned' })
  async mentions(@Root() message: Message, @Ctx() ctx: RequestContext): Promise<ThreadPerson[]> {
    const people = await threadLoadersFor(ctx).people.loadMany(message.mentionIds);
    return people.filter((person): person is ThreadPerson => person !== null && !(person instanceof Error));
  }

  @FieldResolver(() => MessageQuote, { nullable: true, description: 'The message a deeper reply answers, quoted' })
  quote(@Root() message: Message, @Ctx() ctx: RequestContext): Promise<MessageQuote | null> | null {
    return message.quoted ? threadLoadersFor(ctx).histories.load(message.id).then((history) => history.quote) : null;
  }

  @FieldResolver(() => [Attachment], { description: 'Its files, oldest first (none once deleted); download each from downloadPath — the thread’s readers only' })
  async attachments(@Root() message: Message, @Ctx() ctx: RequestContext): Promise<Attachment[]> {
    if (message.deletedAt) return [];
    return threadLoadersFor(ctx).attachments.load(message.id);
  }

  @FieldResolver(() => [MessageRevisionView], { description: 'Earlier bodies, oldest first (removed when the message is deleted)' })
  async revisions(@Root() message: Message, @Ctx() ctx: RequestContext): Promise<MessageRevisionView[]> {
    return (await threadLoadersFor(ctx).histories.load(message.id)).revisions;
  }

  @FieldResolver(() => MessageAbilities)
  async viewerCan(@Root() message: Message, @Ctx() ctx: RequestContext): Promise<MessageAbilities> {
    const facts = await factsOf(message.thread, ctx);
    const own = { authorId: message.authorId, deleted: message.deletedAt !== null };
    return { edit: canEditMessage(ctx.viewer, facts, own), delete: canDeleteMessage(ctx.viewer, facts, own), reply: canWriteInThread(ctx.viewer, facts) };
  }
}

/** The proposal's side: its threads for whoever sees the proposal (proposers: SHARED ones only). */
@Resolver(() => Proposal)
export class ProposalThreadsResolver {
  @FieldResolver(() => [Thread], { description: 'Its threads (対話), most recently active first; proposers see the SHARED ones only' })
  threads(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<Thread[]> {
    return threadLoadersFor(ctx).threads.load(proposal.id);
  }

  @FieldResolver(() => Int, { description: 'Messages by others the viewer has not read, over the threads they may read' })
  unreadMessageCount(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<number> {
    return threadLoadersFor(ctx).proposalUnread.load(proposal.id);
  }

  @FieldResolver(() => ProposalThreadAbilities)
  viewerCanThreads(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): ProposalThreadAbilities {
    const facts = proposalVisibilityFacts(proposal);
    const open = THREAD_WRITABLE_STATES.includes(facts.state);
    const audiences = [Audience.SHARED, Audience.INTERNAL].filter((audience) => canReadThread(ctx.viewer, { proposal: facts, audience }));
    return { start: open && audiences.length > 0, audiences: open ? audiences : [] };
  }
}
