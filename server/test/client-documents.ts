import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { repoRoot } from '../src/config/env.js';

/** One operation the client sends, as Apollo Client sends it: the operation and the fragments it uses. */
export interface ClientDocument {
  name: string;
  operation: 'query' | 'mutation' | 'subscription';
  text: string;
}

/** Apollo Client adds __typename to every selection set before sending. */
function withTypename(document: DocumentNode): DocumentNode {
  return visit(document, {
    SelectionSet(node, _key, parent) {
      if (parent && (parent as DefinitionNode).kind === Kind.OPERATION_DEFINITION) return undefined;
      if (node.selections.some((selection) => selection.kind === Kind.FIELD && selection.name.value === '__typename')) return undefined;
      return { ...node, selections: [...node.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }] };
    },
  });
}

/** Every operation in client/src/graphql/*.graphql (the client has no other documents). */
export function clientDocuments(): ClientDocument[] {
  const folder = path.join(repoRoot, 'client', 'src', 'graphql');
  const definitions = fs
    .readdirSync(folder)
    .filter((file) => file.endsWith('.graphql'))
    .flatMap((file) => parse(fs.readFileSync(path.join(folder, file), 'utf8')).definitions);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  const used = (node: DefinitionNode, found: Set<string>): Set<string> => {
    visit(node, {
      FragmentSpread(spread) {
        if (found.has(spread.name.value)) return;
        found.add(spread.name.value);
        used(fragments.get(spread.name.value)!, found);
      },
    });
    return found;
  };

  return definitions
    .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => {
      const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...[...used(operation, new Set())].map((name) => fragments.get(name)!)] };
      return { name: operation.name?.value ?? '(anonymous)', operation: operation.operation, text: print(withTypename(document)) };
    });
}
