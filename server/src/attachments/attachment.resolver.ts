import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import DataLoader from 'dataloader';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { Attachment } from './attachment.entity.js';
import { attachmentsOfProposals, removeAttachment } from './attachment.service.js';
import { attachmentStorageFor } from './local-disk-storage.js';

/** Per operation, keyed by its EntityManager (a subscription gets a fresh one per event). */
const loaders = new WeakMap<object, DataLoader<string, Attachment[]>>();
function attachmentsLoader(ctx: RequestContext): DataLoader<string, Attachment[]> {
  let loader = loaders.get(ctx.em);
  if (!loader) {
    const em = ctx.em;
    loader = new DataLoader((proposalIds) => attachmentsOfProposals(em, proposalIds));
    loaders.set(ctx.em, loader);
  }
  return loader;
}

/** Attachments as seen through GraphQL: listing on a proposal and removal. Upload and download are HTTP routes (attachment.routes.ts). */
@Resolver(() => Proposal)
export class ProposalAttachmentsResolver {
  @FieldResolver(() => [Attachment], { description: 'Live attachments, oldest first; download each from downloadPath' })
  attachments(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<Attachment[]> {
    // Only called on proposals the viewer may see: the parent field resolved them through the visibility rule.
    return attachmentsLoader(ctx).load(proposal.id);
  }

  @Access('signedIn')
  @Mutation(() => Boolean, { description: 'Removes an attachment from a draft (members of its organisation)' })
  async deleteAttachment(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    await removeAttachment(ctx.em, attachmentStorageFor(ctx.config), ctx.viewer, id, ctx.logger);
    return true;
  }
}

@Resolver(() => Attachment)
export class AttachmentResolver {
  @FieldResolver(() => String, { description: 'Where to GET the file (the session cookie is checked on every download)' })
  downloadPath(@Root() attachment: Attachment): string {
    return `/api/attachments/${attachment.id}`;
  }
}
