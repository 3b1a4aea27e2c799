import { GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { checkOperationLimits, operationLimitRules, type OperationLimits } from './operation-limits.js';

export interface DocumentCache {
  /** The parsed document, the same object for the same text (so later caches can key on it), or the syntax error. */
  parse(query: string): DocumentNode | GraphQLError;
  /** Validation errors against the schema; a document that passed once is not validated again. */
  validate(document: DocumentNode): readonly GraphQLError[];
}

/**
 * Parse and validate once per distinct document, for HTTP and WebSocket alike:
 * clients send the same few operations over and over.
 */
interface DocumentCacheOptions {
  /** Parsed documents kept, by query text (and at most 32 Mi characters of it). @default 1000 */
  size?: number;
  /** Depth, aliases and root fields checked after validation. @default none */
  limits?: OperationLimits;
  /**
   * Allow `__schema` and `__type` (`__typename` is always allowed). Off, they
   * fail validation: a production API need not hand out its whole schema.
   * @default true
   */
  introspection?: boolean;
}

export function createDocumentCache(schema: GraphQLSchema, options: DocumentCacheOptions = {}): DocumentCache {
  // Bounded in text too: a parsed document holds its source and every token, so a thousand 1 MiB documents would not fit.
  const parsed = new LRUCache<string, DocumentNode>({ max: options.size ?? 1000, maxSize: 32 * 1024 * 1024, sizeCalculation: (_, query) => Math.max(1, query.length) });
  const rules = options.introspection === false ? [...specifiedRules, NoSchemaIntrospectionCustomRule] : specifiedRules;
  const limitRules = options.limits ? operationLimitRules(options.limits) : [];
  const validated = new WeakSet<DocumentNode>();
  return {
    parse(query) {
      const hit = parsed.get(query);
      if (hit) return hit;
      try {
        // A token cap keeps a huge document from costing a parse; depth, aliases and cost are checked after.
        const document = parse(query, { maxTokens: 20_000 });
        parsed.set(query, document);
        return document;
      } catch (err) {
        if (err instanceof GraphQLError) return err;
        throw err;
      }
    },
    validate(document) {
      if (validated.has(document)) return [];
      const invalid = validate(schema, document, rules);
      // Depth, aliases and root fields: only a valid document is measured.
      const errors = invalid.length > 0 || limitRules.length === 0 ? invalid : checkOperationLimits(schema, document, limitRules);
      if (errors.length === 0) validated.add(document);
      return errors;
    },
  };
}
