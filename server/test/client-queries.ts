/** The GraphQL documents the client sends for the desk's proposal list and a thread's messages: what the bench's Q1 and N1 figures ask, and what the statement-count tests beside the code count. */

/** The desk's proposal list: a page of proposals with their organisation, matches and message counts. */
export const DESK_LIST = `query DeskProposals($first: Int!) {
  proposals(first: $first, order: NEWEST_SUBMITTED_FIRST) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id referenceNumber title state kind awaiting submittedAt daysSinceSubmission updatedAt version
        challenge { id title }
        organisation { id name kind }
        matches { id state lead decidedAt section { id name } }
        unreadMessageCount
      }
    }
  }
}`;

/** One thread's messages as the client reads them (client/src/graphql/threads.graphql, MessageDetails inlined). */
export const THREAD_MESSAGES = `query ThreadMessages($threadId: ID!, $first: Int!) {
  thread(id: $threadId) {
    id proposalId audience title createdAt lastMessageAt unreadCount version following
    viewerCan { post }
    messages(first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id threadId parentId depth body bodyHtml deleted createdAt editedAt deletedAt version
          author { accountId displayName role sectionName departmentName organisationName }
          quote { messageId authorName excerpt deleted }
          revisions { id bodyHtml editedAt editedByName }
          viewerCan { edit delete reply }
          attachments { id fileName sizeBytes mediaType downloadPath }
          protection
          viewerCanRequestProtection
        }
      }
    }
  }
}`;
