/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Me {\n  me {\n    id\n    email\n    displayName\n    role\n  }\n}\n\nmutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    id\n    email\n    displayName\n    role\n  }\n}\n\nmutation Logout {\n  logout\n}": typeof types.MeDocument,
    "fragment SectionSummary on Section {\n  id\n  name\n  retired\n  department {\n    id\n    name\n  }\n}\n\nfragment ChallengeFieldSummary on ChallengeField {\n  code\n  nameJa\n  nameEn\n}\n\nfragment ChallengeDetails on Challenge {\n  id\n  title\n  description\n  background\n  owningSection {\n    ...SectionSummary\n  }\n  fields {\n    ...ChallengeFieldSummary\n  }\n  status\n  published\n  publishedAt\n  periodStart\n  periodEnd\n  contact\n  version\n  updatedAt\n  viewerCan {\n    edit\n    open\n    close\n    publish\n    unpublish\n  }\n}": typeof types.SectionSummaryFragmentDoc,
    "mutation CreateChallenge($input: ChallengeInput!, $idempotencyKey: String) {\n  createChallenge(input: $input, idempotencyKey: $idempotencyKey) {\n    ...ChallengeDetails\n  }\n}\n\nmutation UpdateChallenge($id: ID!, $expectedVersion: Int!, $input: ChallengeInput!) {\n  updateChallenge(id: $id, expectedVersion: $expectedVersion, input: $input) {\n    ...ChallengeDetails\n  }\n}\n\nmutation OpenChallenge($id: ID!, $expectedVersion: Int!) {\n  openChallenge(id: $id, expectedVersion: $expectedVersion) {\n    ...ChallengeDetails\n  }\n}\n\nmutation CloseChallenge($id: ID!, $expectedVersion: Int!) {\n  closeChallenge(id: $id, expectedVersion: $expectedVersion) {\n    ...ChallengeDetails\n  }\n}\n\nmutation PublishChallenge($id: ID!, $expectedVersion: Int!) {\n  publishChallenge(id: $id, expectedVersion: $expectedVersion) {\n    ...ChallengeDetails\n  }\n}\n\nmutation UnpublishChallenge($id: ID!, $expectedVersion: Int!, $reason: String!) {\n  unpublishChallenge(id: $id, expectedVersion: $expectedVersion, reason: $reason) {\n    ...ChallengeDetails\n  }\n}": typeof types.CreateChallengeDocument,
    "query Challenges($first: Int, $after: String, $filter: ChallengeFilter) {\n  liveCursor\n  challenges(first: $first, after: $after, filter: $filter) {\n    edges {\n      cursor\n      node {\n        ...ChallengeDetails\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nquery Challenge($id: ID!) {\n  liveCursor\n  challenge(id: $id) {\n    ...ChallengeDetails\n  }\n}\n\nquery ChallengeFields {\n  challengeFields {\n    ...ChallengeFieldSummary\n  }\n}\n\nquery Departments {\n  departments {\n    id\n    name\n    sections {\n      ...SectionSummary\n    }\n  }\n}": typeof types.ChallengesDocument,
    "subscription ChallengeEvents($after: String) {\n  challengeEvents(after: $after) {\n    cursor\n    kind\n    challengeId\n    challenge {\n      ...ChallengeDetails\n    }\n  }\n}": typeof types.ChallengeEventsDocument,
};
const documents: Documents = {
    "query Me {\n  me {\n    id\n    email\n    displayName\n    role\n  }\n}\n\nmutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    id\n    email\n    displayName\n    role\n  }\n}\n\nmutation Logout {\n  logout\n}": types.MeDocument,
    "fragment SectionSummary on Section {\n  id\n  name\n  retired\n  department {\n    id\n    name\n  }\n}\n\nfragment ChallengeFieldSummary on ChallengeField {\n  code\n  nameJa\n  nameEn\n}\n\nfragment ChallengeDetails on Challenge {\n  id\n  title\n  description\n  background\n  owningSection {\n    ...SectionSummary\n  }\n  fields {\n    ...ChallengeFieldSummary\n  }\n  status\n  published\n  publishedAt\n  periodStart\n  periodEnd\n  contact\n  version\n  updatedAt\n  viewerCan {\n    edit\n    open\n    close\n    publish\n    unpublish\n  }\n}": types.SectionSummaryFragmentDoc,
    "mutation CreateChallenge($input: ChallengeInput!, $idempotencyKey: String) {\n  createChallenge(input: $input, idempotencyKey: $idempotencyKey) {\n    ...ChallengeDetails\n  }\n}\n\nmutation UpdateChallenge($id: ID!, $expectedVersion: Int!, $input: ChallengeInput!) {\n  updateChallenge(id: $id, expectedVersion: $expectedVersion, input: $input) {\n    ...ChallengeDetails\n  }\n}\n\nmutation OpenChallenge($id: ID!, $expectedVersion: Int!) {\n  openChallenge(id: $id, expectedVersion: $expectedVersion) {\n    ...ChallengeDetails\n  }\n}\n\nmutation CloseChallenge($id: ID!, $expectedVersion: Int!) {\n  closeChallenge(id: $id, expectedVersion: $expectedVersion) {\n    ...ChallengeDetails\n  }\n}\n\nmutation PublishChallenge($id: ID!, $expectedVersion: Int!) {\n  publishChallenge(id: $id, expectedVersion: $expectedVersion) {\n    ...ChallengeDetails\n  }\n}\n\nmutation UnpublishChallenge($id: ID!, $expectedVersion: Int!, $reason: String!) {\n  unpublishChallenge(id: $id, expectedVersion: $expectedVersion, reason: $reason) {\n    ...ChallengeDetails\n  }\n}": types.CreateChallengeDocument,
    "query Challenges($first: Int, $after: String, $filter: ChallengeFilter) {\n  liveCursor\n  challenges(first: $first, after: $after, filter: $filter) {\n    edges {\n      cursor\n      node {\n        ...ChallengeDetails\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nquery Challenge($id: ID!) {\n  liveCursor\n  challenge(id: $id) {\n    ...ChallengeDetails\n  }\n}\n\nquery ChallengeFields {\n  challengeFields {\n    ...ChallengeFieldSummary\n  }\n}\n\nquery Departments {\n  departments {\n    id\n    name\n    sections {\n      ...SectionSummary\n    }\n  }\n}": types.ChallengesDocument,
    "subscription ChallengeEvents($after: String) {\n  challengeEvents(after: $after) {\n    cursor\n    kind\n    challengeId\n    challenge {\n      ...ChallengeDetails\n    }\n  }\n}": types.ChallengeEventsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    id\n    email\n    displayName\n    role\n  }\n}\n\nmutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    id\n    email\n    displayName\n    role\n  }\n}\n\nmutation Logout {\n  logout\n}"): (typeof documents)["query Me {\n  me {\n    id\n    email\n    displayName\n    role\n  }\n}\n\nmutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    id\n    email\n    displayName\n    role\n  }\n}\n\nmutation Logout {\n  logout\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment SectionSummary on Section {\n  id\n  name\n  retired\n  department {\n    id\n    name\n  }\n}\n\nfragment ChallengeFieldSummary on ChallengeField {\n  code\n  nameJa\n  nameEn\n}\n\nfragment ChallengeDetails on Challenge {\n  id\n  title\n  description\n  background\n  owningSection {\n    ...SectionSummary\n  }\n  fields {\n    ...ChallengeFieldSummary\n  }\n  status\n  published\n  publishedAt\n  periodStart\n  periodEnd\n  contact\n  version\n  updatedAt\n  viewerCan {\n    edit\n    open\n    close\n    publish\n    unpublish\n  }\n}"): (typeof documents)["fragment SectionSummary on Section {\n  id\n  name\n  retired\n  department {\n    id\n    name\n  }\n}\n\nfragment ChallengeFieldSummary on ChallengeField {\n  code\n  nameJa\n  nameEn\n}\n\nfragment ChallengeDetails on Challenge {\n  id\n  title\n  description\n  background\n  owningSection {\n    ...SectionSummary\n  }\n  fields {\n    ...ChallengeFieldSummary\n  }\n  status\n  published\n  publishedAt\n  periodStart\n  periodEnd\n  contact\n  version\n  updatedAt\n  viewerCan {\n    edit\n    open\n    close\n    publish\n    unpublish\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateChallenge($input: ChallengeInput!, $idempotencyKey: String) {\n  createChallenge(input: $input, idempotencyKey: $idempotencyKey) {\n    ...ChallengeDetails\n  }\n}\n\nmutation UpdateChallenge($id: ID!, $expectedVersion: Int!, $input: ChallengeInput!) {\n  updateChallenge(id: $id, expectedVersion: $expectedVersion, input: $input) {\n    ...ChallengeDetails\n  }\n}\n\nmutation OpenChallenge($id: ID!, $expectedVersion: Int!) {\n  openChallenge(id: $id, expectedVersion: $expectedVersion) {\n    ...ChallengeDetails\n  }\n}\n\nmutation CloseChallenge($id: ID!, $expectedVersion: Int!) {\n  closeChallenge(id: $id, expectedVersion: $expectedVersion) {\n    ...ChallengeDetails\n  }\n}\n\nmutation PublishChallenge($id: ID!, $expectedVersion: Int!) {\n  publishChallenge(id: $id, expectedVersion: $expectedVersion) {\n    ...ChallengeDetails\n  }\n}\n\nmutation UnpublishChallenge($id: ID!, $expectedVersion: Int!, $reason: String!) {\n  unpublishChallenge(id: $id, expectedVersion: $expectedVersion, reason: $reason) {\n    ...ChallengeDetails\n  }\n}"): (typeof documents)["mutation CreateChallenge($input: ChallengeInput!, $idempotencyKey: String) {\n  createChallenge(input: $input, idempotencyKey: $idempotencyKey) {\n    ...ChallengeDetails\n  }\n}\n\nmutation UpdateChallenge($id: ID!, $expectedVersion: Int!, $input: ChallengeInput!) {\n  updateChallenge(id: $id, expectedVersion: $expectedVersion, input: $input) {\n    ...ChallengeDetails\n  }\n}\n\nmutation OpenChallenge($id: ID!, $expectedVersion: Int!) {\n  openChallenge(id: $id, expectedVersion: $expectedVersion) {\n    ...ChallengeDetails\n  }\n}\n\nmutation CloseChallenge($id: ID!, $expectedVersion: Int!) {\n  closeChallenge(id: $id, expectedVersion: $expectedVersion) {\n    ...ChallengeDetails\n  }\n}\n\nmutation PublishChallenge($id: ID!, $expectedVersion: Int!) {\n  publishChallenge(id: $id, expectedVersion: $expectedVersion) {\n    ...ChallengeDetails\n  }\n}\n\nmutation UnpublishChallenge($id: ID!, $expectedVersion: Int!, $reason: String!) {\n  unpublishChallenge(id: $id, expectedVersion: $expectedVersion, reason: $reason) {\n    ...ChallengeDetails\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Challenges($first: Int, $after: String, $filter: ChallengeFilter) {\n  liveCursor\n  challenges(first: $first, after: $after, filter: $filter) {\n    edges {\n      cursor\n      node {\n        ...ChallengeDetails\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nquery Challenge($id: ID!) {\n  liveCursor\n  challenge(id: $id) {\n    ...ChallengeDetails\n  }\n}\n\nquery ChallengeFields {\n  challengeFields {\n    ...ChallengeFieldSummary\n  }\n}\n\nquery Departments {\n  departments {\n    id\n    name\n    sections {\n      ...SectionSummary\n    }\n  }\n}"): (typeof documents)["query Challenges($first: Int, $after: String, $filter: ChallengeFilter) {\n  liveCursor\n  challenges(first: $first, after: $after, filter: $filter) {\n    edges {\n      cursor\n      node {\n        ...ChallengeDetails\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nquery Challenge($id: ID!) {\n  liveCursor\n  challenge(id: $id) {\n    ...ChallengeDetails\n  }\n}\n\nquery ChallengeFields {\n  challengeFields {\n    ...ChallengeFieldSummary\n  }\n}\n\nquery Departments {\n  departments {\n    id\n    name\n    sections {\n      ...SectionSummary\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription ChallengeEvents($after: String) {\n  challengeEvents(after: $after) {\n    cursor\n    kind\n    challengeId\n    challenge {\n      ...ChallengeDetails\n    }\n  }\n}"): (typeof documents)["subscription ChallengeEvents($after: String) {\n  challengeEvents(after: $after) {\n    cursor\n    kind\n    challengeId\n    challenge {\n      ...ChallengeDetails\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;