import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PresentPerson } from './present-person.types.js';

@ObjectType({ description: 'Someone on a proposal’s workspace now (one entry per person, however many tabs)' })
export class WorkspacePresent extends PresentPerson {}

@ObjectType({ description: 'Someone typing in a thread the viewer may read' })
export class WorkspaceTyping {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => ID)
  threadId!: string;

  @Field(() => Date, { description: 'The last signal: show it for a few seconds after this' })
  typingAt!: Date;
}

export enum WorkspacePresenceEventKind {
  /** Someone opened or left the workspace: `present` is who is here now. */
  PRESENCE = 'PRESENCE',
  /** Someone is typing: `typing` is who types where (threads the viewer may read only). */
  TYPING = 'TYPING',
}
registerEnumType(WorkspacePresenceEventKind, { name: 'WorkspacePresenceEventKind' });

@ObjectType({ description: 'Who is on a proposal’s workspace now and who is typing where' })
export class WorkspacePresenceEvent {
  @Field(() => String)
  cursor!: string;

  @Field(() => WorkspacePresenceEventKind)
  kind!: WorkspacePresenceEventKind;

  @Field(() => ID)
  proposalId!: string;

  @Field(() => [WorkspacePresent])
  present!: WorkspacePresent[];

  @Field(() => [WorkspaceTyping], { description: 'Only typing in threads the viewer may read' })
  typing!: WorkspaceTyping[];
}
