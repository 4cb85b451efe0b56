import type { ProposalExportColumnsQuery, ProposalFilter, ProposalOrder } from '../gql/graphql'

/** Where the desk downloads the proposal CSV (the server's proposal-export.routes.ts). */
export const PROPOSAL_EXPORT_PATH = '/api/desk/proposals/export.csv'

/** Where the chosen columns are remembered between visits (ids only: no content). */
export const EXPORT_COLUMNS_STORAGE_KEY = 'renkei.proposalExport.columns'

export type ExportColumn = ProposalExportColumnsQuery['proposalExportColumns'][number]

/**
 * The download link for the chosen columns and the page's current filter and order: the same
 * parameter names as the list's ProposalFilter, so the file holds what the page lists.
 */
export function exportUrl(columns: readonly string[], includeProtected: boolean, filter: ProposalFilter | null, order: ProposalOrder): string {
  const params = new URLSearchParams()
  params.set('columns', columns.join(','))
  if (includeProtected) params.set('includeProtected', 'true')
  if (filter?.states?.length) params.set('states', filter.states.join(','))
  if (filter?.kind) params.set('kind', filter.kind)
  if (filter?.challengeId) params.set('challengeId', String(filter.challengeId))
  if (filter?.fieldCode) params.set('fieldCode', filter.fieldCode)
  if (filter?.organisationKind) params.set('organisationKind', filter.organisationKind)
  if (filter?.overTarget != null) params.set('overTarget', String(filter.overTarget))
  params.set('order', order)
  return `${PROPOSAL_EXPORT_PATH}?${params.toString()}`
}

/** The first time: every column except the protectable prose, which the desk opts into. */
export function defaultColumns(catalogue: readonly ExportColumn[]): string[] {
  return catalogue.filter((c) => !c.protectedContent).map((c) => c.id)
}

/** The remembered choice, kept to columns that still exist and put in the catalogue's order; the default when there is none. */
export function rememberedColumns(stored: string | null, catalogue: readonly ExportColumn[]): string[] {
  if (stored === null) return defaultColumns(catalogue)
  try {
    const ids = JSON.parse(stored) as unknown
    if (!Array.isArray(ids)) return defaultColumns(catalogue)
    const chosen = new Set(ids.filter((id): id is string => typeof id === 'string'))
    return catalogue.filter((c) => chosen.has(c.id)).map((c) => c.id)
  } catch {
    return defaultColumns(catalogue)
  }
}

/** The catalogue grouped for the dialog's fieldsets, groups in their first column's order. */
export function groupColumns(catalogue: readonly ExportColumn[]): Array<{ group: string; columns: ExportColumn[] }> {
  const groups = new Map<string, ExportColumn[]>()
  for (const column of catalogue) groups.set(column.group, [...(groups.get(column.group) ?? []), column])
  return [...groups].map(([group, columns]) => ({ group, columns }))
}
