import { describe, expect, it } from 'vitest'
import type { ProposalSummaryFragment } from '../gql/graphql'
import { emptyProposalFilter, filterFromQuery, filterToQuery, filterToVariables, matchesProposalFilter, needsServerToFilter } from './proposalFilter'

describe('filterToVariables', () => {
  it('is null when nothing is chosen', () => {
    expect(filterToVariables(emptyProposalFilter())).toBeNull()
  })

  it('maps each chosen select to its filter field (a state becomes a one-element list)', () => {
    expect(
      filterToVariables({ ...emptyProposalFilter(), state: 'SUBMITTED', kind: 'CHALLENGE', challengeId: 'c1', fieldCode: 'ENV', organisationKind: 'NPO' }),
    ).toEqual({ states: ['SUBMITTED'], kind: 'CHALLENGE', challengeId: 'c1', fieldCode: 'ENV', organisationKind: 'NPO' })
    expect(filterToVariables({ ...emptyProposalFilter(), kind: 'FREE' })).toEqual({ kind: 'FREE' })
  })

  it('takes the dashboard’s links from the URL and gives them back: several states, the year, a section’s load, reports due', () => {
    const query = { state: 'AGREED,IN_PROGRESS', fy: '2026', month: '2026-05', section: 's1', match: 'ACCEPTED', lead: '1', due: '1' }
    const values = filterFromQuery(query)
    expect(filterToQuery(values)).toEqual(query)
    const variables = filterToVariables(values)
    expect(variables).toEqual({ states: ['AGREED', 'IN_PROGRESS'], fiscalYear: 2026, submittedMonth: '2026-05', sectionId: 's1', matchState: 'ACCEPTED', leadSection: true, reportDue: true })
    expect(needsServerToFilter(variables)).toBe(true)
    expect(needsServerToFilter({ states: ['SUBMITTED'] })).toBe(false)
    expect(filterToVariables(filterFromQuery({ match: 'PENDING', matchOver: '1' }))).toEqual({ matchState: 'PENDING', matchOverTarget: true })
    expect(filterToVariables({ ...emptyProposalFilter(), state: 'AGREED,BOGUS' })).toBeNull()
  })

  it('drops values that are not in the schema’s enums', () => {
    expect(filterToVariables({ ...emptyProposalFilter(), state: 'BOGUS', kind: 'x', organisationKind: 'INDIVIDUAL' })).toBeNull()
  })
})

function proposal(partial: Partial<ProposalSummaryFragment>): ProposalSummaryFragment {
  return {
    __typename: 'Proposal',
    id: 'p1',
    referenceNumber: '2026-0001',
    title: 't',
    state: 'SUBMITTED',
    kind: 'CHALLENGE',
    awaiting: 'DESK',
    changeRequestNote: null,
    submittedAt: '2026-05-01T00:00:00Z',
    daysSinceSubmission: 1,
    ageing: null,
    updatedAt: '2026-05-01T00:00:00Z',
    version: 2,
    challenge: { __typename: 'Challenge', id: 'c1', title: 'c', fields: [{ __typename: 'ChallengeField', code: 'ENV' }] },
    organisation: { __typename: 'ProposalOrganisation', id: 'o1', name: 'o', kind: 'NPO' },
    ...partial,
  }
}

describe('matchesProposalFilter', () => {
  it('mirrors each filter field', () => {
    const p = proposal({})
    expect(matchesProposalFilter(null)(p)).toBe(true)
    expect(matchesProposalFilter({ states: ['SUBMITTED'] })(p)).toBe(true)
    expect(matchesProposalFilter({ states: ['UNDER_REVIEW'] })(p)).toBe(false)
    expect(matchesProposalFilter({ kind: 'FREE' })(p)).toBe(false)
    expect(matchesProposalFilter({ challengeId: 'c2' })(p)).toBe(false)
    expect(matchesProposalFilter({ fieldCode: 'ENV' })(p)).toBe(true)
    expect(matchesProposalFilter({ fieldCode: 'EDU' })(p)).toBe(false)
    expect(matchesProposalFilter({ organisationKind: 'COMPANY' })(p)).toBe(false)
    expect(matchesProposalFilter({ fieldCode: 'ENV' })(proposal({ challenge: null, kind: 'FREE' }))).toBe(false)
  })
})
