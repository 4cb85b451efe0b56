import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SEARCH_COUNT_CAP } from './search.validation.js';

/** What a search hit is. CASE and CHALLENGE are public; PROPOSAL and MESSAGE only for their audience. */
export enum SearchKind {
  CASE = 'CASE',
  CHALLENGE = 'CHALLENGE',
  PROPOSAL = 'PROPOSAL',
  MESSAGE = 'MESSAGE',
}
registerEnumType(SearchKind, { name: 'SearchKind', description: 'CASE: published case (事例); CHALLENGE: challenge (行政課題); PROPOSAL and MESSAGE: for signed-in viewers who may see them' });

@ObjectType({ description: 'A piece of a snippet: plain text; `match` marks what matched a term (render it as <mark>)' })
export class SearchSnippetSegment {
  @Field(() => String)
  text!: string;

  @Field(() => Boolean)
  match!: boolean;
}

@ObjectType({ description: 'One search result' })
export class SearchHit {
  @Field(() => SearchKind)
  kind!: SearchKind;

  @Field(() => ID, { description: 'The case, challenge, proposal or message' })
  id!: string;

  @Field(() => ID, { nullable: true, description: 'For PROPOSAL and MESSAGE: the proposal (its workspace is the link)' })
  proposalId!: string | null;

  @Field(() => ID, { nullable: true, description: 'For MESSAGE: its thread' })
  threadId!: string | null;

  @Field(() => String, { description: 'The title: of the case, challenge or proposal; for a message, its thread' })
  title!: string;

  @Field(() => [SearchSnippetSegment], { description: 'The title as segments, matches marked' })
  titleSegments!: SearchSnippetSegment[];

  @Field(() => Boolean, { description: 'Whether every term occurs in the title (such hits come first)' })
  titleMatch!: boolean;

  @Field(() => [SearchSnippetSegment], { description: 'Text around the first match, at most about 120 characters' })
  snippet!: SearchSnippetSegment[];

  @Field(() => String, { description: 'Where the viewer reads it in the client (the proposal workspace of their own role for PROPOSAL and MESSAGE)' })
  path!: string;

  @Field(() => Date, { nullable: true, description: 'Published (case, challenge), submitted or created (proposal), posted (message)' })
  date!: Date | null;
}

@ObjectType({ description: 'Search results: title hits first, then newest' })
export class SearchResults {
  @Field(() => Int, {
    description: `The matches the viewer may see, over the kinds searched (not only the returned ones): exact up to ${SEARCH_COUNT_CAP}; when there are more, ${SEARCH_COUNT_CAP} and totalCountIsLowerBound is true`,
  })
  totalCount!: number;

  @Field(() => Boolean, { description: `True when there are more matches than totalCount (counting stops at ${SEARCH_COUNT_CAP}: show "${SEARCH_COUNT_CAP}+" and suggest narrowing the search)` })
  totalCountIsLowerBound!: boolean;

  @Field(() => [SearchHit])
  hits!: SearchHit[];

  @Field(() => [String], { description: 'The terms searched, normalised (NFKC, lower case)' })
  terms!: string[];
}
