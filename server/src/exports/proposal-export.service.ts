import type { EntityManager } from '@mikro-orm/postgresql';
import { IsolationLevel, QueryOrder, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import { recordAudit } from '../audit/audit.js';
import { FieldErrors, NotFoundError } from '../errors/domain-errors.js';
import { isDesk, type Viewer } from '../identity/viewer.js';
import { matchesOfProposals } from '../matches/match.service.js';
import { decisionsOfProposals } from '../partnerships/partnership.service.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { ProposalOrder, type ProposalFilter } from '../proposals/proposal.input.js';
import { proposalListConditions } from '../proposals/proposal.service.js';
import { registersOfProposals } from '../protection/protection.service.js';
import { protectedFieldNames, type ProtectionEntryFacts } from '../protection/protection.redaction.js';
import type { ProtectionRequest } from '../protection/protection-request.entity.js';
import { PROTECTABLE_FIELDS, isProtectableField } from '../protection/protection.policy.js';
import { PublicCase } from '../publication/public-case.entity.js';
import { reportsOfProposals } from '../reports/report.service.js';
import type { ExportColumnId } from './proposal-export.columns.js';
import { proposalExportCsv, type ExportRow } from './proposal-export.csv.js';
import type { ProposalExportRequest } from './proposal-export.request.js';

/** Beyond this the desk narrows the filter: every related read is one `in (…)` list of ids. */
export const MAX_EXPORT_ROWS = 5000;

/**
 * The desk list's conditions (proposal.service listProposals): the viewer's visibility and the
 * same filters, in SQL. Kept in step with the list by a test that compares the two for each filter.
 */
/** The list's orders, drafts (never submitted) last as there. */
const ORDER_BY: Record<ProposalOrder, QueryOrderMap<Proposal>> = {
  [ProposalOrder.OLDEST_SUBMITTED_FIRST]: { submittedAt: QueryOrder.ASC_NULLS_LAST, id: QueryOrder.ASC },
  [ProposalOrder.NEWEST_SUBMITTED_FIRST]: { submittedAt: QueryOrder.DESC_NULLS_LAST, id: QueryOrder.DESC },
  [ProposalOrder.RECENTLY_UPDATED]: { updatedAt: QueryOrder.DESC_NULLS_LAST, id: QueryOrder.DESC },
};

/** A register entry as protection.redaction reads it. */
function entryFacts(entry: ProtectionRequest): ProtectionEntryFacts {
  return { itemKind: entry.itemKind, fieldName: entry.fieldName, attachmentId: entry.attachment?.id ?? null, messageId: entry.message?.id ?? null, state: entry.state };
}

const needs = (columns: readonly ExportColumnId[], ...ids: ExportColumnId[]) => columns.some((column) => ids.includes(column));

export interface ProposalExport {
  csv: string;
  fileName: string;
  rowCount: number;
}

/**
 * The desk's CSV of the proposals its list shows. One transaction (a repeatable-read snapshot,
 * so every batched read sees the same moment) reads the proposals and, only for the chosen
 * columns, their matches, protection registers, decisions, reports and case pages — one
 * statement each whatever the row count — and writes the audit row: who, which columns, which
 * filter, whether protected content was included, how many rows. Never the content itself.
 * Anyone but the desk gets NOT_FOUND, the same as a missing route.
 */
export async function exportProposals(em: EntityManager, viewer: Viewer, request: ProposalExportRequest, now = new Date()): Promise<ProposalExport> {
  if (!isDesk(viewer) || viewer.kind !== 'account') throw new NotFoundError('Route');
  const { columns, includeProtected, filter, order } = request;
  return em.transactional(
    async (tx) => {
      const where: FilterQuery<Proposal> = { $and: await proposalListConditions(tx, viewer, filter) };
      const proposals = await tx.find(Proposal, where, { orderBy: ORDER_BY[order], limit: MAX_EXPORT_ROWS + 1, populate: ['organisation', 'challenge', 'deskOwner'] });
      if (proposals.length > MAX_EXPORT_ROWS) new FieldErrors().add('filter', 'TOO_MANY', `At most ${MAX_EXPORT_ROWS} proposals per export: narrow the filters`).throwIfAny();
      const ids = proposals.map((proposal) => proposal.id);
      const any = ids.length > 0;
      const wantsContent = columns.some(isProtectableField);

      const matches = any && needs(columns, 'leadSection', 'matchedSections') ? await matchesOfProposals(tx, ids) : null;
      // The register is read even when protected content is included: the audit row says how many protected cells went out.
      const registers = any && wantsContent ? await registersOfProposals(tx, ids) : null;
      const decisions = any && needs(columns, 'agreementForm', 'wardCost') ? await decisionsOfProposals(tx, ids) : null;
      const reports = any && needs(columns, 'reportState', 'peopleReached', 'partnerContributionYen') ? await reportsOfProposals(tx, ids) : null;
      // The publication domain has no batched reader of case states yet: one statement here.
      const cases = any && needs(columns, 'caseState') ? await tx.find(PublicCase, { proposal: { $in: ids } }, { fields: ['id', 'proposal', 'state'] }) : [];
      const caseOf = new Map(cases.map((page) => [page.proposal.id, page.state]));

      const rows: ExportRow[] = proposals.map((proposal, index) => {
        const decision = decisions?.[index] ?? null;
        const report = reports?.[index] ?? null;
        return {
          referenceNumber: proposal.referenceNumber,
          title: proposal.title,
          state: proposal.state,
          kind: proposal.kind,
          challengeTitle: proposal.challenge?.title ?? null,
          submittedAt: proposal.submittedAt,
          stateEnteredAt: proposal.stateEnteredAt,
          organisationName: proposal.organisation.name,
          organisationKind: proposal.organisation.kind,
          deskOwnerName: proposal.deskOwner?.displayName ?? null,
          matches: (matches?.[index] ?? []).map((match) => ({ sectionName: match.section.name, state: match.state, lead: match.lead })),
          agreementForm: decision?.form ?? null,
          proposedWardCost: proposal.wardCost,
          proposedWardCostEstimate: proposal.wardCostEstimate,
          decidedWardCost: decision?.wardCost ?? null,
          decidedWardCostAmount: decision?.wardCostAmount ?? null,
          content: Object.fromEntries(PROTECTABLE_FIELDS.map((field) => [field, proposal[field]])) as ExportRow['content'],
          protectedFields: registers ? protectedFieldNames((registers[index] ?? []).map(entryFacts)) : [],
          reportState: report?.state ?? null,
          peopleReached: report?.peopleReached ?? null,
          partnerContributionYen: report?.partnerContributionYen ?? null,
          caseState: caseOf.get(proposal.id) ?? null,
        };
      });

      const protectedCells = rows.reduce((sum, row) => sum + row.protectedFields.filter((field) => columns.includes(field)).length, 0);
      recordAudit(tx, {
        actorId: viewer.accountId,
        action: 'PROPOSALS_EXPORTED',
        subjectKind: 'proposals',
        subjectId: null,
        details: { columns, filter: { ...filter }, order, includeProtected, rowCount: rows.length, protectedCells },
      });
      return { csv: proposalExportCsv(rows, columns, includeProtected), fileName: exportFileName(now), rowCount: rows.length };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ },
  );
}

const JST_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });

/** proposals-YYYYMMDD.csv, the day in Japan. */
export function exportFileName(now: Date): string {
  return `proposals-${JST_DAY.format(now).replace(/-/g, '')}.csv`;
}
