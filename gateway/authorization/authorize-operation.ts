import {
  Kind,
  getNamedType,
  getOperationAST,
  isInterfaceType,
  isObjectType,
  visit,
  type DirectiveNode,
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
  /**
   * For a removed field: the `@skip` / `@include` directives of each place it
   * was selected (its own, and those of the fragments around it). It is
   * answered null only when one of them is included for the request's variables.
   */
  selectedWhere?: Array<readonly DirectiveNode[]>;
  /** The field's selection set became the placeholder alone: drop it from the answer. */
  placeholder?: boolean;
  /** Removals further down. */
  children?: RemovalTree;
}

export interface AuthorizedOperation {
  /** The operation with every field the caller may not read taken out (the very document given when nothing was). */
  document: DocumentNode;
  /** Unset when nothing was removed. */
  removed?: RemovalTree;
  /** The response key of the placeholder `__typename` where a selection set lost every field. */
  placeholderKey?: string;
  /** Every root field was removed: there is nothing to run. */
  empty: boolean;
}

/** Adds `node` at `key`, merging with what removals of other selections of that key left there. */
function mergeAt(tree: RemovalTree, key: string, node: RemovalNode): void {
  const existing = tree.get(key);
  if (!existing) {
    tree.set(key, node);
    return;
  }
  if (node.denied) {
    existing.denied = node.denied;
    existing.selectedWhere = [...(existing.selectedWhere ?? []), ...(node.selectedWhere ?? [])];
  }
  if (node.placeholder) existing.placeholder = true;
  if (node.children) {
    existing.children ??= new Map();
    for (const [childKey, child] of node.children) mergeAt(existing.children, childKey, child);
  }
}

const CONDITIONS = new Set(['skip', 'include']);
const conditionsOf = (directives: readonly DirectiveNode[] | undefined) => (directives ?? []).filter((d) => CONDITIONS.has(d.name.value));

/** A response key no selection of the document uses: where a placeholder `__typename` can go without meeting a client's own field. */
function unusedKey(document: DocumentNode): string {
  const used = new Set<string>();
  visit(document, { Field: (field) => void used.add(field.alias?.value ?? field.name.value) });
  let key = '_authzPlaceholder';
  for (let n = 1; used.has(key); n++) key = `_authzPlaceholder${n}`;
  return key;
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
  if (!operation || !rootType) return { document, empty: false };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  let placeholderKey: string | undefined;
  /** Stands in for a selection set whose every field was removed (an empty one is not GraphQL). */
  const placeholder = (): SelectionSetNode => {
    placeholderKey ??= unusedKey(document);
    const field: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: placeholderKey }, name: { kind: Kind.NAME, value: '__typename' } };
    return { kind: Kind.SELECTION_SET, selections: [field] };
  };

  /**
   * The selection set as the caller may run it: the same object when untouched,
   * null when nothing is left. `conditions` are the skip/include directives of
   * the fragments between this selection set's field and here.
   */
  const filter = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, tree: RemovalTree, conditions: readonly DirectiveNode[] = []): SelectionSetNode | null => {
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
          mergeAt(tree, key, { type: fieldDef.type, denied, selectedWhere: [[...conditions, ...conditionsOf(selection.directives)]] });
          changed = true;
          continue;
        }
        if (!selection.selectionSet) {
          kept.push(selection);
          continue;
        }
        const below: RemovalTree = new Map();
        const filtered = filter(selection.selectionSet, getNamedType(fieldDef.type) as GraphQLCompositeType, below);
        if (below.size > 0) mergeAt(tree, key, { type: fieldDef.type, children: below, ...(filtered ? {} : { placeholder: true }) });
        if (filtered === selection.selectionSet) {
          kept.push(selection);
        } else {
          changed = true;
          kept.push({ ...selection, selectionSet: filtered ?? placeholder() });
        }
        continue;
      }
      // Fragments add fields to the same object: their removals go in the same tree.
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment) continue;
      const condition = fragment.typeCondition && schema.getType(fragment.typeCondition.name.value);
      const filtered = filter(fragment.selectionSet, (condition as GraphQLCompositeType | undefined) ?? parentType, tree, [...conditions, ...conditionsOf(selection.directives)]);
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
  return {
    document: { kind: Kind.DOCUMENT, definitions: [filteredOperation, ...fragmentsReached(filteredOperation, fragments)] },
    removed,
    ...(placeholderKey ? { placeholderKey } : {}),
    empty: false,
  };
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
