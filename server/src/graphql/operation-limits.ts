import {
  GraphQLError,
  Kind,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  parse,
  specifiedRules,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  NoSchemaIntrospectionCustomRule,
} from 'graphql';
import { MAX_PAGE_SIZE } from './connection.js';

/**
 * How big one GraphQL document may be, on HTTP and websockets alike. Every document the client
 * sends stays well inside them (operation-limits.test.ts checks each one); a hostile document —
 * deep nesting, thousands of aliases, a page of pages of pages — is refused before it runs.
 */
export const OPERATION_LIMITS = {
  /** Lexical tokens; the parser stops counting there (graphql's `maxTokens`). */
  maxTokens: 3000,
  /** Nested field selections, fragments expanded. */
  maxDepth: 12,
  /** Aliased fields, fragments counted at each spread. */
  maxAliases: 30,
  /**
   * Estimated fields resolved: each field counts 1, times the rows its list or page may return.
   * The estimate is generous (every unpaged list counts 10 rows), so a full page of 100 proposals
   * with their meetings and participants — a fair use of the API — comes to about 80,000, while
   * a page of pages (100 proposals × their threads × 100 messages each) is millions.
   */
  maxCost: 200_000,
} as const;

/** Rows assumed for a list field without a page argument (a proposal's matches, a message's files). */
export const DEFAULT_LIST_SIZE = 10;
/** Arguments that bound a page; a variable there counts as its value, or the maximum page size when unknown. */
const PAGE_ARGUMENTS = ['first', 'last', 'limit'];

function clampPage(size: number): number {
  return Math.min(MAX_PAGE_SIZE, Math.max(1, size));
}

/** Parses with the token cap: a document of a million tokens is refused before it is built. */
export function parseLimited(source: string): DocumentNode {
  return parse(source, { maxTokens: OPERATION_LIMITS.maxTokens });
}

export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
}

/** What a selection adds up to, per fragment computed once (a chain of spreads stays linear). */
interface Measured extends OperationMeasure {}

class Measurer {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly memo = new Map<string, Measured>();
  private readonly inProgress = new Set<string>();
  cycle: string | null = null;

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly variables: Readonly<Record<string, unknown>> | null,
  ) {
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
  }

  selection(set: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined, inPage: boolean): Measured {
    const total: Measured = { depth: 0, aliases: 0, cost: 0 };
    if (!set) return total;
    for (const node of set.selections) {
      let part: Measured;
      if (node.kind === Kind.FIELD) part = this.field(node, parent, inPage);
      else if (node.kind === Kind.INLINE_FRAGMENT) {
        const type = node.typeCondition ? this.schema.getType(node.typeCondition.name.value) : parent;
        part = this.selection(node.selectionSet, type ?? undefined, inPage);
      } else part = this.fragment(node.name.value, inPage);
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += part.aliases;
      total.cost += part.cost;
    }
    return total;
  }

  private fragment(name: string, inPage: boolean): Measured {
    const key = `${name}:${inPage}`;
    const known = this.memo.get(key);
    if (known) return known;
    const definition = this.fragments.get(name);
    if (!definition || this.inProgress.has(name)) {
      if (definition) this.cycle ??= name;
      return { depth: 0, aliases: 0, cost: 0 };
    }
    this.inProgress.add(name);
    const measured = this.selection(definition.selectionSet, this.schema.getType(definition.typeCondition.name.value) ?? undefined, inPage);
    this.inProgress.delete(name);
    this.memo.set(key, measured);
    return measured;
  }

  private field(node: FieldNode, parent: GraphQLNamedType | undefined, inPage: boolean): Measured {
    const aliases = node.alias ? 1 : 0;
    // Introspection is off in production; in development its own deep type queries are allowed.
    if (node.name.value.startsWith('__')) return { depth: node.name.value === '__typename' ? 1 : 0, aliases, cost: node.name.value === '__typename' ? 0 : 1 };
    const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? (parent.getFields()[node.name.value] as GraphQLField<unknown, unknown> | undefined) : undefined;
    const pageSize = this.pageSize(node, definition);
    // The list directly inside a page (edges, nodes) holds that page's rows: not multiplied again.
    const multiplier = pageSize ?? (definition && returnsList(definition.type) && !inPage ? DEFAULT_LIST_SIZE : 1);
    const below = this.selection(node.selectionSet, definition ? getNamedType(definition.type) : undefined, pageSize !== null);
    return { depth: below.depth + 1, aliases: aliases + below.aliases, cost: 1 + multiplier * below.cost };
  }

  private pageSize(node: FieldNode, definition: GraphQLField<unknown, unknown> | undefined): number | null {
    for (const argument of node.arguments ?? []) {
      if (!PAGE_ARGUMENTS.includes(argument.name.value)) continue;
      // A page larger than the maximum is refused by the field itself (BAD_USER_INPUT on `first`),
      // the answer that names the mistake: counted here at the maximum.
      if (argument.value.kind === Kind.INT) return clampPage(Number(argument.value.value));
      const value = argument.value.kind === Kind.VARIABLE ? this.variables?.[argument.value.name.value] : undefined;
      return Number.isInteger(value) ? clampPage(value as number) : MAX_PAGE_SIZE;
    }
    // A paged field called without its page argument gets the page's default: count the maximum.
    if (definition?.args.some((arg) => PAGE_ARGUMENTS.includes(arg.name))) return MAX_PAGE_SIZE;
    return null;
  }
}

function returnsList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * Depth, aliases and estimated cost of each operation in the document, fragments expanded. The
 * cost depends on the variables (a page size passed as one); without them, the largest page.
 */
export function measureOperations(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | null = null,
): { operations: Map<string, OperationMeasure>; fragmentCycle: string | null } {
  const measurer = new Measurer(schema, document, variables);
  const operations = new Map<string, OperationMeasure>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = schema.getRootType(definition.operation) ?? undefined;
    operations.set(definition.name?.value ?? '(anonymous)', measurer.selection(definition.selectionSet, root, false));
  }
  return { operations, fragmentCycle: measurer.cycle };
}

function limitError(message: string): GraphQLError {
  // `http` is Apollo's: the status of the answer, taken out of the extensions sent.
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
}

/**
 * Depth and aliases as a validation rule: measured once per document, before anything executes.
 * The cost needs the variables, which validation does not see: costError, once they are known.
 */
export const OperationLimitsRule: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  Document(document) {
    const { operations, fragmentCycle } = measureOperations(context.getSchema(), document);
    if (fragmentCycle) return; // NoFragmentCyclesRule reports it; measuring stopped at the cycle.
    for (const [name, measure] of operations) {
      if (measure.depth > OPERATION_LIMITS.maxDepth) context.reportError(limitError(`Operation ${name} is nested ${measure.depth} levels deep; at most ${OPERATION_LIMITS.maxDepth} are allowed`));
      if (measure.aliases > OPERATION_LIMITS.maxAliases) context.reportError(limitError(`Operation ${name} has ${measure.aliases} aliases; at most ${OPERATION_LIMITS.maxAliases} are allowed`));
    }
  },
});

/** The estimated cost of the operation that will run, with its variables, past the limit: the error to answer. */
export function costError(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Readonly<Record<string, unknown>> | null | undefined): GraphQLError | null {
  const { operations } = measureOperations(schema, document, variables ?? {});
  for (const [name, measure] of operations) {
    if (operationName && name !== operationName) continue;
    if (measure.cost > OPERATION_LIMITS.maxCost) return limitError(`Operation ${name} would cost about ${measure.cost}; at most ${OPERATION_LIMITS.maxCost} is allowed`);
  }
  return null;
}

/** The rules beyond graphql's own: the limits, and no introspection in production. */
export function limitRules(production: boolean): ValidationRule[] {
  return production ? [OperationLimitsRule, NoSchemaIntrospectionCustomRule] : [OperationLimitsRule];
}

/** graphql's rules and ours, for a validate() that is not Apollo's (which adds ours to its own). */
export function allValidationRules(production: boolean): ValidationRule[] {
  return [...specifiedRules, ...limitRules(production)];
}

/** "Did you mean …?" names fields and types of the schema: not told to anyone in production. */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean .*\?$/, '');
}
