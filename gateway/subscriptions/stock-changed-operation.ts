import { randomUUID } from 'node:crypto';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getOperationAST,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import { ErrorCode } from '../../lib/errors.js';

/** The subscription field the gateway serves from the stock event bus. */
export const STOCK_CHANGED_FIELD = 'stockChanged';
/** The inventory query that resolves one event through the query plan. */
const STOCK_CHANGE_QUERY_FIELD = 'stockChange';
/** The variable the per-event query takes the event id in. */
export const EVENT_ID_VARIABLE = '__stockEventId';

/** StockChange fields the bus event carries itself: a selection of only these needs no subgraph. */
const EVENT_FIELDS = new Set(['eventId', 'sku', 'previousAvailable', 'available', 'delta', 'reason', 'occurredAt', '__typename']);

/** What one subscription document asks for, worked out once per document. */
export interface StockChangedOperation {
  /** Distinguishes documents in fan-out keys. */
  id: string;
  /** The subscription document, as validated. */
  document: DocumentNode;
  operation: OperationDefinitionNode;
  rootField: FieldNode;
  /** True when every selected field is on the event itself: resolved in-process, no subgraph call. */
  local: boolean;
  /** Variables the selection (not the root field's filters) reads: they split the fan-out. */
  selectionVariables: readonly string[];
  /**
   * The same selection as a query, `stockChange(eventId: $__stockEventId) { ... }`
   * under the subscription's response key: planned and run by the gateway like
   * any query, so product names and prices come from their subgraphs.
   */
  query: DocumentNode;
}

const analysed = new WeakMap<DocumentNode, Map<string, StockChangedOperation | GraphQLError>>();

/**
 * Reads a validated subscription document. Only `stockChanged` is served;
 * it must be selected directly (not through a fragment at the root).
 * Cached per document object (the document cache hands out one per text).
 */
export function analyseStockChanged(document: DocumentNode, operationName?: string | null): StockChangedOperation | GraphQLError {
  let byName = analysed.get(document);
  if (!byName) analysed.set(document, (byName = new Map()));
  const key = operationName ?? '';
  let result = byName.get(key);
  if (!result) byName.set(key, (result = analyse(document, operationName)));
  return result;
}

function analyse(document: DocumentNode, operationName?: string | null): StockChangedOperation | GraphQLError {
  const operation = getOperationAST(document, operationName);
  const selection = operation?.selectionSet.selections;
  const rootField = selection?.length === 1 && selection[0]?.kind === Kind.FIELD ? selection[0] : undefined;
  if (!operation || operation.operation !== 'subscription' || !rootField || rootField.name.value !== STOCK_CHANGED_FIELD || !rootField.selectionSet) {
    return new GraphQLError(`Subscribe to \`${STOCK_CHANGED_FIELD}\` selected directly at the root of the operation.`, {
      extensions: { code: ErrorCode.BAD_REQUEST },
    });
  }
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const usedFragments = fragmentsUsedBy(rootField.selectionSet, fragments);
  const variables = new Set<string>();
  for (const node of [rootField.selectionSet, ...usedFragments]) {
    visit(node, { Variable: (v) => void variables.add(v.name.value) });
  }
  const usedDefinitions = (operation.variableDefinitions ?? []).filter((d) => variables.has(d.variable.name.value));
  return {
    id: randomUUID(),
    document,
    operation,
    rootField,
    local: selectsEventFieldsOnly(rootField.selectionSet, fragments),
    selectionVariables: [...variables].sort(),
    query: toQuery(operation, rootField, usedDefinitions, usedFragments),
  };
}

function fragmentsUsedBy(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const walk = (set: SelectionSetNode) =>
    visit(set, {
      FragmentSpread: (spread) => {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (fragment && !used.has(name)) {
          used.set(name, fragment);
          walk(fragment.selectionSet);
        }
      },
    });
  walk(selectionSet);
  return [...used.values()];
}

/** True when the first level (and every fragment in it) names only event fields: those are all leaves. */
function selectsEventFieldsOnly(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): boolean {
  return selectionSet.selections.every((s) => {
    if (s.kind === Kind.FIELD) return EVENT_FIELDS.has(s.name.value);
    if (s.kind === Kind.INLINE_FRAGMENT) return selectsEventFieldsOnly(s.selectionSet, fragments);
    const fragment = fragments.get(s.name.value);
    return fragment !== undefined && selectsEventFieldsOnly(fragment.selectionSet, fragments);
  });
}

function toQuery(
  operation: OperationDefinitionNode,
  rootField: FieldNode,
  variableDefinitions: readonly VariableDefinitionNode[],
  fragments: readonly FragmentDefinitionNode[],
): DocumentNode {
  const eventIdDefinition: VariableDefinitionNode = {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_ID_VARIABLE } },
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
  };
  const field: FieldNode = {
    kind: Kind.FIELD,
    // The answer keeps the subscription's response key, so it can be sent as it is.
    alias: rootField.alias ?? { kind: Kind.NAME, value: STOCK_CHANGED_FIELD },
    name: { kind: Kind.NAME, value: STOCK_CHANGE_QUERY_FIELD },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'eventId' },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_ID_VARIABLE } },
      },
    ],
    directives: rootField.directives ?? [],
    selectionSet: rootField.selectionSet,
  };
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        ...(operation.name ? { name: operation.name } : {}),
        variableDefinitions: [...variableDefinitions, eventIdDefinition],
        directives: [],
        selectionSet: { kind: Kind.SELECTION_SET, selections: [field] },
      },
      ...fragments,
    ],
  };
}
