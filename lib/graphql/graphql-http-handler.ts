import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  GraphQLError,
  execute as graphqlExecute,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { createHandler, parseRequestParams, type Request as GraphQLHttpRequest, type Response as GraphQLHttpResponse } from 'graphql-http';
import { ANONYMOUS, type Principal } from '../auth/claims.js';
import { GatewaySignatureError, verifyGatewayRequest } from '../auth/gateway-signature.js';
import { ErrorCode, maskResult } from '../errors.js';
import { BodyTooLargeError, mediaTypeOf, readBody, sendJson } from '../http/http-server.js';
import type { Logger } from '../logger.js';
import { observeOperation, outcomeOf, type Observation } from '../observability/observe-operation.js';
import { createDocumentCache, type DocumentCache } from './document-cache.js';
import type { DocumentRequest, DocumentResolution } from './persisted-documents.js';
import type { ResponseCache, ResponseCacheMiss } from './response-cache-lookup.js';
import { prepareOperation, refusal } from './prepare-operation.js';
import { withStaleNotices, type StaleNotice } from './stale-notice.js';

/** What every resolver sees: who asked, under which request id. Subgraphs extend it with their loaders. */
export interface BaseContext {
  requestId: string;
  /** The HTTP request; absent for work the gateway starts itself (resolving a subscription event). */
  req?: IncomingMessage;
  /**
   * Who the request runs for: in a subgraph, the caller the gateway vouched
   * for (signed); at the gateway, the verified bearer token's; `ANONYMOUS`
   * without one.
   */
  principal: Principal;
  /** Cached data served past its freshness while this request ran (stale-notice.ts); answered in `extensions.stale`. */
  stale?: StaleNotice[];
}

export interface GraphQLHttpHandlerOptions<C extends BaseContext> {
  /** Who serves it (`gateway`, `product`, ...): the `service` label of its metrics. */
  service: string;
  schema: GraphQLSchema;
  logger: Logger;
  /** Builds the per-request context (DataLoaders live here, so they never outlive a request). */
  context: (base: BaseContext) => C | Promise<C>;
  /** Replaces graphql-js execution, e.g. by the gateway's query-plan executor. @default graphql's execute */
  execute?: (args: ExecutionArgs) => Promise<ExecutionResult> | ExecutionResult;
  /** Parsed and validated documents kept, keyed by query text. @default 1000 */
  documentCacheSize?: number;
  /** A document cache shared with another transport (the gateway's WebSocket); overrides `documentCacheSize`. */
  documents?: DocumentCache;
  /** Largest request body accepted, in bytes; larger ones get a 413. @default 1048576 */
  maxBodyBytes?: number;
  /** Operations estimated costlier than this are refused (OPERATION_LIMIT_EXCEEDED). @default no limit */
  maxCost?: number;
  /**
   * Serve only requests the gateway signed (lib/auth/gateway-signature.ts) with
   * this secret: anything else gets HTTP 401 `UNAUTHENTICATED` before it is
   * parsed, and the principal the gateway vouched for goes into the context.
   * Every subgraph turns it on. @default off
   */
  gatewaySignature?: { secret: string };
  /**
   * Who a request runs for when it comes unsigned: the gateway learns it from
   * the bearer token before the request reaches this handler. @default ANONYMOUS
   */
  principal?: (req: IncomingMessage) => Principal;
  /**
   * Works out the document a request runs before graphql-http reads it: one
   * named by hash (trusted documents, APQ) is filled in, a refused one is
   * answered with its status and nothing runs. The gateway's persisted
   * documents. @default every request runs the query it sent
   */
  resolveDocument?: (request: DocumentRequest, principal: Principal) => Promise<DocumentResolution>;
  /**
   * Answers a request from kept responses before anything is parsed, and is
   * handed each result and response to keep what it may (the gateway's
   * response cache). @default none
   */
  responseCache?: ResponseCache<C, IncomingMessage, Principal>;
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** Whether a request the response cache could serve was answered from it (`HIT`) or not (`MISS`). */
export const CACHE_STATUS_HEADER = 'x-cache';

/** The media type GraphQL errors are answered in: the GraphQL one when the client accepts it (GraphQL over HTTP). */
export function errorMediaType(req: IncomingMessage): string {
  return (req.headers.accept ?? '').includes('application/graphql-response+json') ? 'application/graphql-response+json; charset=utf-8' : 'application/json; charset=utf-8';
}

/** A request id the caller sent, if it looks like one; otherwise a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const sent = req.headers[REQUEST_ID_HEADER];
  return typeof sent === 'string' && /^[\w.:-]{1,128}$/.test(sent) ? sent : randomUUID();
}

/**
 * GraphQL over HTTP (graphql-http: spec-compliant GET and POST, status codes,
 * media types) with cached parse/validate, a request id on every response and
 * masked unexpected errors.
 */
export function createGraphQLHttpHandler<C extends BaseContext>(options: GraphQLHttpHandlerOptions<C>) {
  const { schema, logger, service } = options;
  const execute = options.execute ?? graphqlExecute;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const signature = options.gatewaySignature;
  const logUnexpected = (err: unknown, requestId: string) => logger.error({ err, requestId }, 'unexpected error');
  // A system or subgraph that failed is not a bug here, but operations want to see it with the request id.
  const logDegraded = (e: GraphQLError, requestId: string) => {
    const { code, service, serviceName } = e.extensions as Record<string, unknown>;
    if (typeof code === 'string' && /^(UPSTREAM|SUBGRAPH)_/.test(code)) {
      logger.warn({ requestId, code, service: service ?? serviceName, path: e.path }, e.message);
    }
  };

  const documents = options.documents ?? createDocumentCache(schema, { size: options.documentCacheSize });
  const { resolveDocument } = options;
  /** What each request's metrics and span say, filled in as it gets through. */
  const observations = new WeakMap<IncomingMessage, Observation>();
  /** Each request's response cache lookup, for execute to hand its result to. */
  const lookups = new WeakMap<IncomingMessage, ResponseCacheMiss<C>>();

  // graphql-http wants an index-signature context; ours is a typed interface, so it is cast at the edges.
  const handle = createHandler<IncomingMessage, { res: ServerResponse; principal: Principal }, Record<PropertyKey, unknown>>({
    schema,
    ...(resolveDocument ? { parseRequestParams: (req: RawRequest) => withResolvedDocument(req, resolveDocument) } : {}),
    // Parse, validate and coerce variables here rather than in execute: errors returned
    // from onSubscribe are request errors, which get 400 under application/graphql-response+json.
    onSubscribe: async (req, params) => {
      const requestId = req.raw.headers[REQUEST_ID_HEADER] as string;
      const prepared = prepareOperation(schema, documents, params, requestId, { maxCost: options.maxCost });
      if (Array.isArray(prepared)) return prepared;
      observations.get(req.raw)?.named(prepared.operation);
      const contextValue = await options.context({ requestId, req: req.raw, principal: req.context.principal, stale: [] });
      return {
        schema,
        document: prepared.document,
        operationName: params.operationName,
        variableValues: params.variables,
        contextValue: contextValue as unknown as Record<PropertyKey, unknown>,
      };
    },
    execute: async (args) => {
      const context = args.contextValue as unknown as C;
      const result = maskResult(await execute(args), context.requestId, logUnexpected, (e) => logDegraded(e, context.requestId));
      const observation = context.req && observations.get(context.req);
      if (observation) observation.outcome = outcomeOf(result);
      if (context.req) lookups.get(context.req)?.executed(args, result, context);
      return withStaleNotices(result, context);
    },
  });

  const serve = async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    let body: string | null = null;
    if (req.method === 'POST') {
      try {
        body = (await readBody(req, maxBodyBytes)).toString('utf8');
      } catch (err) {
        if (!(err instanceof BodyTooLargeError)) throw err;
        res.setHeader('connection', 'close');
        return sendJson(res, 413, { errors: [{ message: err.message, extensions: { code: ErrorCode.BAD_REQUEST, requestId } }] });
      }
    }
    let principal = options.principal?.(req) ?? ANONYMOUS;
    if (signature) {
      try {
        principal = verifyGatewayRequest(signature.secret, { method: req.method ?? 'GET', target: req.url ?? '/', body: body ?? '', headers: req.headers });
      } catch (err) {
        if (!(err instanceof GatewaySignatureError)) throw err;
        // Why stays in the log: a caller without the secret learns nothing from the answer.
        logger.warn({ requestId, reason: err.message }, 'request not signed by the gateway refused');
        return sendJson(res, 401, {
          errors: [{ message: 'This service answers only requests signed by the gateway.', extensions: { code: ErrorCode.UNAUTHENTICATED, requestId } }],
        });
      }
    }
    const lookup = options.responseCache?.(req, body, principal);
    if (lookup?.hit) {
      const observation = observations.get(req);
      if (observation) {
        observation.named(lookup.hit.operation);
        observation.outcome = 'success';
      }
      res.setHeader(CACHE_STATUS_HEADER, 'HIT');
      res.writeHead(200, lookup.hit.headers).end(lookup.hit.body);
      return;
    }
    if (lookup) lookups.set(req, lookup);
    try {
      const [responseBody, init] = await handle({ url: req.url ?? '/', method: req.method ?? 'GET', headers: req.headers, body, raw: req, context: { res, principal } });
      if (lookup?.keeping) res.setHeader(CACHE_STATUS_HEADER, 'MISS');
      res.writeHead(init.status, init.statusText, init.headers).end(responseBody);
      lookup?.responded(init.status, init.headers as Record<string, string>, responseBody ?? '');
    } catch (err) {
      // Building the context or executing threw: nothing a client should see but the request id.
      logUnexpected(err, requestId);
      const observation = observations.get(req);
      if (observation) observation.outcome = 'error';
      sendJson(res, 500, { errors: [{ message: 'Unexpected error.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } }] });
    }
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // One id for the whole request: the handler reads it back from the header.
    const requestId = requestIdOf(req);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    // The caller's trace goes on here (W3C traceparent); a no-op unless tracing is on.
    await observeOperation(service, requestId, req.headers, (observation) => {
      observations.set(req, observation);
      return serve(req, res, requestId);
    });
  };
}

type RawRequest = GraphQLHttpRequest<IncomingMessage, { res: ServerResponse; principal: Principal }>;

/**
 * graphql-http's own request parsing (methods, media types, parameter checks),
 * with the document resolved first: a request that names a document by hash
 * may come without `query`, which graphql-http alone would refuse. Requests it
 * cannot read (a bad media type, broken JSON) go to it untouched, to be
 * answered as the spec says.
 */
async function withResolvedDocument(req: RawRequest, resolve: NonNullable<GraphQLHttpHandlerOptions<BaseContext>['resolveDocument']>): Promise<GraphQLHttpResponse | Awaited<ReturnType<typeof parseRequestParams>> | undefined> {
  let sent: Record<string, unknown>;
  /** The request for graphql-http's parser, with `query` replaced when one was resolved. */
  let withQuery: (query: string | undefined) => RawRequest;
  if (req.method === 'GET') {
    const [path, search] = req.url.split('?');
    const params = new URLSearchParams(search);
    const extensions = params.get('extensions');
    try {
      sent = { query: params.get('query') ?? undefined, documentId: params.get('documentId') ?? undefined, extensions: extensions ? (JSON.parse(extensions) as unknown) : undefined };
    } catch {
      return undefined;
    }
    withQuery = (query) => {
      if (query === undefined) return req;
      params.set('query', query);
      return { ...req, url: `${path}?${params.toString()}` };
    };
  } else {
    if (req.method !== 'POST' || mediaTypeOf(req.raw.headers['content-type']) !== 'application/json' || typeof req.body !== 'string') return undefined;
    try {
      const data = JSON.parse(req.body) as unknown;
      if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
      sent = data as Record<string, unknown>;
    } catch {
      return undefined;
    }
    // graphql-http takes a parsed body as it is: the JSON is read once.
    withQuery = (query) => ({ ...req, body: (query === undefined ? sent : { ...sent, query }) as unknown as string });
  }
  const resolution = await resolve(sent, req.context.principal);
  if ('refused' in resolution) {
    // The refusal carries its own code; refusal() adds the request id, as every request error has.
    const errors = refusal([resolution.refused], ErrorCode.BAD_REQUEST, req.raw.headers[REQUEST_ID_HEADER] as string);
    return [JSON.stringify({ errors }), { status: resolution.status, statusText: STATUS_CODES[resolution.status] ?? '', headers: { 'content-type': errorMediaType(req.raw) } }];
  }
  return parseRequestParams(withQuery(resolution.query));
}
