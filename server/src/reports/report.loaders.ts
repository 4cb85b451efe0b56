import DataLoader from 'dataloader';
import type { Attachment } from '../attachments/attachment.entity.js';
import type { RequestContext } from '../graphql/context.js';
import type { Proposal } from '../proposals/proposal.entity.js';
import type { ImplementationReport, ReportComment } from './implementation-report.entity.js';
import { authorNamesByIds } from '../partnerships/partnership.service.js';
import { commentsOfReports, photosOfReports, reportsOfProposals } from './report.service.js';

/**
 * Per-operation loaders, keyed by the operation's EntityManager (a subscription gets a fresh one
 * per event): the reports of every proposal on a page, their comments and their photos in one
 * statement each; the writers' and the commenters' names in one each (separate loaders: every
 * report resolves in one tick, every comment in another, so a page costs the same whatever it
 * holds). `parents` remembers the visible proposal each report was read through: its
 * loaded matches decide the viewer's abilities on the report.
 */
export interface ReportLoaders {
  reports: DataLoader<string, ImplementationReport | null>;
  comments: DataLoader<string, ReportComment[]>;
  photos: DataLoader<string, Attachment[]>;
  writerNames: DataLoader<string, string | null>;
  commenterNames: DataLoader<string, string | null>;
  parents: WeakMap<ImplementationReport, Proposal>;
}
const loaders = new WeakMap<object, ReportLoaders>();
export function reportLoadersFor(ctx: RequestContext): ReportLoaders {
  const em = ctx.em;
  let found = loaders.get(em);
  if (!found) {
    found = {
      reports: new DataLoader((ids) => reportsOfProposals(em, ids)),
      comments: new DataLoader((ids) => commentsOfReports(em, ids)),
      photos: new DataLoader((ids) => photosOfReports(em, ids)),
      writerNames: new DataLoader((ids) => authorNamesByIds(em, ids)),
      commenterNames: new DataLoader((ids) => authorNamesByIds(em, ids)),
      parents: new WeakMap(),
    };
    loaders.set(em, found);
  }
  return found;
}
