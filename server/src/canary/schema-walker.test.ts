import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { walkRootFields, type ArgumentSupplier } from './schema-walker.js';

const SCHEMA = buildSchema(`
  enum State { DRAFT OPEN }
  input Filter { states: [State!], text: String }
  type Note { id: ID! text: String! }
  type Thing { id: ID! name: String! state: State! notes(first: Int): [Note!]! parent: Thing }
  type Query {
    things(filter: Filter, first: Int): [Thing!]!
    thing(id: ID!): Thing
    pair(thingId: ID!, noteId: ID!): Note
    search(term: String!): [Thing!]!
    hello: String!
  }
  type Mutation { rename(id: ID!, name: String!): Thing! logout: Boolean! }
`);

const supplier: ArgumentSupplier = {
  ids: (name) => (name === 'noteId' ? ['n1'] : ['t1', 't2']),
  string: (name) => (name === 'term' || name === 'text' ? 'needle' : null),
};

describe('walking the schema', () => {
  it('makes valid operations for every root field, one per candidate id, selecting every field', () => {
    const operations = walkRootFields(SCHEMA, 'query', supplier, { depth: 3 });
    for (const op of operations) expect(validate(SCHEMA, parse(op.document)), op.document).toEqual([]);
    expect(operations.map((op) => op.rootField).sort()).toEqual(['hello', 'pair', 'pair', 'pair', 'search', 'thing', 'thing', 'things']);
    const thing = operations.filter((op) => op.rootField === 'thing');
    expect(thing.map((op) => op.variables)).toEqual([{ id: 't1' }, { id: 't2' }]);
    expect(thing[0]!.document).toContain('notes(first: 20) { __typename id text }');
    expect(thing[0]!.document).toContain('parent {');
  });

  it('fills filters with every enum value and search strings from the supplier', () => {
    const [things] = walkRootFields(SCHEMA, 'query', supplier, { depth: 2 }).filter((op) => op.rootField === 'things');
    expect(things!.variables).toEqual({ filter: { states: ['DRAFT', 'OPEN'], text: 'needle' }, first: 20 });
    const [search] = walkRootFields(SCHEMA, 'query', supplier, { depth: 2 }).filter((op) => op.rootField === 'search');
    expect(search!.variables).toEqual({ term: 'needle' });
  });

  it('leaves out the fields it is told to skip', () => {
    const operations = walkRootFields(SCHEMA, 'mutation', supplier, { depth: 1, skip: new Set(['logout']) });
    expect(operations.map((op) => op.rootField)).toEqual(['rename', 'rename']);
    for (const op of operations) expect(validate(SCHEMA, parse(op.document))).toEqual([]);
  });
});
