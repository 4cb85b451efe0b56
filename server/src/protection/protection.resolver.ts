import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Attachment, AttachmentPurpose } from '../attachments/attachment.entity.js';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { proposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { Audience } from '../shared/audience.js';
import { Message } from '../threads/message.entity.js';
import { threadLoadersFor } from '../threads/thread.loaders.js';
import { ProtectionRequest, ProtectionState } from './protection-request.entity.js';
import { ProtectedItemInput, ProtectionDecision } from './protection.input.js';
import { protectionLoadersFor } from './protection.loaders.js';
import { canDecideProtection, canExportProtectionRegister, canRequestProtection, isProposerSideMessage } from './protection.policy.js';
import { protectedFieldNames } from './protection.redaction.js';
import { decideProtection, requestProtection } from './protection.service.js';
import { ProtectionAbilities } from './protection.types.js';

/** Where the desk downloads a proposal's register as CSV (protection.routes.ts). */
export function protectionRegisterCsvPath(proposalId: string): string {
  return `/api/proposals/${proposalId}/protection-register.csv`;
}

function registerFacts(entries: ProtectionRequest[]) {
  return entries.map((entry) => ({ itemKind: entry.itemKind, fieldName: entry.fieldName, attachmentId: entry.attachment?.id ?? null, messageId: entry.message?.id ?? null, state: entry.state }));
}

/** Protection on a proposal: its register, its protected fields, and asking and deciding. */
@Resolver(() => Proposal)
export class ProposalProtectionResolver {
  // Only called on proposals the viewer may see (the parent field resolved them through the
  // visibility rule): the register's audience is the proposal's own.
  @FieldResolver(() => [ProtectionRequest], { description: 'The protection register (アイデア保護台帳), oldest first: item, reason, who asked, who decided, when' })
  protectionRegister(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<ProtectionRequest[]> {
    return protectionLoadersFor(ctx).registers.load(proposal.id);
  }

  @FieldResolver(() => [String], { description: 'The fields protected now (REQUESTED or AGREED), in the form’s order' })
  async protectedFields(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<string[]> {
    return protectedFieldNames(registerFacts(await protectionLoadersFor(ctx).registers.load(proposal.id)));
  }

  @FieldResolver(() => ProtectionAbilities)
  viewerCanProtection(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): ProtectionAbilities {
    const facts = proposalVisibilityFacts(proposal);
    return { request: canRequestProtection(ctx.viewer, facts), decide: canDecideProtection(ctx.viewer, facts), exportRegister: canExportProtectionRegister(ctx.viewer, facts) };
  }

  @FieldResolver(() => String, { description: 'Where the desk GETs the register as CSV (UTF-8 with BOM); others are refused' })
  protectionRegisterCsvPath(@Root() proposal: Proposal): string {
    return protectionRegisterCsvPath(proposal.id);
  }

  @Access('signedIn')
  @Mutation(() => ProtectionRequest, {
    description:
      'The proposing organisation asks to protect a field, one of its attachments or one of its side’s messages, with a reason, from submission through publication (a request then takes the item off the published case at once). The item is treated as protected until the desk decides. A retry with the same idempotencyKey returns the first entry.',
  })
  requestProtection(
    @Ctx() ctx: RequestContext,
    @Arg('proposalId', () => ID) proposalId: string,
    @Arg('item', () => ProtectedItemInput) item: ProtectedItemInput,
    @Arg('reason', () => String, { description: 'At most 2000 characters, e.g. 法人の競争上の地位' }) reason: string,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
  ): Promise<ProtectionRequest> {
    return requestProtection(ctx.em, ctx.viewer, proposalId, item, reason, idempotencyKey);
  }

  @Access('desk')
  @Mutation(() => ProtectionRequest, { description: 'The desk agrees to protect the item or declines, with a reason. A decision is final; after a decline the proposer may ask again.' })
  decideProtection(
    @Ctx() ctx: RequestContext,
    @Arg('requestId', () => ID) requestId: string,
    @Arg('decision', () => ProtectionDecision) decision: ProtectionDecision,
    @Arg('reason', () => String, { description: 'At most 2000 characters' }) reason: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
  ): Promise<ProtectionRequest> {
    return decideProtection(ctx.em, ctx.viewer, requestId, decision, reason, expectedVersion);
  }
}

@Resolver(() => ProtectionRequest)
export class ProtectionRequestResolver {
  @FieldResolver(() => String, { description: 'Who asked (display name)' })
  async requestedByName(@Root() entry: ProtectionRequest, @Ctx() ctx: RequestContext): Promise<string> {
    return (await protectionLoadersFor(ctx).names.load(entry.requestedBy)) ?? '';
  }

  @FieldResolver(() => String, { nullable: true, description: 'Who decided (display name), once decided' })
  async decidedByName(@Root() entry: ProtectionRequest, @Ctx() ctx: RequestContext): Promise<string | null> {
    return entry.decidedBy ? protectionLoadersFor(ctx).names.load(entry.decidedBy) : null;
  }

  @FieldResolver(() => Attachment, { nullable: true, description: 'For ATTACHMENT: the file' })
  attachment(@Root() entry: ProtectionRequest): Attachment | null {
    return entry.attachment ?? null;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'For MESSAGE: the message (named by when and by whom it was posted, never by its text)' })
  messageId(@Root() entry: ProtectionRequest): string | null {
    return entry.message?.id ?? null;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'For MESSAGE: when it was posted' })
  messagePostedAt(@Root() entry: ProtectionRequest): Date | null {
    return entry.message?.createdAt ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'For MESSAGE: who wrote it' })
  async messageAuthorName(@Root() entry: ProtectionRequest, @Ctx() ctx: RequestContext): Promise<string | null> {
    return entry.message ? protectionLoadersFor(ctx).names.load(entry.message.authorId) : null;
  }
}

@Resolver(() => Attachment)
export class AttachmentProtectionResolver {
  @FieldResolver(() => ProtectionState, { nullable: true, description: 'REQUESTED or AGREED while the file is protected; null otherwise' })
  async protection(@Root() attachment: Attachment, @Ctx() ctx: RequestContext): Promise<ProtectionState | null> {
    // The desk's agreement documents are never the proposer's to protect.
    if (attachment.purpose !== AttachmentPurpose.PROPOSAL) return null;
    return protectionLoadersFor(ctx).attachmentStates.load(attachment.id);
  }
}

@Resolver(() => Message)
export class MessageProtectionResolver {
  @FieldResolver(() => ProtectionState, { nullable: true, description: 'REQUESTED or AGREED while the message is protected; null otherwise' })
  protection(@Root() message: Message, @Ctx() ctx: RequestContext): Promise<ProtectionState | null> {
    return protectionLoadersFor(ctx).messageStates.load(message.id);
  }

  @FieldResolver(() => Boolean, {
    description: "Whether the viewer may ask to protect this message now: the proposer, on a live message of its side in a SHARED thread that is not protected already",
  })
  async viewerCanRequestProtection(@Root() message: Message, @Ctx() ctx: RequestContext): Promise<boolean> {
    // The same conditions requestProtection checks (resolveItem), so the action is offered only where it succeeds.
    if (message.deletedAt || message.thread.audience !== Audience.SHARED) return false;
    const proposal = await threadLoadersFor(ctx).proposalFacts.load(message.proposal.id);
    if (!proposal || !canRequestProtection(ctx.viewer, proposal)) return false;
    const author = await threadLoadersFor(ctx).people.load(message.authorId);
    if (!isProposerSideMessage(author?.role ?? null)) return false;
    return (await protectionLoadersFor(ctx).messageStates.load(message.id)) === null;
  }
}
