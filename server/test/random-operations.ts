import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Schema-aware random GraphQL operations for the hostile-input suite: seeded (mulberry32), so a
 * failing case is reproduced by its seed and index. Documents are built from the real schema's
 * root fields and types, mostly well-formed with hostile values (huge and negative numbers, long,
 * odd and mistyped strings, nulls, unknown enum values, invented ids), sometimes with unknown
 * fields, aliases, fragments, or text damaged after printing.
 */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomOperation {
  kind: 'query' | 'mutation' | 'subscription';
  rootField: string;
  document: string;
  variables: Record<string, unknown>;
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (random: Random, p: number) => random() < p;

const ODD_STRINGS = [
  '',
  ' ',
  '板橋区の提案',
  '🎉'.repeat(50),
  "'; drop table proposal; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00%ff',
  '\u202e\u200b\ufeff',
  '\ud800', // a lone surrogate
  'a'.repeat(20_000),
  '00000000-0000-4000-8000-000000000000',
  'not-a-uuid',
  '2026-02-30T25:61:00Z',
  '-1',
  '1e308',
  '{"__proto__":{"admin":true}}',
];
const ODD_NUMBERS = [0, -1, 1, 2, 99, 100, 101, 2 ** 31 - 1, -(2 ** 31), 1e6];

function randomScalar(random: Random, name: string): unknown {
  // A value of some other type now and then: coercion must refuse it with a code.
  if (chance(random, 0.08)) return pick(random, [true, 3.5, 'text', [], {}, null]);
  switch (name) {
    case 'Int':
      return pick(random, ODD_NUMBERS);
    case 'Float':
      return pick(random, [0, -1.5, 1e308, 3.14]);
    case 'Boolean':
      return chance(random, 0.5);
    case 'ID':
      return chance(random, 0.6) ? crypto.randomUUID() : pick(random, ODD_STRINGS);
    case 'DateTimeISO':
    case 'DateTime':
    case 'Date':
      return pick(random, [new Date(Date.now() + random() * 1e10).toISOString(), '2026-13-01', '', 'yesterday']);
    default:
      return pick(random, ODD_STRINGS);
  }
}

function randomInput(random: Random, type: GraphQLInputType, level: number): unknown {
  if (!isNonNullType(type) && chance(random, 0.15)) return null;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const length = pick(random, [0, 1, 2, 3, 40]);
    return Array.from({ length }, () => randomInput(random, inner.ofType as GraphQLInputType, level + 1));
  }
  if (isScalarType(inner)) return randomScalar(random, inner.name);
  if (isEnumType(inner)) return chance(random, 0.9) ? pick(random, inner.getValues()).value : 'NOT_A_VALUE';
  if (isInputObjectType(inner)) {
    if (level > 4) return {};
    const value: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      if (isNonNullType(field.type) || chance(random, 0.5)) value[field.name] = randomInput(random, field.type, level + 1);
    }
    if (chance(random, 0.05)) value.unknownField = 'x';
    return value;
  }
  return null;
}

function selection(random: Random, type: GraphQLNamedType, depth: number, variables: Record<string, unknown>, declared: string[], counter: { n: number }): string {
  if (isScalarType(type) || isEnumType(type)) return '';
  if (depth <= 0) return ' { __typename }';
  if (isUnionType(type) || isInterfaceType(type)) {
    const members = isUnionType(type) ? type.getTypes() : [];
    return ` { __typename ${members.map((member) => `... on ${member.name}${selection(random, member, depth, variables, declared, counter)}`).join(' ')} }`;
  }
  if (!isObjectType(type)) return '';
  const fields = Object.values(type.getFields());
  const chosen = fields.filter(() => chance(random, 0.35));
  if (chosen.length === 0) chosen.push(pick(random, fields));
  const parts = ['__typename'];
  for (const field of chosen) {
    const args = callArguments(random, field, variables, declared, counter);
    const alias = chance(random, 0.05) ? `a${counter.n++}: ` : '';
    parts.push(`${alias}${field.name}${args}${selection(random, getNamedType(field.type), depth - 1, variables, declared, counter)}`);
  }
  if (chance(random, 0.03)) parts.push('noSuchField');
  return ` { ${parts.join(' ')} }`;
}

/** Arguments as variables (declared on the operation), each required one given, optional ones sometimes. */
function callArguments(random: Random, field: GraphQLField<unknown, unknown>, variables: Record<string, unknown>, declared: string[], counter: { n: number }): string {
  const parts: string[] = [];
  for (const arg of field.args) {
    if (!isNonNullType(arg.type) && chance(random, 0.5)) continue;
    const name = `v${counter.n++}`;
    declared.push(`$${name}: ${String(arg.type)}`);
    // Leave a required variable out now and then: refused before anything runs.
    if (!chance(random, 0.03)) variables[name] = randomInput(random, arg.type, 0);
    parts.push(`${arg.name}: $${name}`);
  }
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** Printed text damaged: cut, a character swapped in, a brace dropped. */
function damage(random: Random, text: string): string {
  const at = Math.floor(random() * text.length);
  switch (Math.floor(random() * 4)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return `${text.slice(0, at)}${pick(random, ['{', '}', '"', '$', '@', '\u0000', '\\u', '#', '...'])}${text.slice(at)}`;
    case 2:
      return text.replace('}', '');
    default:
      return `${text} ${text}`;
  }
}

export interface GenerateOptions {
  kinds: ReadonlyArray<'query' | 'mutation' | 'subscription'>;
  /** Root fields never generated (e.g. logout, which would end the session under test). */
  skip: ReadonlySet<string>;
}

export function randomOperation(schema: GraphQLSchema, random: Random, options: GenerateOptions): RandomOperation {
  const kind = pick(random, options.kinds);
  const root = kind === 'query' ? schema.getQueryType()! : kind === 'mutation' ? schema.getMutationType()! : schema.getSubscriptionType()!;
  const field = pick(random, Object.values(root.getFields()).filter((candidate) => !options.skip.has(candidate.name)));
  const variables: Record<string, unknown> = {};
  const declared: string[] = [];
  const counter = { n: 0 };
  const args = callArguments(random, field, variables, declared, counter);
  const body = `${field.name}${args}${selection(random, getNamedType(field.type), 1 + Math.floor(random() * 4), variables, declared, counter)}`;
  let document = `${kind} Fuzz${declared.length ? `(${declared.join(', ')})` : ''} { ${body} }`;
  if (chance(random, 0.06)) document = damage(random, document);
  return { kind, rootField: field.name, document, variables };
}
