import { GraphQLError, getOperationAST, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { ErrorCode } from '../errors.js';
import type { DocumentCache } from './document-cache.js';
import { checkOperationCost } from './operation-limits.js';

/** What a client sent, on any transport. */
export interface OperationRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export interface PreparedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The variables coerced to the operation's types. */
  variables: Record<string, unknown>;
}

/** The error with a stable code (and more extensions), all else kept. */
export function withCode(error: GraphQLError, code: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code, ...extensions },
  });
}

/** Request errors as answered: each with `code` (unless it has one already, as a limit does) and the request id. */
export function refusal(errors: readonly GraphQLError[], code: string, requestId: string): GraphQLError[] {
  return errors.map((e) => withCode(e, typeof e.extensions.code === 'string' ? e.extensions.code : code, { requestId }));
}

/**
 * Parse (cached), validate (cached), pick the operation and coerce its
 * variables: the request errors HTTP and WebSocket answer alike, each with
 * its code and the request id. Nothing runs until this passes.
 */
export function prepareOperation(
  schema: GraphQLSchema,
  documents: DocumentCache,
  request: OperationRequest,
  requestId: string,
  options: { maxCost?: number } = {},
): PreparedOperation | GraphQLError[] {
  const refuse = (errors: readonly GraphQLError[], code: string) => refusal(errors, code, requestId);
  const document = documents.parse(request.query);
  if (document instanceof GraphQLError) return refuse([document], ErrorCode.GRAPHQL_PARSE_FAILED);
  const invalid = documents.validate(document);
  if (invalid.length > 0) return refuse(invalid, ErrorCode.GRAPHQL_VALIDATION_FAILED);
  const operation = getOperationAST(document, request.operationName);
  if (!operation) return refuse([new GraphQLError('Unable to detect the operation to run.')], ErrorCode.BAD_REQUEST);
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
  if (coerced.errors) return refuse(coerced.errors, ErrorCode.BAD_USER_INPUT);
  if (options.maxCost !== undefined) {
    const tooCostly = checkOperationCost(schema, document, operation, coerced.coerced, options.maxCost);
    if (tooCostly) return refuse([tooCostly], ErrorCode.OPERATION_LIMIT_EXCEEDED);
  }
  return { document, operation, variables: coerced.coerced };
}
