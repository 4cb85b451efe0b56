import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Attachment } from '../attachments/attachment.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { Message } from '../threads/message.entity.js';

/** What can be protected (アイデア保護の対象). */
export enum ProtectedItemKind {
  /** A content field of the proposal (提案内容、期待される効果, …), named by `fieldName`. */
  FIELD = 'FIELD',
  ATTACHMENT = 'ATTACHMENT',
  /** One of the proposer's own messages. */
  MESSAGE = 'MESSAGE',
}
registerEnumType(ProtectedItemKind, { name: 'ProtectedItemKind', description: 'A proposal field, an attachment or a message' });

export enum ProtectionState {
  /** Asked by the proposer; treated as protected until the desk decides. */
  REQUESTED = 'REQUESTED',
  AGREED = 'AGREED',
  DECLINED = 'DECLINED',
}
registerEnumType(ProtectionState, { name: 'ProtectionState', description: 'REQUESTED (treated as protected until decided), AGREED or DECLINED by the desk' });

/**
 * One entry of a proposal's protection register (アイデア保護台帳): the item, the proposer's
 * reason, who asked and when, and the desk's decision with its reason — what the ward shows
 * when answering an information-disclosure request (情報公開請求). An item has at most one
 * REQUESTED or AGREED entry (partial unique index); after a decline it may be asked again.
 */
@ObjectType({ description: 'An entry of the protection register: a protected (or to-be-protected) item' })
@Entity({ tableName: 'protection_request' })
@Index({
  name: 'protection_request_active_item_unique',
  expression: `create unique index "protection_request_active_item_unique" on "protection_request" ("proposal_id", "item_kind", coalesce("field_name", ''), coalesce("attachment_id"::text, ''), coalesce("message_id"::text, '')) where "state" in ('REQUESTED', 'AGREED')`,
})
@Index({ properties: ['proposal', 'requestedAt'] })
// The protection of given messages and attachments is looked up at every live message (protectionStatesOf).
@Index({ properties: ['message'] })
@Index({ properties: ['attachment'] })
export class ProtectionRequest {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Proposal, { deleteRule: 'restrict' })
  proposal: Proposal;

  @Field(() => ProtectedItemKind)
  @Enum({ items: () => ProtectedItemKind, nativeEnumName: 'protected_item_kind' })
  itemKind: ProtectedItemKind;

  /** For FIELD: the proposal field's name (e.g. `content`). */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  fieldName: string | null = null;

  @ManyToOne(() => Attachment, { nullable: true, deleteRule: 'restrict' })
  attachment: Attachment | null = null;

  @ManyToOne(() => Message, { nullable: true, deleteRule: 'restrict' })
  message: Message | null = null;

  /** Why the proposer asks (e.g. 法人の競争上の地位). */
  @Field(() => String)
  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'uuid' })
  requestedBy: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  requestedAt: Opt<Date> = new Date();

  @Field(() => ProtectionState)
  @Enum({ items: () => ProtectionState, nativeEnumName: 'protection_state' })
  state: Opt<ProtectionState> = ProtectionState.REQUESTED;

  @Property({ type: 'uuid', nullable: true })
  decidedBy: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  decisionReason: string | null = null;

  @Field(() => Int, { description: 'Pass as expectedVersion when deciding it' })
  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;

  constructor(proposal: Proposal, itemKind: ProtectedItemKind, requestedBy: string) {
    this.proposal = proposal;
    this.itemKind = itemKind;
    this.requestedBy = requestedBy;
  }
}
