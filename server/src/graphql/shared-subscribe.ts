import {
  createSourceEventStream,
  execute,
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
  type ExecutionResult,
  type FieldNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { expectConfirmations, takeConfirmation, type Confirmation } from '../events/delivery-confirmation.js';
import type { EventPosition } from '../events/event-position.js';
import { fanOutOf } from '../events/fan-out.js';
import { LiveGroup } from '../events/live-group.js';
import { sharedRootOf } from '../events/shared-root.js';
import type { RequestContext } from './context.js';
import { deliverToGroup, groupableOf, type Delivery, type GroupableStream, type GroupedSubscription, type LiveSink } from './live-delivery.js';
import { releaseEntityManager } from './request-context.js';
import { PER_PERSON_FIELDS } from './per-person-fields.js';
import { executeForAudience, executeForPerson, PERSONAL, type Outcome } from './shared-execution.js';
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
  const values = (args.variableValues ?? {}) as Record<string, unknown>;
  return Object.fromEntries([...names].sort().map((name) => [name, values[name] ?? null]));
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
function shapeCache(perPersonFields: ReadonlySet<string>): (args: ExecutionArgs) => DocumentShape {
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

/**
 * graphql-ws's `subscribe`: opens the source stream as graphql does, then executes each event.
 * A root value marked shared (see shared-root.ts) is executed once per (event and audience,
 * document, variables) and that one result goes to every subscriber of the group. When the
 * document selects per-person fields, only those are executed per person (once for all of a
 * person's tabs) and merged with the audience's part; when an execution for the audience turns
 * out to read the person anyway, that subscriber's events are executed per person from then on.
 * Authorisation stays with the stream: it decided, per audience and against current data, what
 * the root value holds, and checked each subscriber's session before handing it over. Other
 * roots are executed per subscriber, as before.
 *
 * A subscriber of a stream that can be served as a group (live-delivery.ts), once it has caught
 * up, leaves graphql-ws's loop: its group handles each live event once for all its members and
 * writes the results to their sockets itself.
 */
export function sharedSubscribe(perPersonFields: ReadonlySet<string> = PER_PERSON_FIELDS) {
  const shapeFor = shapeCache(perPersonFields);
  return async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in Object(source))) return source as ExecutionResult;
    const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]() as AsyncIterableIterator<unknown>;
    return new SharedSubscription(args, iterator, shapeFor);
  };
}

/** How a grouped subscription's pending next() ends: done when it is closed, an error when its stream fails. */
interface Ending {
  resolve: (result: IteratorResult<ExecutionResult>) => void;
  reject: (error: unknown) => void;
}

/**
 * One subscriber's results. A class rather than closures: an idle subscriber keeps it for hours,
 * so it holds a few fields and its behaviour lives once on the prototype. return() reaches the
 * source even while a next() is waiting.
 */
class SharedSubscription implements AsyncIterableIterator<ExecutionResult>, GroupedSubscription {
  readonly context: RequestContext;
  private shape: DocumentShape | null = null;
  private personal = false;
  private klass: string | null = null;
  private closed = false;
  /** While served by a group: the position it has had events up to, and how its waiting next() ends. */
  last: EventPosition | null = null;
  private group: LiveGroup<SharedSubscription> | null = null;
  private ending: Ending | null = null;

  constructor(
    private readonly args: ExecutionArgs,
    private readonly source: AsyncIterableIterator<unknown>,
    private readonly shapeFor: (args: ExecutionArgs) => DocumentShape,
  ) {
    this.context = args.contextValue as RequestContext;
    // Its streams may hand over events before re-checking the session: next() waits for the check.
    expectConfirmations(this.context);
  }

  get stream(): GroupableStream {
    return groupableOf(this.source)!;
  }

  get sink(): LiveSink {
    return this.context.liveSink!;
  }

  /**
   * Which subscriptions share this one's execution of a shared root: those with the same document
   * and variables (for an audience), or those of the same person too (when executed per person).
   * Null for a viewer who is not signed in. Kept until the subscription is executed per person.
   */
  deliveryClass(): string | null {
    const { context } = this;
    if (context.viewer.kind !== 'account') return null;
    if (this.klass !== null) return this.klass;
    const shape = (this.shape ??= this.shapeFor(this.args));
    // A session's person never changes; its audience may, and the root it is given says which.
    this.klass = shape.readsPerson || this.personal ? `${context.viewer.accountId}\n${shape.key}` : `\n${shape.key}`;
    return this.klass;
  }

  /**
   * The delivery of a root: for an audience (shared by everyone of the audience with this
   * document), or for the person (shared by the person's tabs); a root that is not shared, or a
   * viewer who is not signed in, is executed for this subscriber alone.
   */
  deliveryOf(root: unknown): Delivery {
    const { args, context } = this;
    const shared = sharedRootOf(root);
    const klass = shared ? this.deliveryClass() : null;
    if (!shared || klass === null || context.viewer.kind !== 'account') return { key: null, run: async () => execute({ ...args, rootValue: root }) };
    const shape = this.shape!;
    const key = `${shared.key}\n${klass}`;
    if (!shape.readsPerson && !this.personal) return { key, run: () => executeForAudience(args, root, shared) };
    // The stream set context.viewer to this subscriber's viewer, read now; a person's tabs share.
    const accountId = context.viewer.accountId;
    return { key, run: () => executeForPerson(args, root, shared, shape, accountId) };
  }

  run(delivery: Delivery): Promise<Outcome> {
    if (delivery.key === null) return delivery.run();
    return fanOutOf(this.context).executions.run(delivery.key, delivery.run) as Promise<Outcome>;
  }

  becomePersonal(): void {
    this.personal = true;
    this.klass = null;
  }

  private async deliver(root: unknown): Promise<ExecutionResult> {
    const outcome = await this.run(this.deliveryOf(root));
    if (outcome !== PERSONAL) return outcome;
    // From now on this subscriber's events are executed per person straight away.
    this.becomePersonal();
    return (await this.run(this.deliveryOf(root))) as ExecutionResult;
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    for (;;) {
      if (this.closed) return { value: undefined, done: true };
      const grouped = await this.joinGroup();
      if (grouped) return grouped;
      const result = await this.source.next();
      if (result.done || this.closed) return { value: undefined, done: true };
      try {
        const confirmation = takeConfirmation(this.context);
        if (!confirmation) return { value: await this.deliver(result.value), done: false };
        const value = await this.deliverOnceConfirmed(result.value, confirmation);
        if (value) return { value, done: false };
      } finally {
        // Until the next event the subscriber holds no EntityManager (the stream reads each event with a fresh one).
        releaseEntityManager(this.context);
      }
    }
  }

  /**
   * Hands the subscriber to its group once its stream has nothing left of its own to hand over
   * (it is caught up): from then on the group delivers, and next() waits until the subscription
   * ends. Null when the stream cannot be served by a group, or still has events to deliver.
   */
  private async joinGroup(): Promise<IteratorResult<ExecutionResult> | null> {
    const stream = groupableOf(this.source);
    if (!stream || !this.context.liveSink || this.context.viewer.kind !== 'account') return null;
    await stream.ready();
    if (this.closed) return { value: undefined, done: true };
    const detached = stream.detach();
    if (!detached) return null;
    this.last = detached.last;
    const group = LiveGroup.of<SharedSubscription>(this.context.feed, stream.groupKey, stream.groupTopics, deliverToGroup);
    this.group = group;
    const ended = new Promise<IteratorResult<ExecutionResult>>((resolve, reject) => (this.ending = { resolve, reject }));
    group.join(this);
    return ended;
  }

  /** Leaves the group, if in one; how its waiting next() was to end. */
  private leaveGroup(): Ending | null {
    this.group?.leave(this);
    this.group = null;
    const ending = this.ending;
    this.ending = null;
    return ending;
  }

  fail(error: unknown): void {
    this.closed = true;
    const ending = this.leaveGroup();
    void Promise.resolve(this.source.return?.()).finally(() => ending?.reject(error));
  }

  /**
   * An event the stream handed over before checking the session: executed while the check runs,
   * sent only if the check confirms this very root. When it gives another root (the subscriber's
   * audience changed), that one is executed instead; null means nothing is for the subscriber.
   * When the check fails (the session ended), the stream is closed and the failure reported, as
   * if the stream had failed itself, and nothing executed for the event is sent.
   */
  private async deliverOnceConfirmed(root: unknown, confirmation: Confirmation): Promise<ExecutionResult | null> {
    const execution = this.deliver(root);
    execution.catch(() => undefined);
    let confirmed: unknown;
    try {
      confirmed = await confirmation;
    } catch (error) {
      await this.source.return?.();
      throw error;
    }
    if (confirmed === root) return execution;
    return confirmed === null ? null : this.deliver(confirmed);
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.closed = true;
    this.leaveGroup()?.resolve({ value: undefined, done: true });
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.closed = true;
    this.leaveGroup()?.resolve({ value: undefined, done: true });
    await this.source.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }
}
