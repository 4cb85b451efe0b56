import DataLoader from 'dataloader';
import type { RequestContext } from '../graphql/context.js';
import type { AgreementRecord } from './agreement-record.entity.js';
import type { PartnershipDecision } from './partnership-decision.entity.js';
import { agreementRecordsOfProposals, authorNamesByIds, decisionsOfProposals, progressNotesOfProposals } from './partnership.service.js';
import type { ProgressNote } from './progress-note.entity.js';

/**
 * Per-operation loaders, keyed by the operation's EntityManager (a subscription gets a fresh one
 * per event): the decisions, agreement records, progress notes and note authors of every proposal
 * on a page in one statement each.
 */
export interface PartnershipLoaders {
  decisions: DataLoader<string, PartnershipDecision | null>;
  agreementRecords: DataLoader<string, AgreementRecord | null>;
  progressNotes: DataLoader<string, ProgressNote[]>;
  authorNames: DataLoader<string, string | null>;
}
const loaders = new WeakMap<object, PartnershipLoaders>();
export function partnershipLoadersFor(ctx: RequestContext): PartnershipLoaders {
  const em = ctx.em;
  let found = loaders.get(em);
  if (!found) {
    found = {
      decisions: new DataLoader((ids) => decisionsOfProposals(em, ids)),
      agreementRecords: new DataLoader((ids) => agreementRecordsOfProposals(em, ids)),
      progressNotes: new DataLoader((ids) => progressNotesOfProposals(em, ids)),
      authorNames: new DataLoader((ids) => authorNamesByIds(em, ids)),
    };
    loaders.set(em, found);
  }
  return found;
}
