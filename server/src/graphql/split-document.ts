import {
  getNamedType,
  isAbstractType,
  Kind,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/** A subscription document in two: what its audience shares, and what each person needs alone. */
export interface SplitDocument {
  /** Without the per-person fields; null when nothing else is selected. */
  audience: DocumentNode | null;
  /** Only the per-person fields and the fields leading to them; null when there are none. */
  person: DocumentNode | null;
}

function isPerPerson(schema: GraphQLSchema, parent: GraphQLCompositeType | null | undefined, field: string, perPersonFields: ReadonlySet<string>): boolean {
  if (!parent) return false;
  const named = getNamedType(parent);
  const types = isAbstractType(named) ? schema.getPossibleTypes(named) : [named];
  return types.some((type) => perPersonFields.has(`${type.name}.${field}`));
}

/** Drops selection sets left empty, and fragments (with their spreads) left empty, until none is. */
function pruned(document: DocumentNode): DocumentNode | null {
  let current = document;
  for (;;) {
    const emptyFragments = new Set(
      current.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION && definition.selectionSet.selections.length === 0).map((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? definition.name.value : '')),
    );
    const next = visit(current, {
      FragmentDefinition: (node) => (emptyFragments.has(node.name.value) ? null : undefined),
      FragmentSpread: (node) => (emptyFragments.has(node.name.value) ? null : undefined),
      Field: { leave: (node) => (node.selectionSet && node.selectionSet.selections.length === 0 ? null : undefined) },
      InlineFragment: { leave: (node) => (node.selectionSet.selections.length === 0 ? null : undefined) },
    });
    if (print(next) === print(current)) {
      const operation = next.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
      return operation && operation.selectionSet.selections.length > 0 ? next : null;
    }
    current = next;
  }
}

/**
 * Splits a document by PER_PERSON_FIELDS, so the audience's part is executed once and only the
 * per-person fields per person. Expects one operation (the executing one) in the document.
 */
export function splitDocument(schema: GraphQLSchema, document: DocumentNode, perPersonFields: ReadonlySet<string>): SplitDocument {
  const audienceInfo = new TypeInfo(schema);
  const withoutPerson = visit(
    document,
    visitWithTypeInfo(audienceInfo, {
      Field: (node) => (isPerPerson(schema, audienceInfo.getParentType(), node.name.value, perPersonFields) ? null : undefined),
    }),
  );
  const personInfo = new TypeInfo(schema);
  const onlyPerson = visit(
    document,
    visitWithTypeInfo(personInfo, {
      Field(node) {
        // A per-person field is kept whole; other leaves go; other objects stay if something below stays.
        if (isPerPerson(schema, personInfo.getParentType(), node.name.value, perPersonFields)) return false;
        return node.selectionSet ? undefined : null;
      },
    }),
  );
  return { audience: pruned(withoutPerson), person: pruned(onlyPerson) };
}

/**
 * The audience's data and a person's data, one tree: null wherever either is null, lists
 * element by element. Undefined when the two do not fit together (a list changed length between
 * the two executions): the caller then executes the whole document for the person.
 */
export function mergeData(audience: unknown, person: unknown): unknown {
  if (audience === undefined) return person;
  if (person === undefined) return audience;
  if (audience === null || person === null) return null;
  if (Array.isArray(audience) || Array.isArray(person)) {
    if (!Array.isArray(audience) || !Array.isArray(person) || audience.length !== person.length) return undefined;
    const merged: unknown[] = [];
    for (let i = 0; i < audience.length; i += 1) {
      const item = mergeData(audience[i], person[i]);
      if (item === undefined) return undefined;
      merged.push(item);
    }
    return merged;
  }
  if (typeof audience !== 'object' || typeof person !== 'object') return audience === person ? audience : undefined;
  const merged: Record<string, unknown> = { ...(audience as Record<string, unknown>) };
  for (const [key, value] of Object.entries(person as Record<string, unknown>)) {
    const item = mergeData(merged[key], value);
    if (item === undefined) return undefined;
    merged[key] = item;
  }
  return merged;
}
