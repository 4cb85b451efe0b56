import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { Attachment } from '../attachments/attachment.entity.js';
import { attachmentStorageFor } from '../attachments/local-disk-storage.js';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { proposalActorFacts } from '../proposals/proposal.policy.js';
import { ImplementationReport, ReportComment } from './implementation-report.entity.js';
import { ReportInput } from './report.input.js';
import { reportLoadersFor } from './report.loaders.js';
import { canCommentOnReport, canDecideReport, canEditReport, canStartReport } from './report.policy.js';
import { removeReportPhoto } from './report-photo.service.js';
import { acceptReport, commentOnReport, returnReport, saveReport, startReport, submitReport } from './report.service.js';

@ObjectType({ description: 'What the viewer may do to the report now' })
export class ReportAbilities {
  @Field(() => Boolean, { description: 'Staff of the ACCEPTED lead section, while IN_PROGRESS and DRAFT or RETURNED: save, add and remove photos' })
  edit!: boolean;

  @Field(() => Boolean, { description: 'As edit (the content is checked for completeness on submit)' })
  submit!: boolean;

  @Field(() => Boolean, { description: 'The desk, while SUBMITTED (差し戻し, with a note)' })
  return!: boolean;

  @Field(() => Boolean, { description: 'The desk, while SUBMITTED (受理: the proposal becomes REPORTED)' })
  accept!: boolean;

  @Field(() => Boolean, { description: 'Members of the organisation and staff of ACCEPTED sections, while DRAFT or RETURNED' })
  comment!: boolean;
}

const NOTHING: ReportAbilities = { edit: false, submit: false, return: false, accept: false, comment: false };

/** The implementation report (実施報告書): issue 6, item 1. */
@Resolver(() => Proposal)
export class ProposalReportResolver {
  @FieldResolver(() => ImplementationReport, { nullable: true, description: 'The implementation report (実施報告書); null until the lead section starts it' })
  async report(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<ImplementationReport | null> {
    // Only called on proposals the viewer may see: the parent field resolved them through the visibility rule.
    const loaders = reportLoadersFor(ctx);
    const report = await loaders.reports.load(proposal.id);
    if (report) loaders.parents.set(report, proposal);
    return report;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer may start the report now: staff of the ACCEPTED lead section, while IN_PROGRESS, before it exists' })
  async viewerCanStartReport(@Root() proposal: Proposal, @Ctx() ctx: RequestContext): Promise<boolean> {
    if (!proposal.matches.isInitialized()) return false;
    const report = await reportLoadersFor(ctx).reports.load(proposal.id);
    return report === null && canStartReport(ctx.viewer, proposalActorFacts(proposal), null);
  }

  @Access('signedIn')
  @Mutation(() => Proposal, { description: 'Staff of the ACCEPTED lead section start the report while IN_PROGRESS: a DRAFT with the agreed indicators. Idempotent.' })
  startReport(@Ctx() ctx: RequestContext, @Arg('proposalId', () => ID) proposalId: string): Promise<Proposal> {
    return startReport(ctx.em, ctx.viewer, proposalId);
  }

  @Access('signedIn')
  @Mutation(() => Proposal, { description: 'The lead section saves the report as written so far (DRAFT or RETURNED). A stale expectedVersion is a CONFLICT (STALE_VERSION).' })
  saveReport(
    @Ctx() ctx: RequestContext,
    @Arg('reportId', () => ID) reportId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('input', () => ReportInput) input: ReportInput,
  ): Promise<Proposal> {
    return saveReport(ctx.em, ctx.viewer, reportId, expectedVersion, input);
  }

  @Access('signedIn')
  @Mutation(() => Proposal, { description: 'The lead section submits the complete report to the desk: DRAFT or RETURNED → SUBMITTED' })
  submitReport(@Ctx() ctx: RequestContext, @Arg('reportId', () => ID) reportId: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Proposal> {
    return submitReport(ctx.em, ctx.viewer, reportId, expectedVersion);
  }

  @Access('desk')
  @Mutation(() => Proposal, { description: 'The desk returns a SUBMITTED report for revision, with a note (差し戻し)' })
  returnReport(
    @Ctx() ctx: RequestContext,
    @Arg('reportId', () => ID) reportId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('note', () => String) note: string,
  ): Promise<Proposal> {
    return returnReport(ctx.em, ctx.viewer, reportId, expectedVersion, note);
  }

  @Access('desk')
  @Mutation(() => Proposal, { description: 'The desk accepts a SUBMITTED report (受理): the proposal moves IN_PROGRESS → REPORTED' })
  acceptReport(@Ctx() ctx: RequestContext, @Arg('reportId', () => ID) reportId: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Proposal> {
    return acceptReport(ctx.em, ctx.viewer, reportId, expectedVersion);
  }

  @Access('signedIn')
  @Mutation(() => ReportComment, { description: 'A comment on the report while DRAFT or RETURNED. A retry with the same idempotencyKey returns the first comment.' })
  commentOnReport(
    @Ctx() ctx: RequestContext,
    @Arg('reportId', () => ID) reportId: string,
    @Arg('body', () => String) body: string,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
  ): Promise<ReportComment> {
    return commentOnReport(ctx.em, ctx.viewer, reportId, body, idempotencyKey);
  }

  @Access('signedIn')
  @Mutation(() => Boolean, { description: 'The lead section removes a photo from the report while DRAFT or RETURNED. Photos are uploaded with POST /api/reports/:reportId/photos.' })
  async removeReportPhoto(@Ctx() ctx: RequestContext, @Arg('attachmentId', () => ID) attachmentId: string): Promise<boolean> {
    await removeReportPhoto(ctx.em, attachmentStorageFor(ctx.config), ctx.viewer, attachmentId, ctx.logger);
    return true;
  }
}

@Resolver(() => ImplementationReport)
export class ImplementationReportResolver {
  @FieldResolver(() => [ReportComment], { description: 'Comments, oldest first' })
  comments(@Root() report: ImplementationReport, @Ctx() ctx: RequestContext): Promise<ReportComment[]> {
    return reportLoadersFor(ctx).comments.load(report.id);
  }

  @FieldResolver(() => [Attachment], { description: 'Photos (PNG, JPEG), oldest first; download each from downloadPath' })
  photos(@Root() report: ImplementationReport, @Ctx() ctx: RequestContext): Promise<Attachment[]> {
    return reportLoadersFor(ctx).photos.load(report.id);
  }

  @FieldResolver(() => String, { description: 'Who started it' })
  async writtenByName(@Root() report: ImplementationReport, @Ctx() ctx: RequestContext): Promise<string> {
    return (await reportLoadersFor(ctx).writerNames.load(report.createdBy)) ?? '';
  }

  @FieldResolver(() => ReportAbilities)
  viewerCan(@Root() report: ImplementationReport, @Ctx() ctx: RequestContext): ReportAbilities {
    // The proposal it was read through, with its matches: without it, nothing is allowed.
    const proposal = reportLoadersFor(ctx).parents.get(report);
    if (!proposal || !proposal.matches.isInitialized()) return NOTHING;
    const facts = proposalActorFacts(proposal);
    const editable = canEditReport(ctx.viewer, facts, report.state);
    const decidable = canDecideReport(ctx.viewer, facts, report.state);
    return { edit: editable, submit: editable, return: decidable, accept: decidable, comment: canCommentOnReport(ctx.viewer, facts, report.state) };
  }
}

@Resolver(() => ReportComment)
export class ReportCommentResolver {
  @FieldResolver(() => String, { description: 'Who wrote it' })
  async authorName(@Root() comment: ReportComment, @Ctx() ctx: RequestContext): Promise<string> {
    return (await reportLoadersFor(ctx).commenterNames.load(comment.authorId)) ?? '';
  }
}
