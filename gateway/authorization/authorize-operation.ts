import {
  Kind,
  getNamedType,
  getOperationAST,
  isInterfaceType,
  isObjectType,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Principal } from '../../lib/auth/claims.js';
import type { AccessPolicy, Denial } from './access-policy.js';

/** Where the operation lost fields, by response key: what `nullRemovedFields` writes nulls and errors for. */
export type RemovalTree = Map<string, RemovalNode>;

export interface RemovalNode {
  /** The field's type: whether a null here propagates to the parent. */
  type: GraphQLOutputType;
  /** Set when the field itself was removed. */
  denied?: Denial;
  /** Removals further down. */
  children?: RemovalTree;
}

export interface AuthorizedOperation {
  /** The operation with every field the caller may not read taken out (the very document given when nothing was). */
  document: DocumentNode;
  /** Unset when nothing was removed. */
  removed?: RemovalTree;
  /** Every root field was removed: there is nothing to run. */
  empty: boolean;
}

/**
 * Stands in for a selection set whose every field was removed (an empty one
 * is not GraphQL): `__typename` under a key no client selects, dropped again
 * from the result.
 */
export const PLACEHOLDER_KEY = '_authzPlaceholder';
const PLACEHOLDER: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: PLACEHOLDER_KEY },
  name: { kind: Kind.NAME, value: '__typename' },
};

function nodeAt(tree: RemovalTree, key: string, type: GraphQLOutputType): RemovalNode {
  let node = tree.get(key);
  if (!node) tree.set(key, (node = { type }));
  return node;
}

/**
 * Takes out of an operation every field the caller may not read, as Apollo
 * Router does: the rest is planned and run as usual, and the removed fields
 * come back null with an error at their path. A mutation field the caller may
 * not run is therefore never sent to its subgraph.
 */
export function authorizeOperation(
  schema: GraphQLSchema,
  policy: AccessPolicy,
  document: DocumentNode,
  operationName: string | null | undefined,
  principal: Principal,
): AuthorizedOperation {
  const operation = getOperationAST(document, operationName);
  const rootType = operation && schema.getRootType(operation.operation);
  if (!operation || !rootType || policy.empty) return { document, empty: false };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  /** The selection set as the caller may run it: the same object when untouched, null when nothing is left. */
  const filter = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, tree: RemovalTree): SelectionSetNode | null => {
    const kept: SelectionNode[] = [];
    let changed = false;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const key = selection.alias?.value ?? name;
        const fieldDef = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[name] : undefined;
        if (!fieldDef) {
          kept.push(selection); // __typename and other meta fields
          continue;
        }
        const denied = policy.denial(parentType.name, name, principal);
        if (denied) {
          nodeAt(tree, key, fieldDef.type).denied = denied;
          changed = true;
          continue;
        }
        if (!selection.selectionSet) {
          kept.push(selection);
          continue;
        }
        const below: RemovalTree = new Map();
        const filtered = filter(selection.selectionSet, getNamedType(fieldDef.type) as GraphQLCompositeType, below);
        if (below.size > 0) {
          const node = nodeAt(tree, key, fieldDef.type);
          node.children = new Map([...(node.children ?? []), ...below]);
        }
        if (filtered === selection.selectionSet) {
          kept.push(selection);
        } else {
          changed = true;
          kept.push({ ...selection, selectionSet: filtered ?? { kind: Kind.SELECTION_SET, selections: [PLACEHOLDER] } });
        }
        continue;
      }
      // Fragments add fields to the same object: their removals go in the same tree.
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment) continue;
      const condition = fragment.typeCondition && schema.getType(fragment.typeCondition.name.value);
      const filtered = filter(fragment.selectionSet, (condition as GraphQLCompositeType | undefined) ?? parentType, tree);
      if (filtered === fragment.selectionSet) {
        kept.push(selection);
        continue;
      }
      changed = true;
      if (!filtered) continue;
      // A named fragment is shared with other places: this spread becomes an inline copy of its filtered fields.
      kept.push({ kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, directives: selection.directives, selectionSet: filtered });
    }
    if (!changed) return selectionSet;
    return kept.length > 0 ? { ...selectionSet, selections: kept } : null;
  };

  const removed: RemovalTree = new Map();
  const selectionSet = filter(operation.selectionSet, rootType, removed);
  if (removed.size === 0) return { document, empty: false };
  if (!selectionSet) return { document, removed, empty: true };
  const filteredOperation: OperationDefinitionNode = { ...operation, selectionSet };
  return { document: { kind: Kind.DOCUMENT, definitions: [filteredOperation, ...fragmentsReached(filteredOperation, fragments)] }, removed, empty: false };
}

/**
 * The fragments an operation still spreads, directly or through other
 * fragments: one left unused would make the document invalid.
 */
function fragmentsReached(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: Array<OperationDefinitionNode | FragmentDefinitionNode> = [operation];
  while (pending.length > 0) {
    visit(pending.pop() as OperationDefinitionNode, {
      FragmentSpread: (spread) => {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (!used.has(name) && fragment) {
          used.set(name, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...used.values()];
}
