import { randomUUID } from 'node:crypto';
import { GraphQLError, execute, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { maskResult } from '../../lib/errors.js';
import type { StockEvent } from '../../lib/events/stock-event.js';
import type { Logger } from '../../lib/logger.js';
import type { Principal } from '../../lib/auth/claims.js';
import type { AuthorizedOperation } from '../authorization/authorize-operation.js';
import { principalKey } from '../authorization/authorizer.js';
import { nullRemovedFields } from '../authorization/null-removed-fields.js';
import type { GatewayContext } from '../gateway-context.js';
import { referenceSource, type ReferencePart } from './reference-batch.js';
import { EVENT_ID_VARIABLE, REFERENCE_FIELDS, STOCK_CHANGED_FIELD, type StockChangedOperation } from './stock-changed-operation.js';

/** One distinct selection (document, the variables it reads, the caller's scopes): each event is resolved once for all who share it. */
export interface SelectionPlan {
  readonly key: string;
  /** Never rejects: failures come back as masked errors in the result. */
  resolve(event: StockEvent): Promise<ExecutionResult>;
}

export interface SelectionPlanDeps {
  /** The public API schema. */
  schema: GraphQLSchema;
  /** Runs a query over the subgraphs (the gateway's query planner). */
  executeQuery: (args: ExecutionArgs) => Promise<ExecutionResult>;
  /** How long a product (or location) fetched for one event is reused for the next events of its SKU (location) (0: fetched per batch). @default 0 */
  referenceReuseMs?: number;
  /** Fields of the selection the caller may not read (already taken out of `operation`): null with FORBIDDEN in each result. */
  authorized?: Pick<AuthorizedOperation, 'removed' | 'placeholderKey'>;
  /** The clock that reuse is measured on (tests move it). */
  now?: () => number;
  logger: Logger;
}

/** The fan-out key: subscribers with equal keys get the very same result object for an event. */
export function selectionKey(operation: StockChangedOperation, variables: Readonly<Record<string, unknown>>, principal: Principal): string {
  const values = operation.selectionVariables.map((name) => variables[name] ?? null);
  return `${operation.id}|${JSON.stringify(values)}|${principalKey(principal)}`;
}

/** A stock event with its reference fields (product, location) fetched: what the reference path executes the selection over. */
class EventWithReferences {
  constructor(
    readonly event: StockEvent,
    /** By the subscription's response key. */
    readonly parts: ReadonlyMap<string, ReferencePart>,
  ) {}
}

/**
 * Reads the event's own fields from the event, reference fields from the
 * fetched parts by response key, and everything under them by response key
 * too (the fetched data is keyed by the subscription's own aliases).
 */
const referencePathResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
  if (source instanceof EventWithReferences) {
    if (!Object.hasOwn(REFERENCE_FIELDS, info.fieldName)) return (source.event as unknown as Record<string, unknown>)[info.fieldName];
    const part = source.parts.get(info.path.key as string);
    const cause = part?.errors[0];
    // The fetch's own error, rather than a bare non-null violation, says why there is nothing.
    if (part?.value == null && cause) throw new GraphQLError(cause.message, { extensions: cause.extensions, originalError: cause.originalError ?? undefined });
    return part?.value ?? null;
  }
  const object = source as Record<string, unknown>;
  return info.parentType === info.schema.getSubscriptionType() ? object[info.fieldName] : object[info.path.key];
};

/** Errors from fetching the parts that the execution did not raise itself, placed under the subscription's field. */
function fetchErrors(parts: ReadonlyMap<string, ReferencePart>, rootKey: string): GraphQLError[] {
  return [...parts].flatMap(([key, part]) =>
    part.errors
      .slice(part.value == null ? 1 : 0)
      .map((e) => new GraphQLError(e.message, { path: [rootKey, key, ...(e.path ?? [])], extensions: e.extensions, originalError: e.originalError ?? undefined })),
  );
}

/**
 * How one selection turns a bus event into a result: in-process when it only
 * reads the event's own fields; with only its product and location fetched
 * (batched `product(sku:)`, `location(id:)` through the gateway's query plan)
 * when those are the only other fields; otherwise as `stockChange(eventId)`
 * through the query plan.
 */
export function createSelectionPlan(
  deps: SelectionPlanDeps,
  operation: StockChangedOperation,
  variables: Readonly<Record<string, unknown>>,
  subscriber: Principal,
): SelectionPlan {
  // Shared by every subscriber with these scopes: subgraphs are told the scopes, not whose they were first.
  const principal: Principal = { authenticated: subscriber.authenticated, scopes: subscriber.scopes };
  const operationName = operation.operation.name?.value;
  const selectionVariables = Object.fromEntries(operation.selectionVariables.map((name) => [name, variables[name]]));
  const logUnexpected = (err: unknown, requestId: string) => deps.logger.error({ err, requestId }, 'unexpected error resolving a stock event');

  // Never rejects: anything thrown is masked into the result, with the request id it is logged under.
  const guarded =
    (run: (event: StockEvent, requestId: string) => Promise<ExecutionResult>) =>
    async (event: StockEvent): Promise<ExecutionResult> => {
      const requestId = randomUUID();
      let result: ExecutionResult;
      try {
        result = await run(event, requestId);
      } catch (err) {
        result = { data: null, errors: [new GraphQLError('Unexpected error.', { originalError: err as Error })] };
      }
      if (deps.authorized?.removed) result = nullRemovedFields(result, deps.authorized, selectionVariables);
      return maskResult(result, requestId, logUnexpected);
    };

  const local = guarded(async (event) =>
    execute({
      schema: deps.schema,
      document: operation.document,
      operationName,
      rootValue: { [STOCK_CHANGED_FIELD]: event },
      variableValues: selectionVariables,
    }),
  );

  const remote = guarded((event, requestId) => {
    const contextValue: GatewayContext = { requestId, principal };
    return deps.executeQuery({
      schema: deps.schema,
      document: operation.query,
      operationName,
      variableValues: { ...selectionVariables, [EVENT_ID_VARIABLE]: event.eventId },
      contextValue,
    });
  });

  const rootKey = operation.rootField.alias?.value ?? STOCK_CHANGED_FIELD;
  const runQuery = (document: DocumentNode, batchVariables: Record<string, unknown>) => {
    const contextValue: GatewayContext = { requestId: randomUUID(), principal };
    return deps.executeQuery({ schema: deps.schema, document, operationName, variableValues: { ...selectionVariables, ...batchVariables }, contextValue });
  };
  const reuse = { reuseMs: deps.referenceReuseMs ?? 0, ...(deps.now ? { now: deps.now } : {}) };
  const sources = (operation.references ?? []).map((selection) => ({
    responseKey: selection.responseKey,
    keyOf: REFERENCE_FIELDS[selection.field].keyOf,
    source: referenceSource(selection, operationName, runQuery, reuse),
  }));
  const references = guarded(async (event) => {
    const parts = new Map(await Promise.all(sources.map(async (s) => [s.responseKey, await s.source.load(s.keyOf(event))] as const)));
    const result = await execute({
      schema: deps.schema,
      document: operation.document,
      operationName,
      rootValue: { [STOCK_CHANGED_FIELD]: new EventWithReferences(event, parts) },
      variableValues: selectionVariables,
      fieldResolver: referencePathResolver,
    });
    const errors = fetchErrors(parts, rootKey);
    return errors.length > 0 ? { ...result, errors: [...(result.errors ?? []), ...errors] } : result;
  });

  const resolve = operation.local ? local : sources.length > 0 ? references : remote;
  return { key: selectionKey(operation, variables, principal), resolve };
}
