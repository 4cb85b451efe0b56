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
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Walks a GraphQL schema to build one operation per root field with every field selected (to a
 * depth), so a leak test covers whatever the schema offers — including fields added after the
 * test was written — instead of a hand-picked list.
 */

/** Supplies argument values: an id for ID arguments, a search term for strings, … */
export interface ArgumentSupplier {
  /** Values to try for an ID argument (the walker makes one operation per value). */
  ids(argumentName: string, fieldName: string): string[];
  /** A string for a String argument (null: leave it out when optional). */
  string(argumentName: string, fieldName: string): string | null;
}

export interface WalkedOperation {
  /** e.g. `query proposal` */
  label: string;
  rootField: string;
  document: string;
  variables: Record<string, unknown>;
}

export interface WalkOptions {
  /** How deep selections go below the root field. */
  depth: number;
  /** Root fields to leave out (e.g. logout, which would end the session being tested). */
  skip?: ReadonlySet<string>;
}

/**
 * Page size for first/last/limit: enough for every row a test plants, and small enough that a
 * walk of every field stays inside the operation limits (graphql/operation-limits.ts), which
 * count a page of pages as their product.
 */
export const WALK_PAGE_SIZE = 20;

/** One instant for every date argument, so two walks build the same operations. */
const FUTURE = new Date(Date.now() + 86_400_000).toISOString();

export function walkRootFields(schema: GraphQLSchema, operation: 'query' | 'mutation' | 'subscription', supplier: ArgumentSupplier, options: WalkOptions): WalkedOperation[] {
  const root = operation === 'query' ? schema.getQueryType() : operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return [];
  const operations: WalkedOperation[] = [];
  for (const field of Object.values(root.getFields())) {
    if (options.skip?.has(field.name)) continue;
    for (const variables of argumentSets(field, supplier)) {
      const declared = field.args.filter((arg) => arg.name in variables);
      const header = declared.length ? `(${declared.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ')})` : '';
      const call = declared.length ? `(${declared.map((arg) => `${arg.name}: $${arg.name}`).join(', ')})` : '';
      const selection = selectionOf(getNamedType(field.type), supplier, options.depth, new Set());
      operations.push({
        label: `${operation} ${field.name}`,
        rootField: field.name,
        document: `${operation} Canary${header} { ${field.name}${call}${selection} }`,
        variables,
      });
    }
  }
  return operations;
}

/** One variable set per candidate id (all ID arguments take the same candidate), or one set. */
function argumentSets(field: GraphQLField<unknown, unknown>, supplier: ArgumentSupplier): Record<string, unknown>[] {
  const idArgs = field.args.filter((arg) => getNamedType(arg.type).name === 'ID');
  const candidates = idArgs.length ? [...new Set(idArgs.flatMap((arg) => supplier.ids(arg.name, field.name)))] : [null];
  const sets: Record<string, unknown>[] = [];
  for (const candidate of candidates) {
    const variables: Record<string, unknown> = {};
    let complete = true;
    for (const arg of field.args) {
      const value = argumentValue(arg, field.name, supplier, candidate);
      if (value === undefined) {
        if (isNonNullType(arg.type)) complete = false;
        continue;
      }
      variables[arg.name] = value;
    }
    if (complete) sets.push(variables);
  }
  return sets;
}

function argumentValue(arg: GraphQLArgument, fieldName: string, supplier: ArgumentSupplier, id: string | null): unknown {
  return inputValue(arg.type, arg.name, fieldName, supplier, id, 0);
}

function inputValue(type: GraphQLInputType, name: string, fieldName: string, supplier: ArgumentSupplier, id: string | null, level: number): unknown {
  const required = isNonNullType(type);
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const item = inputValue(inner.ofType as GraphQLInputType, name, fieldName, supplier, id, level);
    if (item === undefined) return required ? [] : undefined;
    // A list of enum values: all of them (e.g. every state in a filter), to reach every row.
    const named = getNamedType(inner);
    if (isEnumType(named)) return named.getValues().map((value) => value.value);
    return [item];
  }
  if (isScalarType(inner)) {
    switch (inner.name) {
      case 'ID':
        return id ?? (required ? '00000000-0000-4000-8000-000000000000' : undefined);
      case 'String': {
        const value = supplier.string(name, fieldName);
        return value ?? (required ? 'canary' : undefined);
      }
      case 'Int':
        return /first|last|limit/i.test(name) ? WALK_PAGE_SIZE : required ? 1 : undefined;
      case 'Float':
        return required ? 1 : undefined;
      case 'Boolean':
        return required ? true : undefined;
      case 'DateTimeISO':
      case 'DateTime':
      case 'Date':
        return required ? FUTURE : undefined;
      default:
        return required ? 'canary' : undefined;
    }
  }
  if (isEnumType(inner)) return required ? inner.getValues()[0]?.value : undefined;
  if (isInputObjectType(inner)) {
    if (level > 3) return required ? {} : undefined;
    const value: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      const fieldValue = inputValue(field.type, field.name, fieldName, supplier, id, level + 1);
      if (fieldValue !== undefined) value[field.name] = fieldValue;
    }
    return required || Object.keys(value).length ? value : undefined;
  }
  return undefined;
}

/** Every field of the type to `depth`; fields needing arguments get them inline (first candidate). */
function selectionOf(type: GraphQLNamedType, supplier: ArgumentSupplier, depth: number, path: Set<string>): string {
  if (isScalarType(type) || isEnumType(type)) return '';
  if (depth <= 0) return ' { __typename }';
  if (isUnionType(type) || isInterfaceType(type)) {
    const possible = isUnionType(type) ? type.getTypes() : [];
    const fragments = possible.map((member) => `... on ${member.name}${selectionOf(member, supplier, depth, path)}`);
    return ` { __typename ${fragments.join(' ')} }`;
  }
  if (!isObjectType(type)) return '';
  const parts = ['__typename'];
  for (const field of Object.values((type as GraphQLObjectType).getFields())) {
    const named = getNamedType(field.type);
    // A type already on the path is selected once more at most: enough to reach nested content.
    const key = `${type.name}.${field.name}`;
    if (path.has(key)) continue;
    const args = inlineArguments(field, supplier);
    if (args === null) continue;
    const next = new Set(path).add(key);
    parts.push(`${field.name}${args}${selectionOf(named, supplier, depth - 1, next)}`);
  }
  return ` { ${parts.join(' ')} }`;
}

function inlineArguments(field: GraphQLField<unknown, unknown>, supplier: ArgumentSupplier): string | null {
  const parts: string[] = [];
  for (const arg of field.args) {
    const id = getNamedType(arg.type).name === 'ID' ? (supplier.ids(arg.name, field.name)[0] ?? null) : null;
    const value = argumentValue(arg, field.name, supplier, id);
    if (value === undefined) {
      if (isNonNullType(arg.type)) return null;
      continue;
    }
    parts.push(`${arg.name}: ${literal(value, arg.type)}`);
  }
  return parts.length ? `(${parts.join(', ')})` : '';
}

function literal(value: unknown, type: GraphQLInputType): string {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, (isListType(inner) ? inner.ofType : inner) as GraphQLInputType)).join(', ')}]`;
  if (isEnumType(getNamedType(inner)) && typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const named = getNamedType(inner);
    const fields = isInputObjectType(named) ? named.getFields() : {};
    return `{ ${Object.entries(value).map(([key, item]) => `${key}: ${literal(item, (fields[key]?.type ?? inner) as GraphQLInputType)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}
