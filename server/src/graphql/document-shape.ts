import {
  getNamedType,
  getOperationAST,
  isAbstractType,
  Kind,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTVisitor,
  type ExecutionArgs,
  type FieldNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { PER_PERSON_FIELDS } from './per-person-fields.js';
import { splitDocument, type SplitDocument } from './split-document.js';

/** What makes two subscriptions' executions of one root value the same. */
export interface DocumentShape {
  /** The document, the operation and the variables its selection reads. */
  text: string;
  /** A short name for `text` (textKey), for the keys built at every event for every subscriber. */
  key: string;
  /** Whether it selects a field named in PER_PERSON_FIELDS. */
  readsPerson: boolean;
  /** When it does: the document in two, each part with its own text. */
  split: (SplitDocument & { audienceText: string; personText: string; audienceKey: string; personKey: string }) | null;
}

/**
 * The subscription field's own arguments (the proposal, `after`) only open the stream; its
 * selection never sees them (the shared streams' root resolvers return the event as it is). So a
 * client resuming from its own cursor still shares with everyone else.
 */
function variablesOfSelection(args: ExecutionArgs): Record<string, unknown> {
  const values = (args.variableValues ?? {}) as Record<string, unknown>;
  return Object.fromEntries(selectionVariableNames(args).map((name) => [name, values[name] ?? null]));
}

/**
 * The names, sorted, of the variables the operation's selection reads: a walk of the document,
 * made once per document and operation (every subscriber's first grouped event asks for it, and a
 * thousand walks took longer than the event's reads).
 */
const variableNames = new WeakMap<DocumentNode, Map<string, string[]>>();

function selectionVariableNames(args: ExecutionArgs): string[] {
  let byOperation = variableNames.get(args.document);
  if (!byOperation) variableNames.set(args.document, (byOperation = new Map()));
  let names = byOperation.get(args.operationName ?? '');
  if (!names) byOperation.set(args.operationName ?? '', (names = walkVariableNames(args)));
  return names;
}

function walkVariableNames(args: ExecutionArgs): string[] {
  const operation = getOperationAST(args.document, args.operationName)!;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of args.document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const rootFields = new Set<FieldNode>();
  const collectRoot = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) rootFields.add(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collectRoot(selection.selectionSet);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) collectRoot(fragment.selectionSet);
      }
    }
  };
  collectRoot(operation.selectionSet);
  const names = new Set<string>();
  const visitor: ASTVisitor = {
    Field(node) {
      if (!rootFields.has(node)) return undefined;
      for (const directive of node.directives ?? []) visit(directive, visitor);
      if (node.selectionSet) visit(node.selectionSet, visitor);
      return false;
    },
    Variable(node) {
      names.add(node.name.value);
    },
  };
  for (const directive of operation.directives ?? []) visit(directive, visitor);
  visit(operation.selectionSet, visitor);
  for (const fragment of fragments.values()) visit(fragment.selectionSet, visitor);
  return [...names].sort();
}

function selectsPerPersonField(schema: GraphQLSchema, args: ExecutionArgs, perPersonFields: ReadonlySet<string>): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    args.document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent) return;
        const named = getNamedType(parent);
        const types = isAbstractType(named) ? schema.getPossibleTypes(named) : [named];
        if (types.some((type) => perPersonFields.has(`${type.name}.${node.name.value}`))) found = true;
      },
    }),
  );
  return found;
}

export function documentShape(args: ExecutionArgs, perPersonFields: ReadonlySet<string> = PER_PERSON_FIELDS): DocumentShape {
  return shapeOf(args, JSON.stringify(variablesOfSelection(args)), perPersonFields);
}

function shapeOf(args: ExecutionArgs, variables: string, perPersonFields: ReadonlySet<string>): DocumentShape {
  const textOf = (document: DocumentNode | null): string => [document ? print(document) : '', args.operationName ?? '', variables].join('\n');
  const readsPerson = selectsPerPersonField(args.schema, args, perPersonFields);
  const operation = getOperationAST(args.document, args.operationName)!;
  // Only the executing operation, so that the parts hold nothing another operation would need.
  const document: DocumentNode = { ...args.document, definitions: args.document.definitions.filter((definition) => definition.kind !== Kind.OPERATION_DEFINITION || definition === operation) };
  const parts = readsPerson ? splitDocument(args.schema, document, perPersonFields) : null;
  const text = textOf(args.document);
  return {
    text,
    readsPerson,
    key: textKey(text),
    split: parts ? withKeys({ ...parts, audienceText: `audience part\n${textOf(parts.audience)}`, personText: `person part\n${textOf(parts.person)}` }) : null,
  };
}

/** Texts named so far (textKey); forgotten wholesale when full, which only costs some sharing. */
const textKeys = new Map<string, string>();
const TEXT_KEYS_KEPT = 1000;
let textKeysMade = 0;

/**
 * A short key for a document text: one text, one key, while it is remembered; never one key for
 * two texts (keys are not reused). The execution keys are built per subscriber at every event,
 * and a document's printed text runs to a kilobyte.
 */
function textKey(text: string): string {
  let key = textKeys.get(text);
  if (key === undefined) {
    if (textKeys.size >= TEXT_KEYS_KEPT) textKeys.clear();
    key = `d${(textKeysMade += 1)}`;
    textKeys.set(text, key);
  }
  return key;
}

function withKeys<T extends { audienceText: string; personText: string }>(parts: T): T & { audienceKey: string; personKey: string } {
  return { ...parts, audienceKey: textKey(parts.audienceText), personKey: textKey(parts.personText) };
}

/** Shapes kept per variables of one document, at most this many (a document's variables rarely vary in its selection). */
const SHAPES_PER_DOCUMENT = 64;

/**
 * documentShape, computed once per (document, operation, variables) and shared: the websocket
 * hands every subscriber of one text the same parsed document (graphql/document-cache.ts), so a
 * thousand subscribers of a dialogue keep one shape, not a thousand printed copies and splits.
 */
export function shapeCache(perPersonFields: ReadonlySet<string>): (args: ExecutionArgs) => DocumentShape {
  const byDocument = new WeakMap<DocumentNode, Map<string, DocumentShape>>();
  return (args) => {
    const variables = JSON.stringify(variablesOfSelection(args));
    const key = `${args.operationName ?? ''}\n${variables}`;
    let shapes = byDocument.get(args.document);
    const found = shapes?.get(key);
    if (found) return found;
    const shape = shapeOf(args, variables, perPersonFields);
    if (!shapes) byDocument.set(args.document, (shapes = new Map()));
    if (shapes.size < SHAPES_PER_DOCUMENT) shapes.set(key, shape);
    return shape;
  };
}
