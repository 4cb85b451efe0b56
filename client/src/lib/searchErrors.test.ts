import { describe, expect, it } from 'vitest'
import { searchErrorCode } from './searchErrors'
import { searchHitRoute } from './searchRoutes'

const refused = (code: string, field = 'query') => ({
  graphQLErrors: [{ message: 'Invalid input', extensions: { code: 'BAD_USER_INPUT', fields: [{ field, code, message: '' }] } }],
})

describe('searchErrorCode', () => {
  it('reads the search codes of the query field, from Apollo errors and HTTP 400 bodies', () => {
    expect(searchErrorCode(refused('TERM_TOO_SHORT'))).toBe('TERM_TOO_SHORT')
    expect(searchErrorCode(refused('TOO_LONG'))).toBe('TOO_LONG')
    expect(searchErrorCode({ networkError: { result: { errors: refused('TOO_MANY').graphQLErrors } } })).toBe('TOO_MANY')
  })

  it('ignores other fields, other codes and other errors', () => {
    expect(searchErrorCode(refused('INVALID', 'first'))).toBeNull()
    expect(searchErrorCode(refused('SOMETHING_ELSE'))).toBeNull()
    expect(searchErrorCode({ graphQLErrors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }] })).toBeNull()
    expect(searchErrorCode(null)).toBeNull()
  })
})

describe('searchHitRoute', () => {
  const proposal = { kind: 'PROPOSAL' as const, id: 'p1', proposalId: 'p1', path: '/proposer/proposals/p1' }
  const message = { kind: 'MESSAGE' as const, id: 'm1', proposalId: 'p1', path: '/desk/proposals/p1' }

  it('links cases and challenges to their public pages', () => {
    expect(searchHitRoute({ kind: 'CASE', id: 'c1', path: '/cases/c1' }, null)).toBe('/cases/c1')
    expect(searchHitRoute({ kind: 'CHALLENGE', id: 'ch1', path: '/challenges/ch1' }, 'DESK')).toEqual({ name: 'challenge', params: { id: 'ch1' } })
  })

  it('links proposals and messages to the viewer’s own workspace', () => {
    expect(searchHitRoute(proposal, 'DESK')).toEqual({ name: 'desk-proposal', params: { id: 'p1' } })
    expect(searchHitRoute(proposal, 'SECTION')).toEqual({ name: 'section-proposal', params: { id: 'p1' } })
    expect(searchHitRoute(message, 'PROPOSER')).toEqual({ name: 'proposer-proposal', params: { id: 'p1' } })
    expect(searchHitRoute(message, null)).toBe('/desk/proposals/p1')
  })
})
