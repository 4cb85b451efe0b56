import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { OrganisationKind } from '../organisations/organisation.entity.js';
import { ProtectionState } from '../protection/protection-request.entity.js';
import { CaseBlockKind } from './case.input.js';
import { CaseState, type CaseBlock, type PublishedCaseBlock, type PublishedCaseContent } from './public-case.entity.js';

export enum PublishedCaseBlockKind {
  TEXT = 'TEXT',
  INDICATORS = 'INDICATORS',
  FIGURE = 'FIGURE',
  PHOTO = 'PHOTO',
  FILE = 'FILE',
}
registerEnumType(PublishedCaseBlockKind, { name: 'PublishedCaseBlockKind', description: 'How a block is shown: TEXT (heading, text), INDICATORS (heading, rows), FIGURE (heading, value, unit), PHOTO and FILE (attachmentId, fileName, contentType)' });

@ObjectType('CaseBlock', { description: 'An item placed on the case page, by reference' })
export class CaseBlockView {
  @Field(() => CaseBlockKind)
  kind!: CaseBlockKind;

  @Field(() => String, { nullable: true })
  field!: string | null;

  @Field(() => String, { nullable: true })
  part!: string | null;

  @Field(() => ID, { nullable: true })
  attachmentId!: string | null;
}

export function caseBlockView(block: CaseBlock): CaseBlockView {
  return {
    kind: block.kind as CaseBlockKind,
    field: 'field' in block ? block.field : null,
    part: 'part' in block ? block.part : null,
    attachmentId: 'attachmentId' in block ? block.attachmentId : null,
  };
}

@ObjectType({ description: 'One agreed indicator on the public page: planned against actual' })
export class CaseIndicatorRow {
  @Field(() => String) name!: string;
  @Field(() => String) target!: string;
  @Field(() => String) actual!: string;
  @Field(() => String) note!: string;
}

@ObjectType('PublishedCaseBlock', { description: 'A block of the public page as published (or previewed): one shape with the fields its kind uses' })
export class PublishedCaseBlockView {
  @Field(() => PublishedCaseBlockKind)
  kind!: PublishedCaseBlockKind;

  @Field(() => CaseBlockView, { description: 'What it was made from' })
  source!: CaseBlockView;

  @Field(() => String, { nullable: true, description: 'TEXT, INDICATORS, FIGURE' })
  heading!: string | null;

  @Field(() => String, { nullable: true, description: 'TEXT' })
  text!: string | null;

  @Field(() => [CaseIndicatorRow], { nullable: true, description: 'INDICATORS' })
  rows!: CaseIndicatorRow[] | null;

  @Field(() => Int, { nullable: true, description: 'FIGURE; null when not reported' })
  value!: number | null;

  @Field(() => String, { nullable: true, description: 'FIGURE: 人, 円' })
  unit!: string | null;

  @Field(() => ID, { nullable: true, description: 'PHOTO, FILE' })
  attachmentId!: string | null;

  @Field(() => String, { nullable: true, description: 'PHOTO, FILE' })
  fileName!: string | null;

  @Field(() => String, { nullable: true, description: 'PHOTO, FILE' })
  contentType!: string | null;

  @Field(() => Int, { nullable: true, description: 'FILE' })
  byteSize!: number | null;
}

function blockView(block: PublishedCaseBlock): PublishedCaseBlockView {
  const empty = { heading: null, text: null, rows: null, value: null, unit: null, attachmentId: null, fileName: null, contentType: null, byteSize: null };
  const base = { ...empty, kind: block.kind as PublishedCaseBlockKind, source: caseBlockView(block.source) };
  switch (block.kind) {
    case 'TEXT':
      return { ...base, heading: block.heading, text: block.text };
    case 'INDICATORS':
      return { ...base, heading: block.heading, rows: block.rows };
    case 'FIGURE':
      return { ...base, heading: block.heading, value: block.value, unit: block.unit };
    case 'PHOTO':
      return { ...base, attachmentId: block.attachmentId, fileName: block.fileName, contentType: block.contentType };
    case 'FILE':
      return { ...base, attachmentId: block.attachmentId, fileName: block.fileName, contentType: block.contentType, byteSize: block.byteSize };
  }
}

@ObjectType('PublishedCaseContent', { description: 'The public case page (事例) exactly as the public sees it: the published snapshot, or the preview of the draft' })
export class PublishedCaseContentView {
  @Field(() => String) title!: string;
  @Field(() => String) summary!: string;
  @Field(() => String) organisationName!: string;
  @Field(() => OrganisationKind) organisationKind!: OrganisationKind;
  @Field(() => String, { nullable: true }) leadSectionName!: string | null;
  @Field(() => [String]) fieldCodes!: string[];
  @Field(() => Int) fiscalYear!: number;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) periodStart!: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) periodEnd!: string | null;
  @Field(() => Int, { nullable: true }) wardCostYen!: number | null;
  @Field(() => Int, { nullable: true }) partnerContributionYen!: number | null;
  @Field(() => [PublishedCaseBlockView]) blocks!: PublishedCaseBlockView[];
}

export function publishedContentView(content: PublishedCaseContent): PublishedCaseContentView {
  return { ...content, blocks: content.blocks.map(blockView) };
}

@ObjectType({ description: 'What the viewer may do to the case page now' })
export class CaseAbilities {
  @Field(() => Boolean, { description: 'The desk: it composes, publishes and withdraws the page (in whatever state)' }) manage!: boolean;
  @Field(() => Boolean, { description: 'The desk and the proposing organisation: casePreview answers them' }) preview!: boolean;
  @Field(() => Boolean, { description: 'The desk, while REPORTED and the case is not PUBLISHED' }) compose!: boolean;
  @Field(() => Boolean, { description: 'A member of the organisation, before publication, without consent given' }) giveConsent!: boolean;
  @Field(() => Boolean, { description: 'A member of the organisation, before publication, with consent given' }) withdrawConsent!: boolean;
  @Field(() => Boolean, { description: 'The desk, while REPORTED and the case is DRAFT or WITHDRAWN (consent and a complete page are checked on publish)' }) publish!: boolean;
  @Field(() => Boolean, { description: 'The desk, while PUBLISHED (with a reason)' }) withdraw!: boolean;
}

@ObjectType('PublicCase', { description: 'The public case page (事例) of a partnership, as the viewer may see it' })
export class PublicCaseView {
  @Field(() => ID) id!: string;
  @Field(() => CaseState) state!: CaseState;
  @Field(() => String) title!: string;
  @Field(() => String) summary!: string;
  @Field(() => [CaseBlockView]) blocks!: CaseBlockView[];
  @Field(() => [String]) fieldCodes!: string[];
  @Field(() => Int) fiscalYear!: number;
  @Field(() => Date, { nullable: true, description: 'When the proposer consented (公表への同意); null without consent' }) consentedAt!: Date | null;
  @Field(() => String, { nullable: true }) consentedByName!: string | null;
  @Field(() => Date, { nullable: true }) firstPublishedAt!: Date | null;
  @Field(() => Date, { nullable: true }) publishedAt!: Date | null;
  @Field(() => Date, { nullable: true }) withdrawnAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Why it was withdrawn from the portal' }) withdrawReason!: string | null;
  @Field(() => PublishedCaseContentView, { nullable: true, description: 'The snapshot as last published (kept after a withdrawal, for the record)' }) publishedContent!: PublishedCaseContentView | null;
  @Field(() => Int, { description: 'Pass as expectedVersion when changing it' }) version!: number;
  @Field(() => CaseAbilities) viewerCan!: CaseAbilities;
  /** Not a field: the proposal it was read through. */
  proposalId!: string;
  consentedBy!: string | null;
}

@ObjectType({ description: 'Something the desk can place on the case page; a protected item is listed but cannot be placed' })
export class CaseComposerItem {
  @Field(() => CaseBlockView) block!: CaseBlockView;
  @Field(() => String, { description: 'Its heading, or the file name' }) label!: string;
  @Field(() => String, { description: 'The beginning of its text, for recognising it' }) excerpt!: string;
  @Field(() => Boolean, { description: 'Protected (アイデア保護: requested or agreed): cannot be placed' }) protected!: boolean;
  @Field(() => ProtectionState, { nullable: true, description: 'REQUESTED or AGREED when protected' }) protectionState!: ProtectionState | null;
}

@ObjectType({ description: 'Why the case cannot be published yet: a field and a code, like input errors' })
export class CasePublishBlocker {
  @Field(() => String) field!: string;
  @Field(() => String, { description: 'CONSENT_MISSING, REQUIRED, UNKNOWN_FIELD, PROTECTED_ITEM, UNKNOWN_REFERENCE' }) code!: string;
}
