import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Proposal } from '../proposals/proposal.entity.js';
import { ImplementationReport } from '../reports/implementation-report.entity.js';
import { Message } from '../threads/message.entity.js';
import { Thread } from '../threads/thread.entity.js';

/** What a file is for: the proposer's material, or the signed agreement the desk files (協定書). */
export enum AttachmentPurpose {
  PROPOSAL = 'PROPOSAL',
  AGREEMENT_DOCUMENT = 'AGREEMENT_DOCUMENT',
  /** A file attached to a message in a thread: seen by whoever reads the thread. */
  MESSAGE = 'MESSAGE',
  /** A photo in an implementation report (実施報告書). */
  REPORT_PHOTO = 'REPORT_PHOTO',
}
registerEnumType(AttachmentPurpose, {
  name: 'AttachmentPurpose',
  description: "PROPOSAL: the proposer's material; AGREEMENT_DOCUMENT: the signed agreement or contract filed by the desk; MESSAGE: a file on a message in a thread; REPORT_PHOTO: a photo in an implementation report",
});

/**
 * A file attached to a proposal. The bytes live in attachment storage under a random key, never
 * in the served files; the type is what the content is, not what the name or the browser said.
 */
@ObjectType({ description: 'A file attached to a proposal' })
@Entity({ tableName: 'attachment' })
@Index({ properties: ['proposal', 'deletedAt'] })
@Index({ properties: ['message'] })
export class Attachment {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Proposal, { deleteRule: 'restrict' })
  proposal: Proposal;

  /** For MESSAGE: the thread it was uploaded into (its audience decides who may fetch it). */
  @ManyToOne(() => Thread, { nullable: true, deleteRule: 'restrict' })
  thread: Thread | null = null;

  /** For REPORT_PHOTO: the report it illustrates. */
  @ManyToOne(() => ImplementationReport, { nullable: true, deleteRule: 'restrict' })
  report: ImplementationReport | null = null;

  /** For MESSAGE: the message it belongs to, once posted (null while the message is being written). */
  @ManyToOne(() => Message, { nullable: true, deleteRule: 'restrict' })
  message: Message | null = null;

  /** The proposer's material (listed on the proposal) or a signed agreement document (on its agreement record). */
  @Field(() => AttachmentPurpose)
  @Enum({ items: () => AttachmentPurpose, nativeEnumName: 'attachment_purpose' })
  purpose: Opt<AttachmentPurpose> = AttachmentPurpose.PROPOSAL;

  /** The name the uploader gave, for display and download only. */
  @Field(() => String)
  @Property({ type: 'text' })
  fileName: string;

  /** Decided from the content: application/pdf, image/png, … */
  @Field(() => String)
  @Property({ type: 'text' })
  mediaType: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  sizeBytes: number;

  @Property({ type: 'text' })
  sha256: string;

  /** Where storage keeps the bytes: random, unrelated to the name. */
  @Property({ type: 'text', unique: true })
  storageKey: string;

  @Property({ type: 'uuid' })
  uploadedBy: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  uploadedAt: Opt<Date> = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null = null;

  constructor(proposal: Proposal, fileName: string, mediaType: string, sizeBytes: number, sha256: string, storageKey: string, uploadedBy: string) {
    this.proposal = proposal;
    this.fileName = fileName;
    this.mediaType = mediaType;
    this.sizeBytes = sizeBytes;
    this.sha256 = sha256;
    this.storageKey = storageKey;
    this.uploadedBy = uploadedBy;
  }
}
