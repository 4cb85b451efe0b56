import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../graphql/connection.js';
import { PersonViewFields } from '../identity/person-view.types.js';
import { Audience } from '../shared/audience.js';
import { Message } from './message.entity.js';
import { Thread } from './thread.entity.js';

/** A person as shown in a thread: name and affiliation. Never an e-mail address (proposers read these too). */
@ObjectType({ description: 'A person in a thread, or someone who may be mentioned: name, role, section or organisation. No contact details.' })
export class ThreadPerson extends PersonViewFields {
  @Field(() => String, { nullable: true, description: 'Proposers: their organisation, while a member' })
  organisationName!: string | null;
}

@InputType({ description: 'A new thread: who it is for, its title and its first message' })
export class StartThreadInput {
  @Field(() => Audience, { description: 'SHARED (ward and proposer) or INTERNAL (ward only); fixed for good. Proposers start SHARED threads only.' })
  audience!: Audience;

  @Field(() => String, { description: 'At most 200 characters' })
  title!: string;

  @Field(() => String, { description: 'The first message, in the safe Markdown subset; at most 20 000 characters. Mentions: @[name](account:<id>).' })
  body!: string;

  @Field(() => [ID], {
    nullable: true,
    description: 'Files for the first message, uploaded by the viewer onto the proposal before the thread exists (POST /api/proposals/:proposalId/thread-attachments); at most 10',
  })
  attachmentIds?: string[] | null;
}

@ObjectType({ description: 'What the viewer may do in this thread now' })
export class ThreadAbilities {
  @Field(() => Boolean, { description: 'Post and reply: everyone in its audience while the proposal is open for dialogue' })
  post!: boolean;
}

@ObjectType({ description: 'What the viewer may do about threads on this proposal' })
export class ProposalThreadAbilities {
  @Field(() => Boolean, { description: 'Start a thread: everyone who sees the proposal, from submission until the report' })
  start!: boolean;

  @Field(() => [Audience], { description: 'The audiences the viewer may choose: ward staff both, proposers SHARED only' })
  audiences!: Audience[];
}

@ObjectType({ description: 'What the viewer may do to this message now' })
export class MessageAbilities {
  @Field(() => Boolean, { description: 'Its author, while it is not deleted' })
  edit!: boolean;

  @Field(() => Boolean, { description: 'Its author or the desk, while it is not deleted' })
  delete!: boolean;

  @Field(() => Boolean)
  reply!: boolean;
}

@ObjectType({ description: 'The message a deeper reply answers, quoted' })
export class MessageQuote {
  @Field(() => ID)
  messageId!: string;

  @Field(() => String, { nullable: true })
  authorName!: string | null;

  @Field(() => String, { nullable: true, description: 'The start of its text (plain Markdown source, at most 200 characters); null once deleted' })
  excerpt!: string | null;

  @Field(() => Boolean)
  deleted!: boolean;
}

@ObjectType({ description: 'An earlier body of an edited message' })
export class MessageRevisionView {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  body!: string;

  @Field(() => String, { description: 'Rendered and sanitised on the server' })
  bodyHtml!: string;

  @Field(() => Date, { description: 'When this body was replaced' })
  editedAt!: Date;

  @Field(() => String, { nullable: true })
  editedByName!: string | null;
}

@ObjectType()
export class MessageEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Message)
  node!: Message;
}

@ObjectType({ description: 'Messages of a thread, oldest first, flat: each names its parent' })
export class MessageConnection {
  @Field(() => [MessageEdge])
  edges!: MessageEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Every message of the thread, deleted ones included' })
  totalCount!: number;
}

export enum ThreadEventKind {
  THREAD_STARTED = 'THREAD_STARTED',
  MESSAGE_POSTED = 'MESSAGE_POSTED',
  MESSAGE_EDITED = 'MESSAGE_EDITED',
  MESSAGE_DELETED = 'MESSAGE_DELETED',
}
registerEnumType(ThreadEventKind, { name: 'ThreadEventKind' });

@ObjectType({ description: 'Something happened in a proposal’s threads. Only ever delivered to the thread’s audience.' })
export class ThreadEvent {
  @Field(() => String, { description: 'Pass as `after` when resubscribing' })
  cursor!: string;

  @Field(() => ThreadEventKind)
  kind!: ThreadEventKind;

  @Field(() => ID)
  proposalId!: string;

  @Field(() => ID)
  threadId!: string;

  @Field(() => ID, { nullable: true })
  messageId!: string | null;

  @Field(() => Thread, { nullable: true, description: 'The thread as the viewer may see it now' })
  thread!: Thread | null;

  @Field(() => Message, { nullable: true, description: 'The message as the viewer may see it now' })
  message!: Message | null;
}
