import type { EntityManager } from '@mikro-orm/postgresql';
import { attachmentsOfProposals } from '../attachments/attachment.service.js';
import { recordAudit } from '../audit/audit.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors/domain-errors.js';
import { transact } from '../events/transaction.js';
import type { AccountViewer, Viewer } from '../identity/viewer.js';
import { notifyProposalStateChange } from '../notifications/proposal-state-notices.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { ProposalTransition } from '../proposals/proposal-transition.entity.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import { proposalActorFacts, type ProposalActorFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal } from '../proposals/proposal.service.js';
import { checkProposalTransition } from '../proposals/proposal.state.js';
import { ProposalEventKind } from '../proposals/proposal.types.js';
import { registersOfProposals } from '../protection/protection.service.js';
import type { ProtectionEntryFacts } from '../protection/protection.redaction.js';
import { ReportState } from '../reports/implementation-report.entity.js';
import { photosOfReports, reportsOfProposals } from '../reports/report.service.js';
import { Section } from '../sections/section.entity.js';
import { ProtectionState } from '../protection/protection-request.entity.js';
import { isProtectingState } from '../protection/protection.policy.js';
import { buildCaseSnapshot, isBlockProtected, type CaseSnapshot, type CaseSources } from './case-snapshot.js';
import { CASE_PROPOSAL_FIELDS, PROPOSAL_FIELD_HEADINGS, REPORT_PART_HEADINGS, REPORT_PART_SHAPES, REPORT_PARTS } from './case-items.js';
import { canChangeCaseConsent, canComposeCase, canPublishCase, canReadCase, canWithdrawCase, isCaseProposer, isCasePublisher, type CaseStateOrNone } from './case.policy.js';
import { CaseFieldErrors, cleanWithdrawReason, publishingRefusals, validateCaseComposition, type CaseCompositionShape, type CleanComposition } from './case.validation.js';
import { CaseState, PublicCase, type CaseBlock, type PublishedCaseContent } from './public-case.entity.js';
import { CASE_SUBJECT, recordCaseEvent } from './case-events.js';

export { CASE_SUBJECT } from './case-events.js';

function signedIn(viewer: Viewer): AccountViewer {
  if (viewer.kind !== 'account') throw new NotFoundError('Proposal');
  return viewer;
}

/** Why the state refuses the act, in the desk's words. */
function illegal(facts: ProposalActorFacts, page: PublicCase | null, doing: string): ConflictError {
  return new ConflictError('ILLEGAL_STATE', `Cannot ${doing} while the proposal is ${facts.state} and the case is ${page?.state ?? 'not composed'}`);
}

function staleUnless(page: PublicCase, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && page.version !== expectedVersion) {
    throw new ConflictError('STALE_VERSION', 'The case was changed by someone else since you loaded it', { currentVersion: page.version });
  }
}

interface LockedCase {
  proposal: Proposal;
  facts: ProposalActorFacts;
  page: PublicCase | null;
}

/**
 * The proposal (row locked: every change to its case is serialised on it) and its case. Visible
 * and readable (NOT_FOUND: a stranger and a section that may not read the case learn nothing) →
 * the actor (FORBIDDEN). The state and the version are each act's to check.
 */
async function lockCase(tx: EntityManager, viewer: Viewer, proposalId: string, isActor: (facts: ProposalActorFacts) => boolean): Promise<LockedCase> {
  const proposal = await findVisibleProposal(tx, viewer, proposalId, { forUpdate: true });
  const facts = proposal ? proposalActorFacts(proposal) : null;
  if (!proposal || !facts || !canReadCase(viewer, facts)) throw new NotFoundError('Proposal');
  if (!isActor(facts)) throw new ForbiddenError();
  const page = await tx.findOne(PublicCase, { proposal: proposal.id }, { refresh: true });
  return { proposal, facts, page };
}

const stateOf = (page: PublicCase | null): CaseStateOrNone => page?.state ?? null;

// ---------------------------------------------------------------------------------------------
// The material a page is made from, read through the other domains' services.

/** A protection register as the redaction helpers read it. */
function registerFacts(entries: Awaited<ReturnType<typeof registersOfProposals>>[number]): ProtectionEntryFacts[] {
  return entries.map((entry) => ({ itemKind: entry.itemKind, fieldName: entry.fieldName, attachmentId: entry.attachment?.id ?? null, messageId: entry.message?.id ?? null, state: entry.state }));
}

/** Everything the snapshot needs of one proposal: a fixed number of statements. */
export async function caseSourcesOf(em: EntityManager, proposal: Proposal, composition: CaseSources['composition']): Promise<CaseSources> {
  const facts = proposalActorFacts(proposal);
  const [organisation, [report = null], [attachments = []], [register = []], lead] = await Promise.all([
    em.findOneOrFail(Organisation, { id: proposal.organisation.id }, { fields: ['id', 'name', 'kind'] }),
    reportsOfProposals(em, [proposal.id]),
    attachmentsOfProposals(em, [proposal.id]),
    registersOfProposals(em, [proposal.id]),
    facts.acceptedLeadSectionId ? em.findOne(Section, { id: facts.acceptedLeadSectionId }, { fields: ['id', 'name'] }) : Promise.resolve(null),
  ]);
  // Only an accepted report is the partnership's record; a draft is nobody's to publish.
  const accepted = report && report.state === ReportState.ACCEPTED ? report : null;
  const [photos = []] = accepted ? await photosOfReports(em, [accepted.id]) : [[]];
  const file = (a: { id: string; fileName: string; mediaType: string; sizeBytes: number }) => ({ id: a.id, fileName: a.fileName, mediaType: a.mediaType, sizeBytes: a.sizeBytes });
  return {
    composition,
    proposal: {
      title: proposal.title,
      wardIssue: proposal.wardIssue,
      content: proposal.content,
      expectedEffects: proposal.expectedEffects,
      askOfWard: proposal.askOfWard,
      wardCostReason: proposal.wardCostReason,
      ownResources: proposal.ownResources,
      schedule: proposal.schedule,
    },
    organisation: { name: organisation.name, kind: organisation.kind },
    leadSectionName: lead?.name ?? null,
    report: accepted,
    photos: photos.map(file),
    attachments: attachments.map(file),
    register: registerFacts(register),
  };
}

const compositionOf = (page: PublicCase): CaseSources['composition'] => ({ title: page.title, summary: page.summary, blocks: page.blocks, fieldCodes: page.fieldCodes, fiscalYear: page.fiscalYear });

/** The snapshot of the page as composed now: the preview, and at publication the published content. */
export async function snapshotOf(em: EntityManager, proposal: Proposal, page: PublicCase): Promise<CaseSnapshot> {
  return buildCaseSnapshot(await caseSourcesOf(em, proposal, compositionOf(page)));
}

/** Refuses a composition whose items are protected or not there (per-field codes, nothing saved). */
function refuseUnplaceable(snapshot: CaseSnapshot, errors: CaseFieldErrors): void {
  for (const refused of snapshot.refused) {
    errors.add(`blocks.${refused.index}`, refused.code, refused.code === 'PROTECTED_ITEM' ? 'This item is protected (アイデア保護) and cannot be published' : 'No such item on this proposal');
  }
}

const answer = async (em: EntityManager, viewer: Viewer, proposalId: string): Promise<Proposal> => (await findVisibleProposal(em.fork(), viewer, proposalId))!;

const sameComposition = (page: PublicCase, clean: CleanComposition): boolean =>
  JSON.stringify(compositionOf(page)) === JSON.stringify({ title: clean.title, summary: clean.summary, blocks: clean.blocks, fieldCodes: clean.fieldCodes, fiscalYear: clean.fiscalYear });

// ---------------------------------------------------------------------------------------------
// Acts

/**
 * The desk composes the case page (事例の作成): creates the DRAFT or edits it (also after a
 * withdrawal, to publish again). Every item must exist and be unprotected. A change to a page the
 * proposer consented to clears the consent: they consented to what they saw. An identical save is
 * a no-op (a retry changes nothing); a save over an existing page without the version is STALE_VERSION.
 */
export async function composeCase(em: EntityManager, viewer: Viewer, proposalId: string, input: CaseCompositionShape, expectedVersion?: number | null): Promise<Proposal> {
  const actor = signedIn(viewer);
  const clean = validateCaseComposition(input);
  await transact(em, async (tx, events) => {
    const { proposal, facts, page: existing } = await lockCase(tx, viewer, proposalId, (f) => isCasePublisher(viewer, f));
    if (!canComposeCase(viewer, facts, stateOf(existing))) throw illegal(facts, existing, 'compose the case page');
    if (existing && sameComposition(existing, clean)) return;
    if (existing) staleUnless(existing, expectedVersion ?? -1);
    const page = existing ?? new PublicCase(proposal, actor.accountId, clean.title, clean.fiscalYear);
    Object.assign(page, { ...clean, blocks: clean.blocks, updatedAt: new Date() });
    const errors = new CaseFieldErrors();
    refuseUnplaceable(await snapshotOf(tx, proposal, page), errors);
    errors.throwIfAny();
    if (existing && existing.consentedAt) Object.assign(page, { consentedAt: null, consentedBy: null });
    tx.persist(page);
    recordCaseEvent(events, actor.accountId, proposal, ProposalEventKind.CASE_COMPOSED, facts, page.id);
  });
  return answer(em, viewer, proposalId);
}

/** The proposer consents to publication of the page as composed (公表への同意). Again is a no-op. */
export async function giveCaseConsent(em: EntityManager, viewer: Viewer, proposalId: string, expectedVersion?: number | null): Promise<Proposal> {
  const actor = signedIn(viewer);
  await transact(em, async (tx, events) => {
    const { proposal, facts, page } = await lockCase(tx, viewer, proposalId, (f) => isCaseProposer(viewer, f));
    if (!page || !canChangeCaseConsent(viewer, facts, page.state)) throw illegal(facts, page, 'consent to the case');
    if (page.consentedAt) return;
    staleUnless(page, expectedVersion ?? undefined);
    Object.assign(page, { consentedAt: new Date(), consentedBy: actor.accountId, updatedAt: new Date() });
    recordAudit(tx, { actorId: actor.accountId, action: 'CASE_CONSENT_GIVEN', subjectKind: CASE_SUBJECT, subjectId: page.id, details: { proposalId: proposal.id, caseVersion: page.version } });
    recordCaseEvent(events, actor.accountId, proposal, ProposalEventKind.CASE_CONSENT_GIVEN, facts, page.id);
  });
  return answer(em, viewer, proposalId);
}

/** The proposer withdraws consent, until the page is published. Without consent, a no-op. */
export async function withdrawCaseConsent(em: EntityManager, viewer: Viewer, proposalId: string): Promise<Proposal> {
  const actor = signedIn(viewer);
  await transact(em, async (tx, events) => {
    const { proposal, facts, page } = await lockCase(tx, viewer, proposalId, (f) => isCaseProposer(viewer, f));
    if (!page || !canChangeCaseConsent(viewer, facts, page.state)) throw illegal(facts, page, 'withdraw consent to the case');
    if (!page.consentedAt) return;
    Object.assign(page, { consentedAt: null, consentedBy: null, updatedAt: new Date() });
    recordAudit(tx, { actorId: actor.accountId, action: 'CASE_CONSENT_WITHDRAWN', subjectKind: CASE_SUBJECT, subjectId: page.id, details: { proposalId: proposal.id } });
    recordCaseEvent(events, actor.accountId, proposal, ProposalEventKind.CASE_CONSENT_WITHDRAWN, facts, page.id);
  });
  return answer(em, viewer, proposalId);
}

/**
 * The desk publishes (公開): consent, a complete page, nothing protected or missing. The snapshot,
 * its search text and the filter columns are written from the same builder as the preview; the
 * proposal moves REPORTED → PUBLISHED with its timeline row; audited, all in one transaction.
 */
export async function publishCase(em: EntityManager, viewer: Viewer, proposalId: string, expectedVersion: number): Promise<Proposal> {
  const actor = signedIn(viewer);
  await transact(em, async (tx, events) => {
    const { proposal, facts, page } = await lockCase(tx, viewer, proposalId, (f) => isCasePublisher(viewer, f));
    if (!page || !canPublishCase(viewer, facts, page.state)) throw illegal(facts, page, 'publish the case');
    staleUnless(page, expectedVersion);
    const check = checkProposalTransition(proposal.state, 'publish');
    if (!check.ok) throw illegal(facts, page, 'publish the case');
    const errors = new CaseFieldErrors();
    publishingRefusals(page, errors);
    const snapshot = await snapshotOf(tx, proposal, page);
    refuseUnplaceable(snapshot, errors);
    errors.throwIfAny();
    const now = new Date();
    Object.assign(page, {
      state: CaseState.PUBLISHED,
      publishedContent: snapshot.content,
      searchText: snapshot.searchText,
      leadSectionId: facts.acceptedLeadSectionId ?? null,
      organisationKind: snapshot.content.organisationKind,
      firstPublishedAt: page.firstPublishedAt ?? now,
      publishedAt: now,
      publishedBy: actor.accountId,
      withdrawnAt: null,
      withdrawnBy: null,
      withdrawReason: null,
      updatedAt: now,
    });
    Object.assign(proposal, { state: check.to, stateEnteredAt: now, updatedAt: now });
    tx.persist(new ProposalTransition(proposal, facts.state, check.to, actor.accountId, null));
    recordAudit(tx, { actorId: actor.accountId, action: 'CASE_PUBLISHED', subjectKind: CASE_SUBJECT, subjectId: page.id, details: { proposalId: proposal.id, blocks: snapshot.content.blocks.length, fiscalYear: page.fiscalYear, fieldCodes: page.fieldCodes } });
    recordCaseEvent(events, actor.accountId, proposal, ProposalEventKind.CASE_PUBLISHED, facts, page.id);
    await notifyProposalStateChange(tx, events, proposal, actor.accountId);
  });
  return answer(em, viewer, proposalId);
}

/**
 * The desk withdraws the page from the portal (公開取下げ), with a reason. The snapshot stays for
 * the record; the search text is cleared; the proposal moves PUBLISHED → REPORTED (publishable again).
 */
export async function withdrawCase(em: EntityManager, viewer: Viewer, proposalId: string, reason: string, expectedVersion: number): Promise<Proposal> {
  const actor = signedIn(viewer);
  const clean = cleanWithdrawReason(reason);
  await transact(em, async (tx, events) => {
    const { proposal, facts, page } = await lockCase(tx, viewer, proposalId, (f) => isCasePublisher(viewer, f));
    if (!page || !canWithdrawCase(viewer, facts, page.state)) throw illegal(facts, page, 'withdraw the case');
    staleUnless(page, expectedVersion);
    const check = checkProposalTransition(proposal.state, 'withdrawPublication');
    if (!check.ok) throw illegal(facts, page, 'withdraw the case');
    const now = new Date();
    Object.assign(page, { state: CaseState.WITHDRAWN, searchText: '', withdrawnAt: now, withdrawnBy: actor.accountId, withdrawReason: clean, updatedAt: now });
    Object.assign(proposal, { state: check.to, stateEnteredAt: now, updatedAt: now });
    tx.persist(new ProposalTransition(proposal, facts.state, check.to, actor.accountId, clean));
    recordAudit(tx, { actorId: actor.accountId, action: 'CASE_WITHDRAWN', subjectKind: CASE_SUBJECT, subjectId: page.id, reason: clean, details: { proposalId: proposal.id } });
    recordCaseEvent(events, actor.accountId, proposal, ProposalEventKind.CASE_WITHDRAWN, facts, page.id);
    await notifyProposalStateChange(tx, events, proposal, actor.accountId);
  });
  return answer(em, viewer, proposalId);
}

// ---------------------------------------------------------------------------------------------
// Reads

/** The case pages of several proposals the viewer already sees: one statement. */
export async function casesOfProposals(em: EntityManager, proposalIds: readonly string[]): Promise<Array<PublicCase | null>> {
  const rows = await em.find(PublicCase, { proposal: { $in: [...proposalIds] } });
  const byProposal = new Map(rows.map((row) => [row.proposal.id, row]));
  return proposalIds.map((id) => byProposal.get(id) ?? null);
}

/**
 * What the public would see from the current draft (the same builder as publishing), for the desk
 * and the proposer; null when there is no case or the viewer may not preview it (NOT_FOUND-like).
 * Items that cannot be published are left out here and listed by `Proposal.publicCase.problems`.
 */
export async function previewCase(em: EntityManager, viewer: Viewer, proposalId: string): Promise<PublishedCaseContent | null> {
  const proposal = await findVisibleProposal(em, viewer, proposalId);
  if (!proposal) return null;
  const facts = proposalActorFacts(proposal);
  if (!(isCasePublisher(viewer, facts) || isCaseProposer(viewer, facts))) return null;
  const page = await em.findOne(PublicCase, { proposal: proposal.id });
  if (!page) return null;
  return (await snapshotOf(em, proposal, page)).content;
}

/** Why the page cannot be published now: the same checks as publishCase, as a list (desk and proposer). */
export async function casePublishBlockers(em: EntityManager, viewer: Viewer, proposalId: string): Promise<Array<{ field: string; code: string }>> {
  const proposal = await findVisibleProposal(em, viewer, proposalId);
  if (!proposal) return [];
  const facts = proposalActorFacts(proposal);
  if (!(isCasePublisher(viewer, facts) || isCaseProposer(viewer, facts))) return [];
  const page = await em.findOne(PublicCase, { proposal: proposal.id });
  if (!page) return [{ field: 'case', code: 'REQUIRED' }];
  const errors = new CaseFieldErrors();
  publishingRefusals(page, errors);
  refuseUnplaceable(await snapshotOf(em, proposal, page), errors);
  return errors.list().map(({ field, code }) => ({ field, code }));
}

export interface ComposerItem {
  block: CaseBlock;
  label: string;
  excerpt: string;
  protectionState: ProtectionState | null;
}

const excerptOf = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

/**
 * Everything the desk could place on the page, protected items included (marked, so the composer
 * shows them disabled with the reason). Empty texts are not offered. NOT_FOUND for what the desk
 * does not see.
 */
export async function caseComposerItems(em: EntityManager, viewer: Viewer, proposalId: string): Promise<ComposerItem[]> {
  const proposal = await findVisibleProposal(em, viewer, proposalId);
  if (!proposal || !isCasePublisher(viewer, proposalActorFacts(proposal))) throw new NotFoundError('Proposal');
  const sources = await caseSourcesOf(em, proposal, { title: '', summary: '', blocks: [], fieldCodes: [], fiscalYear: 0 });
  const stateOfItem = (block: CaseBlock): ProtectionState | null => {
    if (!isBlockProtected(block, sources.register)) return null;
    const entry = sources.register.find((e) => isProtectingState(e.state) && ((block.kind === 'PROPOSAL_FIELD' && e.fieldName === block.field) || ('attachmentId' in block && e.attachmentId === block.attachmentId)));
    return entry?.state ?? ProtectionState.REQUESTED;
  };
  const items: ComposerItem[] = [];
  const add = (block: CaseBlock, label: string, excerpt: string) => items.push({ block, label, excerpt: excerptOf(excerpt), protectionState: stateOfItem(block) });
  for (const field of CASE_PROPOSAL_FIELDS) if (sources.proposal[field].trim()) add({ kind: 'PROPOSAL_FIELD', field }, PROPOSAL_FIELD_HEADINGS[field], sources.proposal[field]);
  const report = sources.report;
  if (report) {
    for (const part of REPORT_PARTS) {
      const shape = REPORT_PART_SHAPES[part];
      if (shape.kind === 'TEXT') {
        const text = report[part as 'activities'];
        if (text.trim()) add({ kind: 'REPORT_PART', part }, REPORT_PART_HEADINGS[part], text);
      } else if (shape.kind === 'INDICATORS') {
        if (report.indicatorResults.length) add({ kind: 'REPORT_PART', part }, REPORT_PART_HEADINGS[part], report.indicatorResults.map((r) => `${r.name}: ${r.actual}`).join(' / '));
      } else {
        const value = report[part as 'peopleReached'];
        if (value !== null) add({ kind: 'REPORT_PART', part }, REPORT_PART_HEADINGS[part], `${value.toLocaleString('ja-JP')}${shape.unit}`);
      }
    }
  }
  for (const photo of sources.photos) add({ kind: 'REPORT_PHOTO', attachmentId: photo.id }, photo.fileName, photo.mediaType);
  for (const file of sources.attachments) add({ kind: 'ATTACHMENT', attachmentId: file.id }, file.fileName, file.mediaType);
  return items;
}
