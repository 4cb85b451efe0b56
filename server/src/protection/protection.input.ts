import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { ProtectedItemKind } from './protection-request.entity.js';

/** The desk's answer to a protection request. */
export enum ProtectionDecision {
  AGREED = 'AGREED',
  DECLINED = 'DECLINED',
}
registerEnumType(ProtectionDecision, { name: 'ProtectionDecision', description: 'The desk agrees to protect the item, or declines' });

@InputType({ description: 'The item to protect: a proposal field (fieldName), an attachment (attachmentId) or a message (messageId)' })
export class ProtectedItemInput {
  @Field(() => ProtectedItemKind)
  kind!: ProtectedItemKind;

  @Field(() => String, { nullable: true, description: 'For FIELD: wardIssue, content, expectedEffects, askOfWard, wardCostReason, ownResources or schedule (the title is never protected)' })
  fieldName?: string | null;

  @Field(() => ID, { nullable: true, description: "For ATTACHMENT: one of the proposal's own material (not an agreement document)" })
  attachmentId?: string | null;

  @Field(() => ID, { nullable: true, description: "For MESSAGE: a message on the proposal written by the proposer's side" })
  messageId?: string | null;
}
