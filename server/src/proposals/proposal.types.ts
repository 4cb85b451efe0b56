import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../graphql/connection.js';
import { OrganisationKind } from '../organisations/organisation.entity.js';
import { Proposal, ProposalState } from './proposal.entity.js';

export enum ProposalAwaiting {
  PROPOSER = 'PROPOSER',
  DESK = 'DESK',
  NONE = 'NONE',
}
registerEnumType(ProposalAwaiting, { name: 'ProposalAwaiting', description: 'Who the proposal waits for: PROPOSER (a draft, also after changes were asked), DESK, or NONE (closed)' });

@ObjectType({ description: 'The organisation a proposal comes from, as shown on the proposal' })
export class ProposalOrganisation {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => OrganisationKind)
  kind!: OrganisationKind;
}

@ObjectType({ description: 'One step of the audit trail: who moved the proposal, when, from what to what, and why' })
export class ProposalTimelineEntry {
  @Field(() => Date)
  at!: Date;

  @Field(() => ProposalState, { nullable: true, description: 'Null for the creation of the draft' })
  fromState!: ProposalState | null;

  @Field(() => ProposalState)
  toState!: ProposalState;

  @Field(() => String)
  actorName!: string;

  @Field(() => String, { nullable: true })
  reason!: string | null;
}

@ObjectType({ description: 'What the viewer may do to this proposal now' })
export class ProposalAbilities {
  @Field(() => Boolean)
  edit!: boolean;

  @Field(() => Boolean)
  submit!: boolean;

  @Field(() => Boolean)
  withdraw!: boolean;

  @Field(() => Boolean)
  acceptForReview!: boolean;

  @Field(() => Boolean)
  return!: boolean;

  @Field(() => Boolean)
  requestChanges!: boolean;

  @Field(() => Boolean)
  startDialogue!: boolean;

  @Field(() => Boolean)
  markNotRealized!: boolean;

  @Field(() => Boolean, { description: 'The desk, while IN_DIALOGUE with an ACCEPTED lead match (記録: 合意)' })
  recordAgreement!: boolean;

  @Field(() => Boolean, { description: 'The desk, once AGREED as 協定 or contract (協定書・契約書の記録)' })
  recordAgreementDocument!: boolean;

  @Field(() => Boolean, { description: 'Staff of the ACCEPTED lead section, while AGREED (事業開始)' })
  startWork!: boolean;

  @Field(() => Boolean, { description: 'The desk and staff of ACCEPTED sections, while IN_PROGRESS' })
  addProgressNote!: boolean;
}

@ObjectType()
export class ProposalEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Proposal)
  node!: Proposal;
}

@ObjectType()
export class ProposalConnection {
  @Field(() => [ProposalEdge])
  edges!: ProposalEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'All matching proposals the viewer may see' })
  totalCount!: number;
}

export enum ProposalEventKind {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  SUBMITTED = 'SUBMITTED',
  ACCEPTED_FOR_REVIEW = 'ACCEPTED_FOR_REVIEW',
  RETURNED = 'RETURNED',
  CHANGES_REQUESTED = 'CHANGES_REQUESTED',
  DIALOGUE_STARTED = 'DIALOGUE_STARTED',
  NOT_REALIZED = 'NOT_REALIZED',
  WITHDRAWN = 'WITHDRAWN',
  /** Written by the attachments domain on the proposal's stream. */
  ATTACHMENT_ADDED = 'ATTACHMENT_ADDED',
  ATTACHMENT_REMOVED = 'ATTACHMENT_REMOVED',
  /** Written by the matches domain on the proposal's stream. */
  MATCH_PROPOSED = 'MATCH_PROPOSED',
  MATCH_ACCEPTED = 'MATCH_ACCEPTED',
  MATCH_DECLINED = 'MATCH_DECLINED',
  MATCH_WITHDRAWN = 'MATCH_WITHDRAWN',
  LEAD_CHANGED = 'LEAD_CHANGED',
  DESK_OWNER_CHANGED = 'DESK_OWNER_CHANGED',
  /** Written by the partnerships domain on the proposal's stream. */
  AGREED = 'AGREED',
  AGREEMENT_RECORDED = 'AGREEMENT_RECORDED',
  WORK_STARTED = 'WORK_STARTED',
  PROGRESS_NOTE_ADDED = 'PROGRESS_NOTE_ADDED',
  /** Written by the meetings domain; an INTERNAL meeting's events reach ward staff only (the payload's audience). */
  MEETING_SCHEDULED = 'MEETING_SCHEDULED',
  MEETING_UPDATED = 'MEETING_UPDATED',
  MEETING_CANCELLED = 'MEETING_CANCELLED',
  /** Written by the protection domain (アイデア保護): the register changed; ids only. */
  PROTECTION_REQUESTED = 'PROTECTION_REQUESTED',
  PROTECTION_DECIDED = 'PROTECTION_DECIDED',
  /** Written by the reports domain (実施報告書); ids only. REPORT_ACCEPTED also moves the proposal to REPORTED. */
  REPORT_STARTED = 'REPORT_STARTED',
  REPORT_SAVED = 'REPORT_SAVED',
  REPORT_SUBMITTED = 'REPORT_SUBMITTED',
  REPORT_RETURNED = 'REPORT_RETURNED',
  REPORT_ACCEPTED = 'REPORT_ACCEPTED',
  REPORT_COMMENTED = 'REPORT_COMMENTED',
  REPORT_PHOTO_ADDED = 'REPORT_PHOTO_ADDED',
  REPORT_PHOTO_REMOVED = 'REPORT_PHOTO_REMOVED',
  /** Written by the publication domain (事例の公開); ids only. CASE_PUBLISHED and CASE_WITHDRAWN also move the proposal. */
  CASE_COMPOSED = 'CASE_COMPOSED',
  CASE_CONSENT_GIVEN = 'CASE_CONSENT_GIVEN',
  CASE_CONSENT_WITHDRAWN = 'CASE_CONSENT_WITHDRAWN',
  CASE_PUBLISHED = 'CASE_PUBLISHED',
  CASE_WITHDRAWN = 'CASE_WITHDRAWN',
  CASE_ITEM_REMOVED = 'CASE_ITEM_REMOVED',
}
registerEnumType(ProposalEventKind, { name: 'ProposalEventKind' });

@ObjectType({ description: 'A change to a proposal. `proposal` is null when the viewer can no longer see it: remove it from view.' })
export class ProposalEvent {
  @Field(() => String, { description: 'Opaque position of this event; pass it back as `after` to resume after a reconnect' })
  cursor!: string;

  @Field(() => ProposalEventKind)
  kind!: ProposalEventKind;

  @Field(() => ID)
  proposalId!: string;

  @Field(() => Proposal, { nullable: true })
  proposal!: Proposal | null;
}
