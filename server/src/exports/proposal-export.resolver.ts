import { Query, Resolver } from 'type-graphql';
import { Access } from '../graphql/access.js';
import { EXPORT_COLUMNS } from './proposal-export.columns.js';
import { PROPOSAL_EXPORT_PATH } from './proposal-export.routes.js';
import { ProposalExportColumn } from './proposal-export.types.js';

@Resolver()
export class ProposalExportResolver {
  @Access('desk')
  @Query(() => [ProposalExportColumn], { description: 'The columns of the proposal CSV export, in their default order. The desk only.' })
  proposalExportColumns(): ProposalExportColumn[] {
    return EXPORT_COLUMNS.map((column) => ({ ...column }));
  }

  @Access('desk')
  @Query(() => String, { description: 'Where the desk downloads the proposal CSV (add columns=…, includeProtected and the list’s filters). The desk only.' })
  proposalExportPath(): string {
    return PROPOSAL_EXPORT_PATH;
  }
}
