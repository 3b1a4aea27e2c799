import {
  getNamedType,
  getOperationAST,
  isCompositeType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { CacheHints } from './cache-hints.js';

/** How long an operation's response may be kept, and whether stock events invalidate it; `maxAgeMs` 0: never kept. */
export interface CachePolicy {
  maxAgeMs: number;
  stock: boolean;
}

export const UNCACHEABLE: CachePolicy = Object.freeze({ maxAgeMs: 0, stock: false });

export interface CachePolicies {
  /** The policy of one operation of a document, worked out once per (document, operation name). */
  of(document: DocumentNode, operationName: string | null | undefined): CachePolicy;
}

/**
 * Reads the hints (cache-hints.ts) against the API schema: a hint naming a
 * type or field the schema lacks stops the gateway at start, so a renamed
 * type cannot silently fall out of (or into) the cache.
 */
export function cachePolicies(schema: GraphQLSchema, hints: CacheHints): CachePolicies {
  for (const name of Object.keys(hints.types)) {
    if (!schema.getType(name)) throw new Error(`Cache hint for type ${name}, which the schema does not have`);
  }
  for (const coordinate of Object.keys(hints.fields)) {
    const [typeName = '', fieldName = ''] = coordinate.split('.');
    const type = schema.getType(typeName);
    if (!isObjectType(type) || !type.getFields()[fieldName]) throw new Error(`Cache hint for field ${coordinate}, which the schema does not have`);
  }
  const known = new WeakMap<DocumentNode, Map<string, CachePolicy>>();
  return {
    of(document, operationName) {
      let byName = known.get(document);
      if (!byName) known.set(document, (byName = new Map()));
      const name = operationName ?? '';
      let policy = byName.get(name);
      if (!policy) byName.set(name, (policy = policyOf(schema, hints, document, operationName)));
      return policy;
    },
  };
}

function policyOf(schema: GraphQLSchema, hints: CacheHints, document: DocumentNode, operationName: string | null | undefined): CachePolicy {
  const operation = getOperationAST(document, operationName);
  const root = schema.getQueryType();
  // Mutations change things and subscriptions stream: only queries are kept.
  if (!operation || operation.operation !== 'query' || !root) return UNCACHEABLE;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  let maxAgeMs = Infinity;
  let stock = false;
  const seen = new Set<string>();

  /** Folds the fields of one selection set into maxAgeMs/stock; `inherited` is the max age of the field that holds them (undefined at the root). */
  const walk = (selections: SelectionSetNode, parent: GraphQLCompositeType, inherited: number | undefined): void => {
    for (const selection of selections.selections) {
      if (maxAgeMs === 0) return;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (isCompositeType(type)) walk(selection.selectionSet, type, inherited);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        // A fragment spread twice under the same max age adds nothing the first did not.
        const visit = `${selection.name.value}@${inherited ?? 'root'}`;
        if (fragment && isCompositeType(type) && !seen.has(visit)) {
          seen.add(visit);
          walk(fragment.selectionSet, type, inherited);
        }
        continue;
      }
      const name = selection.name.value;
      if (name === '__typename') continue;
      // Interfaces and objects have fields; a union only __typename, handled above.
      const field = 'getFields' in parent ? parent.getFields()[name] : undefined;
      if (!field) {
        // __schema, __type: introspection is not cached.
        maxAgeMs = 0;
        return;
      }
      const type = getNamedType(field.type);
      const hint = hints.fields[`${parent.name}.${name}`] ?? hints.types[type.name];
      let fieldMaxAge: number;
      if (hint && 'maxAgeMs' in hint) {
        fieldMaxAge = hint.maxAgeMs;
        if (hint.stock) stock = true;
      } else if (hint || !isCompositeType(type)) {
        // Scalars, enums and `inherit` types take their parent's; at the root there is none to take.
        fieldMaxAge = inherited ?? 0;
      } else {
        fieldMaxAge = 0;
      }
      maxAgeMs = Math.min(maxAgeMs, fieldMaxAge);
      if (selection.selectionSet && isCompositeType(type)) walk(selection.selectionSet, type, fieldMaxAge);
    }
  };
  walk(operation.selectionSet, root, undefined);
  return maxAgeMs === 0 || maxAgeMs === Infinity ? UNCACHEABLE : { maxAgeMs, stock };
}
