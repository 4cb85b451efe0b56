import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionResult } from 'graphql';
import { audienceFactsOf } from '../events/audience.js';
import { markShared } from '../events/shared-root.js';
import { Role } from '../identity/account.entity.js';
import type { AccountViewer } from '../identity/viewer.js';
import type { RequestContext } from './context.js';
import { buildRenkeiSchema } from './schema.js';
import { PER_PERSON_FIELDS } from './per-person-fields.js';
import { documentShape } from './document-shape.js';
import { sharedSubscribe } from './shared-subscribe.js';

/**
 * A small schema standing in for a live stream: `news` yields one root per event, marked shared by
 * the audience, as threadEvents does. `title` depends on the audience; `mine` reads the person.
 */
function harness() {
  const counts = { title: 0, mine: 0 };
  const Event = new GraphQLObjectType<{ n: number }, RequestContext>({
    name: 'Event',
    fields: {
      title: { type: GraphQLString, resolve: (root, _args, ctx) => (counts.title++, `${root.n} for ${ctx.viewer.kind === 'account' ? ctx.viewer.role : ''}`) },
      mine: { type: GraphQLString, resolve: (_root, _args, ctx) => (counts.mine++, ctx.viewer.kind === 'account' ? ctx.viewer.accountId : null) },
      n: { type: GraphQLInt },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLInt } } }),
    subscription: new GraphQLObjectType<unknown, RequestContext>({
      name: 'Subscription',
      fields: {
        news: {
          type: Event,
          args: { after: { type: GraphQLString } },
          // One event (n = 1) for everyone; the root object is the one the audience shares.
          subscribe: (_root, _args, ctx) => {
            const viewer = ctx.viewer as AccountViewer;
            const root = markShared({ n: 1 }, { key: `news|1|${viewer.role}`, audience: audienceFactsOf(viewer) });
            let sent = false;
            const iterator: AsyncIterableIterator<unknown> = {
              next: async () => (sent ? { value: undefined, done: true } : ((sent = true), { value: root, done: false })),
              return: async () => ({ value: undefined, done: true }),
              [Symbol.asyncIterator]: () => iterator,
            };
            return iterator;
          },
          resolve: (root) => root,
        },
      },
    }),
  });
  const feed = {};
  const context = (accountId: string): RequestContext =>
    ({
      feed,
      config: {},
      rootEm: { fork: () => ({}) },
      viewer: { kind: 'account', accountId, role: Role.DESK, sectionId: null, organisationId: null },
      sessionToken: `token of ${accountId}`,
    }) as unknown as RequestContext;
  return { schema, counts, context };
}

async function firstResult(iterable: unknown): Promise<ExecutionResult> {
  const iterator = iterable as AsyncIterableIterator<ExecutionResult>;
  const { value } = await iterator.next();
  await iterator.return?.();
  return value;
}

async function deliver(query: string, people: string[], perPersonFields: ReadonlySet<string> = new Set(), variables: (person: string) => Record<string, unknown> = () => ({})) {
  const { schema, counts, context } = harness();
  const subscribe = sharedSubscribe(perPersonFields);
  const document = parse(query);
  const streams = await Promise.all(people.map((person) => subscribe({ schema, document, contextValue: context(person), variableValues: variables(person) })));
  const results = await Promise.all(streams.map(firstResult));
  return { counts, results };
}

describe('sharedSubscribe', () => {
  it('executes a shared event once for all subscribers of one audience and document, whatever cursor each resumed from', async () => {
    const { counts, results } = await deliver('subscription($after: String) { news(after: $after) { title } }', ['p1', 'p2', 'p3'], new Set(), (person) => ({ after: `cursor of ${person}` }));
    expect(counts.title).toBe(1);
    expect(results.map((result) => result.data)).toEqual(Array.from({ length: 3 }, () => ({ news: { title: '1 for DESK' } })));
  });

  it('safe by default: a field reading the person, though not named per person, is answered per person', async () => {
    const { results } = await deliver('subscription { news { title mine } }', ['p1', 'p2', 'p1']);
    expect(results.map((result) => result.data)).toEqual([{ news: { title: '1 for DESK', mine: 'p1' } }, { news: { title: '1 for DESK', mine: 'p2' } }, { news: { title: '1 for DESK', mine: 'p1' } }]);
  });

  it('a field named per person is executed per person straight away, once per person', async () => {
    const { counts, results } = await deliver('subscription { news { mine } }', ['p1', 'p2', 'p1', 'p2'], new Set(['Event.mine']));
    expect(results.map((result) => result.data?.news)).toEqual([{ mine: 'p1' }, { mine: 'p2' }, { mine: 'p1' }, { mine: 'p2' }]);
    expect(counts.mine).toBe(2);
  });

  it('different documents are executed apart', async () => {
    const { schema, counts, context } = harness();
    const subscribe = sharedSubscribe(new Set());
    const a = await subscribe({ schema, document: parse('subscription { news { title } }'), contextValue: context('p1') });
    const b = await subscribe({ schema, document: parse('subscription { news { t: title } }'), contextValue: context('p2') });
    expect([(await firstResult(a)).data, (await firstResult(b)).data]).toEqual([{ news: { title: '1 for DESK' } }, { news: { t: '1 for DESK' } }]);
    expect(counts.title).toBe(2);
  });
});

describe('documentShape', () => {
  it('keys by the variables the selection reads, not the stream’s own arguments', async () => {
    const { schema } = harness();
    const query = 'subscription($after: String, $x: Boolean!) { news(after: $after) { title @include(if: $x) } }';
    const shape = (after: string, x: boolean) => documentShape({ schema, document: parse(query), variableValues: { after, x } }, new Set()).text;
    expect(shape('a', true)).toBe(shape('b', true));
    expect(shape('a', true)).not.toBe(shape('a', false));
  });

  it('sees per-person fields through fragments', async () => {
    const { schema } = harness();
    const document = parse('subscription { news { ...F } } fragment F on Event { mine }');
    expect(documentShape({ schema, document }, new Set(['Event.mine'])).readsPerson).toBe(true);
    expect(documentShape({ schema, document: parse('subscription { news { title } }') }, new Set(['Event.mine'])).readsPerson).toBe(false);
  });

  it('every field named per person exists in the schema (a rename must not silently drop one)', async () => {
    const schema = await buildRenkeiSchema();
    for (const coordinate of PER_PERSON_FIELDS) {
      const [type, field] = coordinate.split('.') as [string, string];
      const found = schema.getType(type) as GraphQLObjectType | undefined;
      expect([coordinate, Boolean(found?.getFields()[field])]).toEqual([coordinate, true]);
    }
  });
});
