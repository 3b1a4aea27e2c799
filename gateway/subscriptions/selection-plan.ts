import { randomUUID } from 'node:crypto';
import { GraphQLError, execute, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { maskResult } from '../../lib/errors.js';
import type { StockEvent } from '../../lib/events/stock-event.js';
import type { Logger } from '../../lib/logger.js';
import type { GatewayContext } from '../gateway-context.js';
import { EVENT_ID_VARIABLE, STOCK_CHANGED_FIELD, type StockChangedOperation } from './stock-changed-operation.js';

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
  logger: Logger;
}

/** The fan-out key: subscribers with equal keys get the very same result object for an event. */
export function selectionKey(operation: StockChangedOperation, variables: Readonly<Record<string, unknown>>, scopes: readonly string[]): string {
  const values = operation.selectionVariables.map((name) => variables[name] ?? null);
  return `${operation.id}|${JSON.stringify(values)}|${[...scopes].sort().join(' ')}`;
}

/**
 * How one selection turns a bus event into a result: in-process when it only
 * reads the event's own fields, otherwise as `stockChange(eventId)` through the
 * gateway's query plan (product name and price from the product subgraph).
 */
export function createSelectionPlan(
  deps: SelectionPlanDeps,
  operation: StockChangedOperation,
  variables: Readonly<Record<string, unknown>>,
  scopes: readonly string[],
): SelectionPlan {
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
    const contextValue: GatewayContext = { requestId, scopes };
    return deps.executeQuery({
      schema: deps.schema,
      document: operation.query,
      operationName,
      variableValues: { ...selectionVariables, [EVENT_ID_VARIABLE]: event.eventId },
      contextValue,
    });
  });

  return { key: selectionKey(operation, variables, scopes), resolve: operation.local ? local : remote };
}
