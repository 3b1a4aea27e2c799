import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';

/** Stable `extensions.code` values: clients may branch on these. */
export const ErrorCode = {
  BAD_REQUEST: 'BAD_REQUEST',
  /** A bearer token that does not verify (HTTP 401 with `WWW-Authenticate: Bearer error="invalid_token"`). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The keys a bearer token must be checked with cannot be fetched (an external IdP is down): HTTP 503, retry with the same token. */
  AUTH_UNAVAILABLE: 'AUTH_UNAVAILABLE',
  /** The caller may not see this field: it lacks a scope the schema asks for (`@requiresScopes`) or a token (`@authenticated`). The field is null; the rest of the data is served. */
  FORBIDDEN: 'FORBIDDEN',
  /** Over the caller's rate limit (HTTP 429 with `Retry-After`). */
  RATE_LIMITED: 'RATE_LIMITED',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** An operation deeper, with more aliases or root fields, or costlier than the gateway allows: refused before anything runs. */
  OPERATION_LIMIT_EXCEEDED: 'OPERATION_LIMIT_EXCEEDED',
  NOT_FOUND: 'NOT_FOUND',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_BAD_RESPONSE: 'UPSTREAM_BAD_RESPONSE',
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  SUBGRAPH_TIMEOUT: 'SUBGRAPH_TIMEOUT',
  /** The request's overall deadline (`GATEWAY_REQUEST_TIMEOUT_MS`) passed before a subgraph answered: the fields it would serve are null, the rest is served. */
  GATEWAY_TIMEOUT: 'GATEWAY_TIMEOUT',
  /** `stockChanged(after:)` names an event older than the stream keeps: re-read the stock, then subscribe without `after`. */
  STOCK_CURSOR_EXPIRED: 'STOCK_CURSOR_EXPIRED',
  /** The stock event bus (Redis) could not be read; resubscribe. */
  EVENT_BUS_UNAVAILABLE: 'EVENT_BUS_UNAVAILABLE',
  /** `runErpSync` while a sync job runs (in any process): the running job's id is in `runningJobId`. */
  SYNC_ALREADY_RUNNING: 'SYNC_ALREADY_RUNNING',
  /** An automatic persisted query's hash the gateway does not know (HTTP 200, as Apollo clients expect): send it again with the query. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Automatic persisted queries are turned off here (`APQ_ENABLED=false`): send the query itself. */
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  /** `extensions.persistedQuery.sha256Hash` (or `documentId`) is not the SHA-256 of the query sent with it (HTTP 400). */
  PERSISTED_QUERY_HASH_MISMATCH: 'PERSISTED_QUERY_HASH_MISMATCH',
  /** A client restricted to trusted documents (`TRUSTED_DOCUMENTS_CLIENTS`) sent something that is not one (HTTP 403); nothing ran. */
  TRUSTED_DOCUMENT_REQUIRED: 'TRUSTED_DOCUMENT_REQUIRED',
  /** A GET, or a POST with a simple content type, without a preflight header: refused as a possible cross-site request forgery (HTTP 400). */
  CSRF_PREVENTED: 'CSRF_PREVENTED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

// INTERNAL_SERVER_ERROR is ours, but whatever message comes with it is a detail for the log: always masked.
const exposed = new Set<string>(Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR));

/** Extensions that carry internals (a subgraph's stack trace, say): never sent on, whatever the code. */
const INTERNAL_EXTENSIONS = new Set(['exception', 'stacktrace']);

export function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...extensions } });
}

export function notFound(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NOT_FOUND, ...extensions } });
}

/**
 * True when clients may see the error as it is: it carries one of our codes
 * (raised on purpose here, or by a subgraph that already masked its own),
 * other than INTERNAL_SERVER_ERROR, or it is graphql-js's own (syntax,
 * validation, coercion: no code, no originalError).
 */
export function isExposed(error: GraphQLError): boolean {
  const code = error.extensions?.code;
  if (code === undefined) return !error.originalError;
  return typeof code === 'string' && exposed.has(code);
}

/**
 * Masks anything unexpected: the client sees a generic message, the request id
 * and a stable code; the log gets the real error with the same request id.
 */
export function maskError(
  error: GraphQLError,
  requestId: string,
  log: (err: unknown, requestId: string) => void,
): GraphQLFormattedError {
  if (isExposed(error)) {
    const formatted = error.toJSON();
    const code = formatted.extensions?.code ?? (error.originalError ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_USER_INPUT);
    const extensions = Object.fromEntries(Object.entries(formatted.extensions ?? {}).filter(([key]) => !INTERNAL_EXTENSIONS.has(key)));
    return { ...formatted, extensions: { ...extensions, code, requestId } };
  }
  log(error.originalError ?? error, requestId);
  return {
    message: 'Unexpected error.',
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
  };
}

/**
 * A result with every error masked as `maskError` does, for any transport
 * (HTTP, WebSocket, subscription fan-out). `observe` sees each error first,
 * unmasked (to log a degraded system at warn, say).
 */
export function maskResult<R extends ExecutionResult>(
  result: R,
  requestId: string,
  log: (err: unknown, requestId: string) => void,
  observe?: (error: GraphQLError) => void,
): R {
  if (!result.errors?.length) return result;
  return {
    ...result,
    errors: result.errors.map((e) => {
      observe?.(e);
      const f = maskError(e, requestId, log);
      return new GraphQLError(f.message, { nodes: e.nodes, path: f.path, extensions: f.extensions });
    }),
  };
}
