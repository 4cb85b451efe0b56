import { ApolloClient, HttpLink, InMemoryCache, split } from '@apollo/client/core'
import { GraphQLWsLink } from '@apollo/client/link/subscriptions'
import { getMainDefinition } from '@apollo/client/utilities'
import { wsClient } from './wsClient'

const httpLink = new HttpLink({
  uri: '/graphql',
  credentials: 'include',
  // Apollo Server's CSRF prevention: a JSON content-type is sent by HttpLink; this makes it explicit.
  headers: { 'apollo-require-preflight': 'true' },
})

const wsLink = new GraphQLWsLink(wsClient)

const link = split(
  ({ query }) => {
    const definition = getMainDefinition(query)
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription'
  },
  wsLink,
  httpLink,
)

export const apolloClient = new ApolloClient({
  link,
  cache: new InMemoryCache({
    typePolicies: {
      ChallengeField: { keyFields: ['code'] },
      ChallengeAbilities: { merge: true },
      ChallengeConnection: { merge: true },
      ProposalAbilities: { merge: true },
      ProposalConnection: { merge: true },
      OrganisationAbilities: { merge: true },
      // Not entities of their own: stored inside their proposal / organisation.
      ProposalOrganisation: { keyFields: false },
      OrganisationMember: { keyFields: false },
      PageInfo: { merge: true },
    },
  }),
  devtools: { enabled: import.meta.env.DEV },
  defaultOptions: {
    watchQuery: { errorPolicy: 'none' },
  },
})
