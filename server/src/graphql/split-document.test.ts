import { describe, expect, it } from 'vitest';
import { buildSchema, parse, print } from 'graphql';
import { mergeData, splitDocument } from './split-document.js';

const schema = buildSchema(`
  type Query { ok: Int }
  type Subscription { events(after: String): Event }
  type Event { cursor: String thread: Thread message: Message }
  type Thread { id: ID title: String unreadCount: Int following: Boolean }
  type Message { id: ID body: String viewerCan: Abilities }
  type Abilities { edit: Boolean reply: Boolean }
`);
const PER_PERSON = new Set(['Thread.unreadCount', 'Thread.following', 'Message.viewerCan']);
const flat = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

describe('splitDocument', () => {
  it('puts the per-person fields, with the fields leading to them, in the person’s part and the rest in the audience’s', () => {
    const split = splitDocument(schema, parse('subscription($a: String) { events(after: $a) { cursor thread { id title unreadCount following } message { id body viewerCan { edit reply } } } }'), PER_PERSON);
    expect(flat(split.audience && print(split.audience))).toBe(flat('subscription ($a: String) { events(after: $a) { cursor thread { id title } message { id body } } }'));
    expect(flat(split.person && print(split.person))).toBe(flat('subscription ($a: String) { events(after: $a) { thread { unreadCount following } message { viewerCan { edit reply } } } }'));
  });

  it('follows fragments, and drops one left empty together with its spreads', () => {
    const split = splitDocument(schema, parse('subscription { events { ...E } } fragment E on Event { thread { ...T } } fragment T on Thread { unreadCount }'), PER_PERSON);
    expect(split.audience).toBeNull();
    expect(flat(split.person && print(split.person))).toBe(flat('subscription { events { ...E } } fragment E on Event { thread { ...T } } fragment T on Thread { unreadCount }'));
  });

  it('leaves the person’s part empty when nothing per person is selected', () => {
    expect(splitDocument(schema, parse('subscription { events { cursor thread { title } } }'), PER_PERSON).person).toBeNull();
  });
});

describe('mergeData', () => {
  it('joins the two trees', () => {
    expect(mergeData({ events: { cursor: 'c', thread: { id: 't', title: 'x' } } }, { events: { thread: { unreadCount: 2 } } })).toEqual({ events: { cursor: 'c', thread: { id: 't', title: 'x', unreadCount: 2 } } });
  });

  it('is null wherever either side is null (an error there bubbled up)', () => {
    expect(mergeData({ events: { thread: { id: 't' } } }, { events: { thread: null } })).toEqual({ events: { thread: null } });
    expect(mergeData({ events: { message: null } }, { events: { message: { viewerCan: { edit: true } } } })).toEqual({ events: { message: null } });
  });

  it('merges lists item by item and refuses lists that do not match', () => {
    expect(mergeData({ a: [{ id: 1 }, { id: 2 }] }, { a: [{ n: 1 }, { n: 2 }] })).toEqual({ a: [{ id: 1, n: 1 }, { id: 2, n: 2 }] });
    expect(mergeData({ a: [{ id: 1 }, { id: 2 }] }, { a: [{ n: 1 }] })).toBeUndefined();
  });
});
