import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Attachment } from '../attachments/attachment.entity.js';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { Section } from '../sections/section.entity.js';
import { AgreementRecord } from './agreement-record.entity.js';
import { PartnershipDecision } from './partnership-decision.entity.js';
import { AgreementDocumentInput, PartnershipDecisionInput, ProgressNoteInput } from './partnership.input.js';
import { partnershipLoadersFor } from './partnership.loaders.js';
import { addProgressNote, recordAgreement, recordAgreementDocument, startProposalWork } from './partnership.service.js';
import { ProgressNote } from './progress-note.entity.js';

/** Decision (合意), agreement record (協定書・契約書) and carrying it out (事業実施): issue 4, items 4 and 5. */
@Resolver(() => Proposal)
export class PartnershipResolver {
  @Access('desk')
  @Mutation(() => Proposal, {
    description:
      'The desk records the partnership as agreed (AGREED) from IN_DIALOGUE: form, ward cost, term, scope, roles (役割分担) and indicators. Needs the lead section to have ACCEPTED its match.',
  })
  recordAgreement(
    @Ctx() ctx: RequestContext,
    @Arg('proposalId', () => ID) proposalId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('input', () => PartnershipDecisionInput) input: PartnershipDecisionInput,
  ): Promise<Proposal> {
    return recordAgreement(ctx.em, ctx.viewer, proposalId, expectedVersion, input);
  }

  @Access('desk')
  @Mutation(() => Proposal, {
    description:
      'The desk records (or corrects) the signed 協定書 or 契約書 of a proposal AGREED or later whose form is AGREEMENT or CONTRACT. The signed PDF is filed afterwards: POST /api/proposals/:id/agreement-document.',
  })
  recordAgreementDocument(
    @Ctx() ctx: RequestContext,
    @Arg('proposalId', () => ID) proposalId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('input', () => AgreementDocumentInput) input: AgreementDocumentInput,
  ): Promise<Proposal> {
    return recordAgreementDocument(ctx.em, ctx.viewer, proposalId, expectedVersion, input);
  }

  @Access('signedIn')
  @Mutation(() => Proposal, { description: 'Staff of the ACCEPTED lead section (主担当課) start the work: AGREED → IN_PROGRESS' })
  startProposalWork(@Ctx() ctx: RequestContext, @Arg('proposalId', () => ID) proposalId: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Proposal> {
    return startProposalWork(ctx.em, ctx.viewer, proposalId, expectedVersion);
  }

  @Access('signedIn')
  @Mutation(() => ProgressNote, {
    description: 'A progress note or milestone, by the desk or staff of an ACCEPTED section, while IN_PROGRESS. A retry with the same idempotencyKey returns the first note.',
  })
  addProgressNote(
    @Ctx() ctx: RequestContext,
    @Arg('proposalId', () => ID) proposalId: string,
    @Arg('input', () => ProgressNoteInput) input: ProgressNoteInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
  ): Promise<ProgressNote> {
    return addProgressNote(ctx.em, ctx.viewer, proposalId, input, idempotencyKey);
  }

  @FieldResolver(() => PartnershipDecision, { nullable: true, description: 'The partnership as agreed; null until AGREED' })
  decision(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<PartnershipDecision | null> {
    return partnershipLoadersFor(ctx).decisions.load(proposal.id);
  }

  @FieldResolver(() => AgreementRecord, { nullable: true, description: 'The signed 協定書 or 契約書, once recorded' })
  agreementRecord(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<AgreementRecord | null> {
    return partnershipLoadersFor(ctx).agreementRecords.load(proposal.id);
  }

  @FieldResolver(() => [ProgressNote], { description: 'Progress notes and milestones, oldest first' })
  progressNotes(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<ProgressNote[]> {
    return partnershipLoadersFor(ctx).progressNotes.load(proposal.id);
  }
}

@Resolver(() => ProgressNote)
export class ProgressNoteResolver {
  @FieldResolver(() => String, { description: 'Who wrote it' })
  async authorName(@Root() note: ProgressNote, @Ctx() ctx: RequestContext): Promise<string> {
    return (await partnershipLoadersFor(ctx).authorNames.load(note.authorId)) ?? '';
  }

  @FieldResolver(() => Section, { nullable: true, description: 'The author’s section; null for the desk' })
  section(@Root() note: ProgressNote): Section | null {
    // Every read of notes joins the section and its department.
    return note.section;
  }
}

@Resolver(() => AgreementRecord)
export class AgreementRecordResolver {
  @FieldResolver(() => Attachment, {
    nullable: true,
    description: 'The signed document (PDF) filed on the record, the latest when replaced; null until filed. Download it from its downloadPath.',
  })
  document(@Root() record: AgreementRecord): Attachment | null {
    // Every read of agreement records joins the document (agreementRecordsOfProposals).
    return record.document;
  }
}
