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
  type SelectionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import { ErrorCode } from '../../lib/errors.js';
import type { StockEvent } from '../../lib/events/stock-event.js';

/** The subscription field the gateway serves from the stock event bus. */
export const STOCK_CHANGED_FIELD = 'stockChanged';
/** The inventory query that resolves one event through the query plan. */
const STOCK_CHANGE_QUERY_FIELD = 'stockChange';
/** The variable the per-event query takes the event id in. */
export const EVENT_ID_VARIABLE = '__stockEventId';

/** StockChange fields the bus event carries itself: a selection of only these needs no subgraph. */
const EVENT_FIELDS = new Set(['eventId', 'sku', 'previousAvailable', 'available', 'delta', 'reason', 'occurredAt', '__typename']);

/**
 * StockChange fields that reference an entity a root query field finds by a
 * key the event itself carries: fetched on their own, without the inventory
 * round trip of `stockChange(eventId)`.
 */
export const REFERENCE_FIELDS = {
  product: { queryField: 'product', argument: 'sku', keyOf: (event: StockEvent) => event.sku },
  location: { queryField: 'location', argument: 'id', keyOf: (event: StockEvent) => event.locationId },
} as const;
export type ReferenceFieldName = keyof typeof REFERENCE_FIELDS;
const isReferenceField = (name: string): name is ReferenceFieldName => Object.hasOwn(REFERENCE_FIELDS, name);

/** One reference field of a selection (merged over its occurrences), and what fetching it needs. */
export interface ReferenceSelection {
  responseKey: string;
  field: ReferenceFieldName;
  selectionSet: SelectionSetNode;
  /** Fragments the sub-selection spreads. */
  fragments: readonly FragmentDefinitionNode[];
  /** Definitions of the variables it reads. */
  variableDefinitions: readonly VariableDefinitionNode[];
}

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
  /**
   * Set when every field beyond the event's own is a reference field (product,
   * location): then only those are fetched (`product(sku:)`, `location(id:)`,
   * batched across events) and the rest comes from the event.
   */
  references?: readonly ReferenceSelection[];
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
  const variables = variablesUsedBy([rootField.selectionSet, ...usedFragments]);
  const usedDefinitions = (operation.variableDefinitions ?? []).filter((d) => variables.has(d.variable.name.value));
  const { local, references } = classify(rootField.selectionSet, fragments, operation.variableDefinitions ?? []);
  return {
    id: randomUUID(),
    document,
    operation,
    rootField,
    local,
    ...(references ? { references } : {}),
    selectionVariables: [...variables].sort(),
    query: toQuery(operation, rootField, usedDefinitions, usedFragments),
  };
}

/** The variables a selection (with the fragments it uses) reads. */
function variablesUsedBy(nodes: readonly (SelectionSetNode | FragmentDefinitionNode)[]): Set<string> {
  const variables = new Set<string>();
  for (const node of nodes) visit(node, { Variable: (v) => void variables.add(v.name.value) });
  return variables;
}

/**
 * How the selection at the event's level is resolved, in one walk: `local`
 * when it names only fields the event carries (directives anywhere are then
 * evaluated in-process); with `references` when the only others are reference
 * fields, by response key; neither sends it down the general path. A
 * directive on a reference field, or on a fragment that holds one, sends it
 * there too: it would have to be evaluated before knowing what to fetch.
 */
function classify(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variableDefinitions: readonly VariableDefinitionNode[],
): { local: boolean; references?: ReferenceSelection[] } {
  const fields = new Map<string, { field: ReferenceFieldName; selections: SelectionNode[] }>();
  const walk = (set: SelectionSetNode, underDirective: boolean): boolean =>
    set.selections.every((s) => {
      const directed = underDirective || (s.directives?.length ?? 0) > 0;
      if (s.kind === Kind.FIELD) {
        if (EVENT_FIELDS.has(s.name.value)) return true;
        const field = s.name.value;
        if (directed || !isReferenceField(field) || !s.selectionSet) return false;
        const key = s.alias?.value ?? field;
        const entry = fields.get(key);
        if (entry) entry.selections.push(...s.selectionSet.selections);
        else fields.set(key, { field, selections: [...s.selectionSet.selections] });
        return true;
      }
      if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet, directed);
      const fragment = fragments.get(s.name.value);
      return fragment !== undefined && walk(fragment.selectionSet, directed);
    });
  if (!walk(selectionSet, false)) return { local: false };
  if (fields.size === 0) return { local: true };
  const references = [...fields].map(([responseKey, { field, selections }]): ReferenceSelection => {
    const subSelection: SelectionSetNode = { kind: Kind.SELECTION_SET, selections };
    const used = fragmentsUsedBy(subSelection, fragments);
    const variables = variablesUsedBy([subSelection, ...used]);
    return {
      responseKey,
      field,
      selectionSet: subSelection,
      fragments: used,
      variableDefinitions: variableDefinitions.filter((d) => variables.has(d.variable.name.value)),
    };
  });
  return { local: false, references };
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
