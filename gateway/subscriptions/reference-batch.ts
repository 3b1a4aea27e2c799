import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import { GraphQLError, Kind, OperationTypeNode, type DocumentNode, type ExecutionResult, type FieldNode, type VariableDefinitionNode } from 'graphql';
import { REFERENCE_FIELDS, type ReferenceSelection } from './stock-changed-operation.js';

/** What one reference field (a product, a location) came back as for one key. */
export interface ReferencePart {
  /** Its data as the subscription selected it; null when there is none or it failed. */
  value: unknown;
  /** Errors from fetching it, paths relative to the reference field. */
  errors: readonly GraphQLError[];
}

/** Runs a query through the gateway's planner. */
export type RunQuery = (document: DocumentNode, variables: Record<string, unknown>) => Promise<ExecutionResult>;

/** Loads one key's part (a SKU's product, a location id's location). */
export interface ReferenceSource {
  load(key: string): Promise<ReferencePart>;
}

export interface ReferenceSourceOptions {
  /** How long a fetched part is reused for later events with the same key (0: fetched for each batch). */
  reuseMs: number;
  /** The clock reuse is measured on. @default performance.now */
  now?: () => number;
}

/** Most keys in one query: bounds the distinct documents (one per size) the planner caches. */
const MAX_BATCH = 64;
/** Most keys whose parts one selection keeps for reuse. */
const MAX_KEPT = 10_000;

const keyVariable = (i: number) => `__key${i}`;
const aliasOf = (i: number) => `_${i}`;
const ALIAS = /^_(\d+)$/;

/**
 * One reference field's parts for one selection's stock events: every event
 * dispatched in one turn (a page read from the bus) shares one query, e.g.
 * `_0: product(sku: $__key0) { … } _1: product(sku: $__key1) { … }`, one
 * aliased field per distinct key, planned once per batch size. A part is then
 * reused for `reuseMs`: a sale at a till changes the stock, not the product's
 * name or price, and at 200 events/s refetching them per event would be most
 * of the fan-out's cost. Past half that age, the next event that uses a part
 * also fetches it afresh in the background: a key with steady traffic never
 * makes an event wait for its fetch (a round trip to a subgraph), and no part
 * is ever older than `reuseMs`. Parts that came with errors are not reused,
 * so a failure is retried with the next event.
 */
export function referenceSource(selection: ReferenceSelection, operationName: string | undefined, run: RunQuery, options: ReferenceSourceOptions): ReferenceSource {
  const loader = batchLoader(selection, operationName, run);
  if (options.reuseMs <= 0) return loader;
  const now = options.now ?? (() => performance.now());
  const kept = new LRUCache<string, ReferencePart>({
    max: MAX_KEPT,
    ttl: options.reuseMs,
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  });
  // One fetch per key at a time: an event that misses while a refresh runs waits for that refresh.
  const inFlight = new Map<string, Promise<ReferencePart>>();
  const fetchAndKeep = (key: string): Promise<ReferencePart> => {
    let fetching = inFlight.get(key);
    if (!fetching) {
      const askedAt = now();
      fetching = loader
        .load(key)
        .then((part) => {
          // Kept for what is left of the window since it was asked for.
          const left = options.reuseMs - (now() - askedAt);
          if (part.errors.length === 0 && left > 0) kept.set(key, part, { ttl: left });
          return part;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, fetching);
    }
    return fetching;
  };
  return {
    load: async (key) => {
      const hit = kept.get(key);
      if (!hit) return fetchAndKeep(key);
      // Past half its window: fetched afresh behind this event. A failed refresh leaves this one until it expires.
      if (kept.getRemainingTTL(key) <= options.reuseMs / 2) fetchAndKeep(key).catch(() => undefined);
      return hit;
    },
  };
}

function batchLoader(selection: ReferenceSelection, operationName: string | undefined, run: RunQuery): DataLoader<string, ReferencePart> {
  const documents = new Map<number, DocumentNode>();
  const documentFor = (size: number) => {
    let document = documents.get(size);
    if (!document) documents.set(size, (document = batchQuery(selection, operationName, size)));
    return document;
  };
  return new DataLoader<string, ReferencePart>(
    async (keys) => {
      const unique = [...new Set(keys)];
      const variables = Object.fromEntries(unique.map((key, i) => [keyVariable(i), key]));
      const parts = splitResult(await run(documentFor(unique.length), variables), unique.length);
      const index = new Map(unique.map((key, i) => [key, i]));
      return keys.map((key) => parts[index.get(key) as number] as ReferencePart);
    },
    // Batching only: reuse is the caller's, with an expiry.
    { cache: false, maxBatchSize: MAX_BATCH },
  );
}

/** `query($__key0: ID!, …) { _0: product(sku: $__key0) { … } … }`, with the variables and fragments the selection uses. */
function batchQuery(selection: ReferenceSelection, operationName: string | undefined, size: number): DocumentNode {
  const { queryField, argument } = REFERENCE_FIELDS[selection.field];
  const keyDefinitions = Array.from({ length: size }, (_, i): VariableDefinitionNode => ({
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: keyVariable(i) } },
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
  }));
  const fields = Array.from(
    { length: size },
    (_, i): FieldNode => ({
      kind: Kind.FIELD,
      alias: { kind: Kind.NAME, value: aliasOf(i) },
      name: { kind: Kind.NAME, value: queryField },
      arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: argument }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: keyVariable(i) } } }],
      directives: [],
      selectionSet: selection.selectionSet,
    }),
  );
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        ...(operationName ? { name: { kind: Kind.NAME, value: operationName } } : {}),
        variableDefinitions: [...selection.variableDefinitions, ...keyDefinitions],
        directives: [],
        selectionSet: { kind: Kind.SELECTION_SET, selections: fields },
      },
      ...selection.fragments,
    ],
  };
}

/** Splits a batch's result per key; an error the planner could not place belongs to every key. */
function splitResult(result: ExecutionResult, size: number): ReferencePart[] {
  const placed = new Map<number, GraphQLError[]>();
  const unplaced: GraphQLError[] = [];
  for (const error of result.errors ?? []) {
    const [alias, ...rest] = error.path ?? [];
    const match = typeof alias === 'string' ? ALIAS.exec(alias) : null;
    if (!match) {
      unplaced.push(error);
      continue;
    }
    const i = Number(match[1]);
    const relative = new GraphQLError(error.message, { path: rest, extensions: error.extensions, originalError: error.originalError ?? undefined });
    const list = placed.get(i);
    if (list) list.push(relative);
    else placed.set(i, [relative]);
  }
  const data = (result.data ?? {}) as Record<string, unknown>;
  return Array.from({ length: size }, (_, i) => ({ value: data[aliasOf(i)] ?? null, errors: [...(placed.get(i) ?? []), ...unplaced] }));
}
