import { describe, expect, it } from 'vitest';
import { GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { documentCache } from './document-cache.js';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { n: { type: GraphQLInt }, s: { type: GraphQLString } } }),
});

describe('documentCache', () => {
  it('parses a text once and hands every operation of that text the same document and text', () => {
    const cache = documentCache();
    const text = '{ n s }';
    const first = cache.parse(text);
    // Another copy of the same text, as a second subscribe message would carry it.
    const copy = ['{ n', 's }'].join(' ');
    expect(cache.parse(copy)).toBe(first);
    expect(cache.intern(copy)).toBe(text);
    expect(cache.intern('{ s }')).toBe('{ s }');
    expect(cache.size).toBe(1);
  });

  it('validates a document once it is valid, and a failing one every time with its errors', () => {
    const cache = documentCache();
    const valid = cache.parse('{ n }');
    expect(cache.validate(schema, valid)).toEqual([]);
    expect(cache.validate(schema, valid)).toEqual([]);
    const invalid = cache.parse('{ nope }');
    expect(cache.validate(schema, invalid).map((error) => error.message)).toEqual(['Cannot query field "nope" on type "Query".']);
    expect(cache.validate(schema, invalid)).toHaveLength(1);
    // Valid for one schema says nothing about another.
    const other = new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { s: { type: GraphQLString } } }) });
    expect(cache.validate(other, valid)).toHaveLength(1);
  });

  it('keeps at most maxEntries texts (least recently used go first) and never keeps long ones or syntax errors', () => {
    const cache = documentCache({ maxEntries: 2, maxLength: 20 });
    const a = cache.parse('{ n }');
    const b = cache.parse('{ s }');
    expect(cache.parse('{ n }')).toBe(a); // used again: now the newest
    cache.parse('{ n s }'); // drops '{ s }', the least recently used
    expect(cache.size).toBe(2);
    expect(cache.parse('{ n }')).toBe(a);
    expect(cache.parse('{ s }')).not.toBe(b);
    const long = `{ ${'n '.repeat(20)}}`;
    expect(cache.parse(long)).not.toBe(cache.parse(long));
    expect(() => cache.parse('{ n')).toThrow(/Syntax Error/);
    expect(cache.size).toBe(2);
  });
});
