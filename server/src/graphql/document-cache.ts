import { parse, specifiedRules, validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type Source, type ValidationRule } from 'graphql';

/**
 * Parsed and validated documents shared by every websocket operation that sends the same text.
 *
 * graphql-ws parses and validates each subscribe message on its own, and a subscription keeps its
 * document (with its source locations, about 35 KB for the client's threadEvents document) for as
 * long as it lives: a thousand idle subscribers of one dialogue held a thousand identical copies.
 * Documents are immutable to graphql-js, so one parse per text serves them all; a document that
 * validated once against the (immutable) schema validates again. Only successful results are
 * kept: a failing text is parsed or validated again each time, with the stock errors.
 */
export interface DocumentCache {
  /** graphql-ws's `parse`: the document of this text, parsed once while it is in the cache. */
  parse(source: string | Source): DocumentNode;
  /** graphql-ws's `validate`: no errors at once for a document that validated against this schema. */
  validate(schema: GraphQLSchema, document: DocumentNode): ReadonlyArray<GraphQLError>;
  /** The cached copy of this text when there is one (so that a subscription does not keep its own). */
  intern(text: string): string;
  /** Texts held now. */
  readonly size: number;
}

export interface DocumentCacheOptions {
  /** Texts kept, least recently used dropped first. */
  maxEntries?: number;
  /** Longer texts are parsed every time rather than kept. */
  maxLength?: number;
  /** The parser gives up past this many tokens (graphql's `maxTokens`). */
  maxTokens?: number;
  /** Validation rules; graphql's own by default. */
  rules?: readonly ValidationRule[];
}

export function documentCache({ maxEntries = 500, maxLength = 32 * 1024, maxTokens, rules = specifiedRules }: DocumentCacheOptions = {}): DocumentCache {
  // A Map iterates in insertion order: re-inserting on use makes its first key the least recently used.
  const documents = new Map<string, DocumentNode>();
  const texts = new Map<string, string>();
  const valid = new WeakMap<GraphQLSchema, WeakSet<DocumentNode>>();

  function touch(text: string, document: DocumentNode): void {
    documents.delete(text);
    documents.set(text, document);
  }

  return {
    parse(source) {
      if (typeof source !== 'string' || source.length > maxLength) return parse(source, { maxTokens });
      const found = documents.get(source);
      if (found) {
        touch(source, found);
        return found;
      }
      const document = parse(source, { maxTokens });
      documents.set(source, document);
      texts.set(source, source);
      if (documents.size > maxEntries) {
        const oldest = documents.keys().next().value!;
        documents.delete(oldest);
        texts.delete(oldest);
      }
      return document;
    },
    validate(schema, document) {
      let ok = valid.get(schema);
      if (ok?.has(document)) return [];
      const errors = validate(schema, document, rules);
      if (errors.length === 0) {
        if (!ok) valid.set(schema, (ok = new WeakSet()));
        ok.add(document);
      }
      return errors;
    },
    intern(text) {
      return texts.get(text) ?? text;
    },
    get size() {
      return documents.size;
    },
  };
}
