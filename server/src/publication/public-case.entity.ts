import type { Opt } from '@mikro-orm/core';
import { ArrayType } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Proposal } from '../proposals/proposal.entity.js';
import { OrganisationKind } from '../organisations/organisation.entity.js';
import { bigramIndexSql, caseDocumentSql } from '../search/search-expressions.js';

/** A case page's life: composed as a DRAFT, PUBLISHED by the desk, WITHDRAWN with a reason (and publishable again). */
export enum CaseState {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(CaseState, { name: 'CaseState', description: 'DRAFT (composed, not public) → PUBLISHED → WITHDRAWN (with a reason)' });

/**
 * One item the desk placed on the case page, in order. Only references: the text is read from
 * the proposal or the report when the page is previewed or published, and an item that is
 * protected (アイデア保護, requested or agreed) cannot be placed.
 *  - PROPOSAL_FIELD: one of the proposal's content fields (`field`: wardIssue, content, …)
 *  - REPORT_PART: one part of the accepted report (`part`: activities, indicatorResults, …)
 *  - REPORT_PHOTO: one photo of the report (`attachmentId`)
 *  - ATTACHMENT: one of the proposer's attachments (`attachmentId`)
 */
export type CaseBlock =
  | { kind: 'PROPOSAL_FIELD'; field: string }
  | { kind: 'REPORT_PART'; part: string }
  | { kind: 'REPORT_PHOTO'; attachmentId: string }
  | { kind: 'ATTACHMENT'; attachmentId: string };

/** A block as published: its heading and what the public sees, frozen at publication. */
export type PublishedCaseBlock =
  | { kind: 'TEXT'; source: CaseBlock; heading: string; text: string }
  | { kind: 'INDICATORS'; source: CaseBlock; heading: string; rows: Array<{ name: string; target: string; actual: string; note: string }> }
  | { kind: 'FIGURE'; source: CaseBlock; heading: string; value: number | null; unit: string }
  | { kind: 'PHOTO'; source: CaseBlock; attachmentId: string; fileName: string; contentType: string }
  | { kind: 'FILE'; source: CaseBlock; attachmentId: string; fileName: string; contentType: string; byteSize: number };

/** The public page as published: everything the portal, the feed, the sitemap and search read. */
export interface PublishedCaseContent {
  title: string;
  summary: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  leadSectionName: string | null;
  fieldCodes: string[];
  fiscalYear: number;
  periodStart: string | null;
  periodEnd: string | null;
  wardCostYen: number | null;
  partnerContributionYen: number | null;
  blocks: PublishedCaseBlock[];
}

/**
 * The public case page of a realised partnership (事例), composed by the desk from unprotected
 * content only, with the proposer's consent recorded, published and withdrawn explicitly by the
 * desk (both in the audit trail). One per proposal. What the public reads is `publishedContent`,
 * a snapshot taken at publication, and `searchText` is that snapshot's text for the public
 * search index; the filter columns (fiscal year, fields, lead section, organisation kind) are
 * copied from it so the portal filters in SQL.
 */
@Entity({ tableName: 'public_case' })
@Unique({ properties: ['proposal'] })
@Index({ properties: ['state', 'firstPublishedAt'] })
@Index({ name: 'public_case_search_bigrams', expression: bigramIndexSql('public_case_search_bigrams', 'public_case', caseDocumentSql()) })
export class PublicCase {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Proposal, { deleteRule: 'restrict' })
  proposal: Proposal;

  @Enum({ items: () => CaseState, nativeEnumName: 'case_state' })
  state: Opt<CaseState> = CaseState.DRAFT;

  /** The page's title, written by the desk (defaults to the proposal's title). */
  @Property({ type: 'text' })
  title: string;

  /** The lead paragraph (概要), written by the desk in its own words. */
  @Property({ type: 'text' })
  summary: Opt<string> = '';

  /** The items placed on the page, in order (references, not copies). */
  @Property({ type: 'json' })
  blocks: Opt<CaseBlock[]> = [];

  /** Fields (分野) the case is listed under, from the challenge catalogue. */
  @Property({ type: ArrayType, columnType: 'text[]' })
  fieldCodes: Opt<string[]> = [];

  /** 年度 (April–March) the case is listed under. */
  @Property({ type: 'integer' })
  fiscalYear: number;

  /** The proposer's consent to publication (公表への同意): who of the organisation gave it, when. */
  @Property({ type: 'timestamptz', nullable: true })
  consentedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  consentedBy: string | null = null;

  /** The snapshot the public reads, taken at publication; null until first published. */
  @Property({ type: 'json', nullable: true })
  publishedContent: PublishedCaseContent | null = null;

  /** The snapshot's text, for the public search index; empty unless PUBLISHED. */
  @Property({ type: 'text' })
  searchText: Opt<string> = '';

  /** Filter facts copied from the snapshot at publication. */
  @Property({ type: 'uuid', nullable: true })
  leadSectionId: string | null = null;

  @Enum({ items: () => OrganisationKind, nativeEnumName: 'organisation_kind', nullable: true })
  organisationKind: OrganisationKind | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  firstPublishedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  publishedBy: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  withdrawnBy: string | null = null;

  @Property({ type: 'text', nullable: true })
  withdrawReason: string | null = null;

  @Property({ type: 'uuid' })
  createdBy: string;

  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'timestamptz' })
  updatedAt: Opt<Date> = new Date();

  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;

  constructor(proposal: Proposal, createdBy: string, title: string, fiscalYear: number) {
    this.proposal = proposal;
    this.createdBy = createdBy;
    this.title = title;
    this.fiscalYear = fiscalYear;
  }
}
