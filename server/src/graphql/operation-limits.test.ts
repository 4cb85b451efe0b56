import { beforeAll, describe, expect, it } from 'vitest';
import { validate, type GraphQLSchema } from 'graphql';
import { clientDocuments } from '../../test/client-documents.js';
import { buildRenkeiSchema } from './schema.js';
import { OPERATION_LIMITS, allValidationRules, costError, measureOperations, parseLimited, withoutSuggestions } from './operation-limits.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildRenkeiSchema();
});

function errorsOf(text: string, production = false): string[] {
  return validate(schema, parseLimited(text), allValidationRules(production)).map((error) => error.message);
}

describe('operation limits', () => {
  it('let every document the client sends through, with room to spare', () => {
    const documents = clientDocuments();
    expect(documents.length).toBeGreaterThan(100);
    const refused: string[] = [];
    let largest = { depth: 0, aliases: 0, cost: 0 };
    for (const document of documents) {
      const errors = errorsOf(document.text, true);
      const cost = costError(schema, parseLimited(document.text), null, null);
      if (cost) errors.push(cost.message);
      if (errors.length) refused.push(`${document.name}: ${errors.join('; ')}`);
      for (const measure of measureOperations(schema, parseLimited(document.text)).operations.values()) {
        largest = { depth: Math.max(largest.depth, measure.depth), aliases: Math.max(largest.aliases, measure.aliases), cost: Math.max(largest.cost, measure.cost) };
      }
    }
    expect(refused).toEqual([]);
    // The limits are not so tight that the next field added to a page breaks it.
    expect(largest.depth).toBeLessThanOrEqual(OPERATION_LIMITS.maxDepth - 3);
    expect(largest.cost).toBeLessThanOrEqual(OPERATION_LIMITS.maxCost / 2);
  });

  it('refuses a document nested deeper than the limit', () => {
    const nested = (levels: number) => `{ ${'a { '.repeat(levels - 1)}b${' }'.repeat(levels - 1)} }`;
    const depthErrors = (text: string) => errorsOf(text).filter((message) => /nested/.test(message));
    expect(depthErrors(nested(OPERATION_LIMITS.maxDepth))).toEqual([]);
    expect(depthErrors(nested(OPERATION_LIMITS.maxDepth + 1))).toEqual([`Operation (anonymous) is nested 13 levels deep; at most 12 are allowed`]);
    // Inside a fragment, the depth is where it is spread.
    expect(depthErrors(`{ a { a { ...F } } } fragment F on Query { ${'a { '.repeat(10)}b${' }'.repeat(10)} }`)).toHaveLength(1);
  });

  it('counts a page of pages as their product', () => {
    const measure = (text: string) => [...measureOperations(schema, parseLimited(text)).operations.values()][0]!;
    const one = measure('{ proposals(first: 10) { edges { node { id title } } } }');
    const twice = measure('{ proposals(first: 100) { edges { node { id title } } } }');
    expect(twice.cost).toBeGreaterThan(one.cost * 9);
    // A variable page size counts as its value, the largest page when it is not known.
    const text = 'query($n: Int!) { proposals(first: $n) { edges { node { id title } } } }';
    expect([...measureOperations(schema, parseLimited(text), { n: 10 }).operations.values()][0]!.cost).toBe(one.cost);
    expect(measure(text).cost).toBe(twice.cost);
    const costly = `query($n: Int!) { proposals(first: $n) { edges { node { threads { messages(first: $n) { edges { node { id body } } } } } } } }`;
    expect(costError(schema, parseLimited(costly), null, { n: 10 })).toBeNull();
    expect(costError(schema, parseLimited(costly), null, { n: 100 })?.message).toMatch(new RegExp(`would cost about \\d+; at most ${OPERATION_LIMITS.maxCost}`));
  });

  it('refuses more aliases than the limit, counting a fragment at every spread', () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    expect(errorsOf(aliases(OPERATION_LIMITS.maxAliases))).toEqual([]);
    expect(errorsOf(aliases(OPERATION_LIMITS.maxAliases + 1)).join()).toMatch(/31 aliases/);
    const spread = `query { ${Array.from({ length: 8 }, () => '...F').join(' ')} } fragment F on Query { ${Array.from({ length: 4 }, (_, i) => `b${i}: me { id }`).join(' ')} }`;
    expect(errorsOf(spread).join()).toMatch(/32 aliases/);
  });

  it('refuses a fragment cycle without looping', () => {
    const errors = errorsOf('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }');
    expect(errors.join()).toMatch(/Cannot spread fragment "A" within itself/);
  });

  it('stays linear on a chain of fragments each spreading the last one twice', () => {
    const chain = Array.from({ length: 60 }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ');
    const text = `query { ...F60 } fragment F0 on Query { me { id } } ${chain}`;
    expect(errorsOf(text)).toEqual([]);
    expect(costError(schema, parseLimited(text), null, {})?.message).toMatch(/would cost about/);
  });

  it('stops parsing past the token limit', () => {
    const big = `{ ${Array.from({ length: OPERATION_LIMITS.maxTokens }, () => 'me { id }').join(' ')} }`;
    expect(() => parseLimited(big)).toThrow(/more than 3000 tokens|Document contains more/);
  });

  it('refuses introspection in production only, and drops "Did you mean" from messages', () => {
    expect(errorsOf('{ __schema { queryType { name } } }', false)).toEqual([]);
    expect(errorsOf('{ __schema { queryType { name } } }', true).join()).toMatch(/introspection/i);
    const [message] = errorsOf('{ proposel(id: "x") { id } }');
    expect(message).toMatch(/Did you mean/);
    expect(withoutSuggestions(message!)).toBe('Cannot query field "proposel" on type "Query".');
  });
});
