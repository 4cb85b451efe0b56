import { describe, expect, it } from 'vitest'
import { defaultColumns, exportUrl, groupColumns, rememberedColumns, type ExportColumn } from './proposalExport'

const col = (id: string, group: string, protectedContent = false): ExportColumn => ({ __typename: 'ProposalExportColumn', id, group, labelJa: id, labelEn: id, protectedContent })
const CATALOGUE = [col('referenceNumber', 'proposal'), col('title', 'proposal'), col('organisationName', 'organisation'), col('content', 'content', true), col('reportState', 'report')]

describe('the export link', () => {
  it('carries the columns, the flag only when set, and the page’s filter and order', () => {
    expect(exportUrl(['title', 'content'], false, null, 'OLDEST_SUBMITTED_FIRST')).toBe('/api/desk/proposals/export.csv?columns=title%2Ccontent&order=OLDEST_SUBMITTED_FIRST')
    const url = new URL(exportUrl(['title'], true, { states: ['SUBMITTED'], kind: 'FREE', challengeId: 'c1', fieldCode: 'f', organisationKind: 'NPO', overTarget: true }, 'NEWEST_SUBMITTED_FIRST'), 'http://x')
    expect(Object.fromEntries(url.searchParams)).toEqual({ columns: 'title', includeProtected: 'true', states: 'SUBMITTED', kind: 'FREE', challengeId: 'c1', fieldCode: 'f', organisationKind: 'NPO', overTarget: 'true', order: 'NEWEST_SUBMITTED_FIRST' })
  })
})

describe('remembered columns', () => {
  it('default to everything but protectable content', () => {
    expect(defaultColumns(CATALOGUE)).toEqual(['referenceNumber', 'title', 'organisationName', 'reportState'])
    expect(rememberedColumns(null, CATALOGUE)).toEqual(defaultColumns(CATALOGUE))
    expect(rememberedColumns('not json', CATALOGUE)).toEqual(defaultColumns(CATALOGUE))
  })

  it('keep what still exists, in the catalogue’s order', () => {
    expect(rememberedColumns(JSON.stringify(['content', 'gone', 'title']), CATALOGUE)).toEqual(['title', 'content'])
    expect(rememberedColumns('[]', CATALOGUE)).toEqual([])
  })
})

it('groups columns in their order', () => {
  expect(groupColumns(CATALOGUE).map((g) => [g.group, g.columns.length])).toEqual([['proposal', 2], ['organisation', 1], ['content', 1], ['report', 1]])
})
