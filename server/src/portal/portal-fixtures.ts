import type { EntityManager } from '@mikro-orm/postgresql';
import { Attachment, AttachmentPurpose } from '../attachments/attachment.entity.js';
import { newStorageKey, type AttachmentStorage } from '../attachments/attachment-storage.js';
import { Challenge, ChallengeStatus } from '../challenges/challenge.entity.js';
import type { Account } from '../identity/account.entity.js';
import type { Organisation } from '../organisations/organisation.entity.js';
import { ProposalTransition } from '../proposals/proposal-transition.entity.js';
import { Proposal, ProposalKind, ProposalState } from '../proposals/proposal.entity.js';
import { CaseState, PublicCase, type PublishedCaseBlock, type PublishedCaseContent } from '../publication/public-case.entity.js';
import type { Section } from '../sections/section.entity.js';

/** Test set-up for the portal: rows written directly, as the publication domain would leave them. */

export async function proposalRow(
  em: EntityManager,
  who: { organisation: Organisation; author: Account },
  facts: { title?: string; content?: string; state?: ProposalState; submittedAt?: Date | null; challenge?: Challenge | null } = {},
): Promise<Proposal> {
  const proposal = new Proposal(who.organisation, who.author.id);
  proposal.title = facts.title ?? 'テスト提案';
  proposal.content = facts.content ?? '提案内容';
  proposal.state = facts.state ?? ProposalState.AGREED;
  proposal.submittedAt = facts.submittedAt === undefined ? null : facts.submittedAt;
  if (facts.challenge) {
    proposal.challenge = facts.challenge;
    proposal.kind = ProposalKind.CHALLENGE;
  }
  em.persist(proposal);
  await em.flush();
  return proposal;
}

/** Transitions at given moments (append-only rows, inserted like the proposals service does). */
export async function transitionRows(em: EntityManager, proposal: Proposal, actor: Account, steps: Array<[ProposalState, Date]>): Promise<void> {
  for (const [toState, at] of steps) {
    const row = new ProposalTransition(proposal, null, toState, actor.id, null);
    row.at = at;
    em.persist(row);
  }
  await em.flush();
}

export async function challengeRow(em: EntityManager, author: Account, facts: { title: string; description?: string; fieldCodes: string[]; status?: ChallengeStatus; published?: boolean; section: Section }): Promise<Challenge> {
  const challenge = new Challenge(
    { title: facts.title, description: facts.description ?? '課題の説明', background: '', owningSection: facts.section, fieldCodes: facts.fieldCodes, periodStart: null, periodEnd: null, contact: '03-0000-0000' },
    author.id,
  );
  challenge.status = facts.status ?? ChallengeStatus.OPEN;
  challenge.publishedAt = facts.published === false ? null : new Date();
  em.persist(challenge);
  await em.flush();
  return challenge;
}

export async function storedFile(em: EntityManager, storage: AttachmentStorage, proposal: Proposal, author: Account, fileName: string, bytes: Buffer, mediaType: string): Promise<Attachment> {
  const key = newStorageKey();
  await storage.put(key, bytes);
  const attachment = new Attachment(proposal, fileName, mediaType, bytes.length, 'sha', key, author.id);
  attachment.purpose = AttachmentPurpose.REPORT_PHOTO;
  em.persist(attachment);
  await em.flush();
  return attachment;
}

export function snapshot(overrides: Partial<PublishedCaseContent> & { blocks?: PublishedCaseBlock[] }): PublishedCaseContent {
  return {
    title: '事例',
    summary: '概要',
    organisationName: 'テスト株式会社',
    organisationKind: 'COMPANY' as PublishedCaseContent['organisationKind'],
    leadSectionName: null,
    fieldCodes: [],
    fiscalYear: 2025,
    periodStart: '2025-04-01',
    periodEnd: '2026-03-31',
    wardCostYen: 0,
    partnerContributionYen: null,
    blocks: [],
    ...overrides,
  };
}

/** A case row in a given state; the filter columns copied from the snapshot as publication does. */
export async function caseRow(
  em: EntityManager,
  proposal: Proposal,
  author: Account,
  state: CaseState,
  content: PublishedCaseContent | null,
  facts: { firstPublishedAt?: Date; leadSectionId?: string | null; workingTitle?: string; workingSummary?: string } = {},
): Promise<PublicCase> {
  const row = new PublicCase(proposal, author.id, facts.workingTitle ?? content?.title ?? '下書き', content?.fiscalYear ?? 2025);
  row.state = state;
  row.summary = facts.workingSummary ?? content?.summary ?? '';
  row.publishedContent = content;
  if (content) {
    row.fieldCodes = content.fieldCodes;
    row.organisationKind = content.organisationKind;
    row.leadSectionId = facts.leadSectionId ?? null;
    row.searchText = state === CaseState.PUBLISHED ? `${content.title} ${content.summary}` : '';
  }
  if (state !== CaseState.DRAFT || content) {
    row.firstPublishedAt = facts.firstPublishedAt ?? new Date();
    row.publishedAt = row.firstPublishedAt;
    row.publishedBy = author.id;
  }
  if (state === CaseState.WITHDRAWN) {
    row.withdrawnAt = new Date();
    row.withdrawnBy = author.id;
    row.withdrawReason = '取り下げ';
  }
  em.persist(row);
  await em.flush();
  return row;
}
