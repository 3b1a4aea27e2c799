import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, parse } from 'graphql';
import { ANONYMOUS, principalOf, type Principal } from '../lib/auth/claims.js';
import { OAUTH_TOKEN_PATH } from '../lib/auth/token-endpoint.js';
import type { Config, SubgraphName } from '../lib/config.js';
import type { StockEventBus } from '../lib/events/stock-event-bus.js';
import { createDocumentCache } from '../lib/graphql/document-cache.js';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from '../lib/graphql/operation-limits.js';
import { ErrorCode } from '../lib/errors.js';
import { memoryTokenBuckets, redisTokenBuckets } from '../lib/limits/token-bucket.js';
import { createGraphQLHttpHandler } from '../lib/graphql/graphql-http-handler.js';
import { createPersistedDocuments } from '../lib/graphql/persisted-documents.js';
import { memoryPersistedQueryStore, redisPersistedQueryStore } from '../lib/graphql/persisted-query-store.js';
import { readTrustedDocumentManifest, type TrustedDocumentManifest } from '../lib/graphql/trusted-document-manifest.js';
import { listen, sendJson, type RunningServer } from '../lib/http/http-server.js';
import type { Logger } from '../lib/logger.js';
import { metrics, registerOperationNames } from '../lib/observability/metrics.js';
import { METRICS_PATH, metricsRoute } from '../lib/observability/metrics-route.js';
import { callerOf, refuseToken } from './auth/bearer-token.js';
import { refuseRequest } from './refuse-request.js';
import { CSRF_MESSAGE, isCsrfSuspect } from './csrf-prevention.js';
import { rateLimitedCaller, rateLimiter, retryAfterSeconds, type RateLimitSettings } from './auth/rate-limit.js';
import { createGatewayAuth, developmentAuthSettings, gatewayAuthSettingsFrom, type GatewayAuthSettings } from './auth/gateway-auth.js';
import { AccessPolicy } from './authorization/access-policy.js';
import { OperationAuthorizer } from './authorization/authorizer.js';
import { withoutSecurityFeatures } from './authorization/security-features.js';
import { createFederatedExecutor } from './federated-executor.js';
import { cacheHints } from './response-cache/cache-hints.js';
import { createGatewayResponseCache } from './response-cache/response-cache.js';
import type { GatewayContext } from './gateway-context.js';
import { GRAPHIQL_ASSET_PREFIX, serveGraphiQL, serveGraphiQLAsset, wantsGraphiQL } from './graphiql.js';
import { checkSubgraphs } from './subgraph-health.js';
import { StockChangeHub } from './subscriptions/stock-change-hub.js';
import { attachSubscriptionServer, type RunningSubscriptionServer } from './subscriptions/websocket-server.js';

export interface GatewayOptions {
  port: number;
  host?: string;
  /** The composed supergraph SDL, or the path of the file that holds it. */
  supergraph: { sdl: string } | { path: string };
  subgraphUrls: Record<SubgraphName, string>;
  /** Deadline of one subgraph fetch (each try). @default 10000 */
  subgraphTimeoutMs?: number;
  /** Per-subgraph deadlines that differ from `subgraphTimeoutMs`. @default none */
  subgraphTimeoutsMs?: Partial<Record<SubgraphName, number>>;
  /** Retries of a query's subgraph fetch after an outage (no answer, timeout, 5xx); mutations never. @default 2 */
  subgraphRetries?: number;
  /** Each subgraph's circuit breaker. @default 5 outages in a row open it for 10 s */
  subgraphBreaker?: { failures: number; halfOpenAfterMs: number };
  /** Deadline of a whole request, retries included: subgraphs not answered by then give null fields with GATEWAY_TIMEOUT; 0: none. @default 15000 */
  requestTimeoutMs?: number;
  /** Serve GraphiQL to browsers at `/graphql`. @default true */
  graphiql?: boolean;
  /** Where stock events come from for `stockChanged`; the caller opens and closes it. */
  bus: StockEventBus;
  /** Messages one WebSocket connection may have waiting before it is closed with 4413. @default 1000 */
  subscriptionQueueLimit?: number;
  /** Token buckets per client and per anonymous IP, in Redis when `redisUrl` is set. @default none */
  rateLimits?: RateLimitSettings & { redisUrl?: string };
  /** What one operation may ask (depth, aliases, root fields, cost). @default DEFAULT_OPERATION_LIMITS */
  operationLimits?: OperationLimits;
  /** Bearer tokens: keys, clients, issuers. @default a generated key and the demo clients (development) */
  auth?: GatewayAuthSettings;
  /** The secret subgraph requests are signed with (HMAC): subgraphs refuse calls that do not carry the gateway's signature. */
  subgraphSigningSecret: string;
  /** How long a product or location fetched for a `stockChanged` payload is reused for the next changes of that SKU or location. @default 5000 */
  subscriptionReferenceReuseMs?: number;
  /** Whole query responses kept and answered again without planning (response-cache/response-cache.ts). */
  responseCache?: {
    /** Bytes of responses kept; 0: no response cache. @default 33554432 (32 MiB) */
    maxBytes?: number;
    /** How long product data is kept: the product subgraph's own `PRODUCT_CACHE_TTL_MS`. @default 30000 */
    productMaxAgeMs?: number;
    /**
     * Whether `bus` brings this process the inventory ledger's events: false for a gateway
     * process of its own on an in-process bus (no `REDIS_URL`), which no other process reaches;
     * stock answers are then never kept. @default true
     */
    stockEvents?: boolean;
  };
  /** Bearer token a scraper must send for `/metrics`. @default none: served to anyone */
  metricsToken?: string;
  /** Answer `__schema` and `__type` (`__typename` always works), over HTTP and WebSocket. @default true */
  introspection?: boolean;
  /** Refuse a GET, or a POST with no or a simple content type, without a preflight header (400 `CSRF_PREVENTED`; see csrf-prevention.ts). @default true */
  csrfPrevention?: boolean;
  /**
   * Automatic persisted queries: in Redis when `redisUrl` is set (shared by
   * every gateway), in process otherwise; `enabled: false` turns them off.
   * @default on, in process, kept a day
   */
  persistedQueries?: {
    /** @default true */
    enabled?: boolean;
    redisUrl?: string;
    /** @default 'commerce-graph:apq:' */
    keyPrefix?: string;
    /** @default 86400000 */
    ttlMs?: number;
    /** Deadline of one Redis call. @default 500 */
    timeoutMs?: number;
    /** Entries kept in process (no Redis). @default 10000 */
    maxEntries?: number;
  };
  /**
   * Registered operations anyone may name by id, and the client ids (token
   * `sub`) that may run nothing else (403 `TRUSTED_DOCUMENT_REQUIRED`).
   * Every document must validate against the schema, or the gateway does not start.
   * @default none
   */
  trustedDocuments?: { manifest?: TrustedDocumentManifest; restrictedClients?: readonly string[] };
  logger: Logger;
}

export interface RunningGateway extends RunningServer {
  /** `http://host:port/graphql`. */
  graphqlUrl: string;
  /** `ws://host:port/graphql`: graphql-ws subscriptions. */
  websocketUrl: string;
  /** `stockChanged` subscribers of this process. */
  subscriptions: StockChangeHub;
}

/**
 * The one public endpoint: `/graphql` (GraphQL over HTTP, GET and POST, planned
 * over the subgraphs; and graphql-ws over WebSocket on the same port, with
 * `stockChanged` fed from the stock event bus), GraphiQL for browsers in
 * development, `/healthz`, `/readyz`, `/metrics`.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const supergraph = parse('sdl' in options.supergraph ? options.supergraph.sdl : await readFile(options.supergraph.path, 'utf8'));
  const executor = await createFederatedExecutor({
    // The planner gets the supergraph without the access rules it cannot read; the authorizer below enforces them.
    supergraphSdl: withoutSecurityFeatures(supergraph),
    subgraphUrls: options.subgraphUrls,
    subgraphTimeoutMs: options.subgraphTimeoutMs ?? 10_000,
    subgraphTimeoutsMs: options.subgraphTimeoutsMs,
    subgraphRetries: options.subgraphRetries ?? 2,
    subgraphBreaker: options.subgraphBreaker,
    signingSecret: options.subgraphSigningSecret,
    logger: options.logger,
  });
  const authorizer = new OperationAuthorizer(executor.schema, AccessPolicy.fromSupergraph(supergraph, executor.schema));
  const hub = new StockChangeHub({ bus: options.bus, logger: options.logger });
  const cacheBytes = options.responseCache?.maxBytes ?? 32 * 1024 * 1024;
  const stockEvents = options.responseCache?.stockEvents ?? true;
  const responseCache =
    cacheBytes > 0
      ? createGatewayResponseCache({
          schema: executor.schema,
          maxBytes: cacheBytes,
          hints: cacheHints(options.responseCache?.productMaxAgeMs ?? 30_000),
          events: { onEvents: (listener) => hub.onEvents(listener), get following() { return stockEvents && hub.following; } },
        })
      : undefined;
  const authorized = authorizer.guard(executor.execute, (context) => (context as GatewayContext).principal);
  const execute = responseCache ? responseCache.dropStockAfterMutations(authorized) : authorized;
  const limits = options.operationLimits ?? DEFAULT_OPERATION_LIMITS;
  const documents = createDocumentCache(executor.schema, { limits, introspection: options.introspection });
  /** Why the query would not run: it does not parse, or does not validate (limits and introspection included); empty when it would. */
  const problemsOf = (query: string): readonly GraphQLError[] => {
    const document = documents.parse(query);
    return document instanceof GraphQLError ? [document] : documents.validate(document);
  };
  // A stale manifest is found at start, not by the first client that needs it.
  const trusted = options.trustedDocuments?.manifest?.operations ?? [];
  // Registered names are always metric labels; names clients make up share a bound.
  registerOperationNames(trusted.map((operation) => operation.name));
  for (const operation of trusted) {
    const problems = problemsOf(operation.body);
    if (problems.length > 0) {
      await executor.stop();
      throw new Error(`Trusted document ${operation.name} (${operation.id}) does not validate against the schema: ${problems.map((p) => p.message).join('; ')}`);
    }
  }
  const apq = options.persistedQueries ?? {};
  const persisted = createPersistedDocuments({
    manifest: options.trustedDocuments?.manifest,
    restrictedClients: options.trustedDocuments?.restrictedClients,
    ...(apq.enabled === false
      ? {}
      : {
          store: apq.redisUrl
            ? redisPersistedQueryStore({ url: apq.redisUrl, keyPrefix: apq.keyPrefix, ttlMs: apq.ttlMs, timeoutMs: apq.timeoutMs, logger: options.logger.child({ component: 'persisted-queries' }) })
            : memoryPersistedQueryStore({ maxEntries: apq.maxEntries, ttlMs: apq.ttlMs }),
        }),
    isValid: (query) => problemsOf(query).length === 0,
  });
  const csrfPrevention = options.csrfPrevention ?? true;
  const auth = createGatewayAuth(options.auth ?? (await developmentAuthSettings()), options.logger.child({ component: 'auth' }));
  const rateLimits = options.rateLimits;
  const buckets = rateLimits && (rateLimits.redisUrl ? redisTokenBuckets({ url: rateLimits.redisUrl, keyPrefix: 'commerce-graph:rate:', logger: options.logger }) : memoryTokenBuckets());
  const limit = rateLimits && buckets ? rateLimiter(buckets, rateLimits, options.logger.child({ component: 'rate-limit' })) : undefined;
  /** Refuses a caller over its rate with 429; true when refused. */
  const overLimit = async (req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<boolean> => {
    if (!limit) return false;
    const verdict = await limit(rateLimitedCaller(req, principal));
    if (verdict.allowed) return false;
    refuseRequest(req, res, 429, { message: 'Too many requests: slow down and retry after the Retry-After seconds.', code: ErrorCode.RATE_LIMITED }, { 'retry-after': String(retryAfterSeconds(verdict)) });
    return true;
  };
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  // The verified caller of each request, from the bearer check to the GraphQL context.
  // and when its deadline passes (counted from its arrival, so a slow token check or rate limiter uses it up too).
  const callers = new WeakMap<IncomingMessage, { principal: Principal; deadlineAt?: number }>();
  const graphql = createGraphQLHttpHandler<GatewayContext>({
    service: 'gateway',
    schema: executor.schema,
    documents,
    logger: options.logger,
    principal: (req) => callers.get(req)?.principal ?? ANONYMOUS,
    context: (base) => {
      const deadlineAt = base.req && callers.get(base.req)?.deadlineAt;
      return { ...base, ...(deadlineAt === undefined ? {} : { deadlineAt }), ...(responseCache ? { subgraphReads: [] } : {}) };
    },
    ...(responseCache ? { responseCache: responseCache.lookup } : {}),
    execute,
    maxCost: limits.maxCost,
    resolveDocument: (request, principal) => persisted.resolve(request, principal),
  });
  /** A request refused before the GraphQL handler saw it (CSRF, token, rate limit): counted as the handler counts its own refusals. */
  const countRefused = () => metrics.graphqlRequests.inc({ service: 'gateway', operation: 'anonymous', outcome: 'refused' });
  const graphiql = options.graphiql ?? true;
  const serveMetrics = metricsRoute(options.metricsToken);
  let websockets: RunningSubscriptionServer | undefined;

  const server = await listen(
    async (req, res): Promise<void> => {
      const path = (req.url ?? '/').split('?')[0] as string;
      if (path === '/graphql') {
        if (graphiql && wantsGraphiQL(req)) return serveGraphiQL(res);
        const deadlineAt = requestTimeoutMs > 0 ? performance.now() + requestTimeoutMs : undefined;
        // Before the token is even looked at: a forged request is not worth a signature check.
        if (csrfPrevention && isCsrfSuspect(req.headers)) {
          countRefused();
          return refuseRequest(req, res, 400, { message: CSRF_MESSAGE, code: ErrorCode.CSRF_PREVENTED });
        }
        const caller = await callerOf(req.headers.authorization, auth.verifier);
        if ('invalid' in caller || 'unavailable' in caller) {
          countRefused();
          return refuseToken(req, res, caller);
        }
        const principal = 'claims' in caller && caller.claims ? principalOf(caller.claims) : ANONYMOUS;
        if (await overLimit(req, res, principal)) {
          countRefused();
          return;
        }
        callers.set(req, { principal, ...(deadlineAt === undefined ? {} : { deadlineAt }) });
        return graphql(req, res);
      }
      // Anonymous by nature: limited per IP, which also bounds the secret checks a caller can ask for.
      if (path === OAUTH_TOKEN_PATH) return (await overLimit(req, res, ANONYMOUS)) ? undefined : auth.tokenRoute(req, res);
      if (path === '/.well-known/jwks.json') return sendJson(res, 200, auth.jwks(), { 'cache-control': 'public, max-age=300' });
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok', service: 'gateway' });
      if (path === METRICS_PATH) return serveMetrics(req, res);
      if (path === '/readyz') {
        // Shutting down (SIGTERM): out of the load balancer's rotation at once, while requests taken are still answered.
        if (server.isShuttingDown()) return sendJson(res, 503, { status: 'stopping', service: 'gateway' });
        // Ready once the schema is loaded; subgraph health is reported, not required:
        // a down subgraph gives partial data, not a gateway taken out of rotation.
        const subgraphs = await checkSubgraphs(options.subgraphUrls);
        const subscriptions = { connections: websockets?.connections() ?? 0, subscribers: hub.subscriberCount, lastEventId: hub.lastEventId, eventBus: hub.following ? 'following' : 'unreachable' };
        return sendJson(res, 200, { status: 'ready', service: 'gateway', subgraphs, circuits: executor.circuits(), subscriptions });
      }
      if (graphiql && path.startsWith(GRAPHIQL_ASSET_PREFIX) && (await serveGraphiQLAsset(path.slice(GRAPHIQL_ASSET_PREFIX.length), res))) return;
      if (path === '/' && graphiql) {
        res.writeHead(302, { location: '/graphql' });
        res.end();
        return;
      }
      sendJson(res, 404, { error: 'not_found', message: `No route ${path}` });
    },
    options.port,
    options.host,
    (err) => options.logger.error({ err }, 'request failed'),
  );
  try {
    await hub.start();
    websockets = attachSubscriptionServer({
      httpServer: server.server,
      schema: executor.schema,
      documents,
      hub,
      execute,
      authorizer,
      persistedDocuments: persisted,
      ...(limit ? { rateLimit: limit } : {}),
      logger: options.logger,
      verifier: auth.verifier,
      maxCost: limits.maxCost,
      queueLimit: options.subscriptionQueueLimit,
      requestTimeoutMs,
      referenceReuseMs: options.subscriptionReferenceReuseMs ?? 5_000,
    });
  } catch (err) {
    responseCache?.close();
    await server.close();
    await executor.stop();
    await persisted.close();
    throw err;
  }
  const sockets = websockets;
  const unobserveConnections = metrics.websocketConnections.observe({}, () => sockets.connections());
  options.logger.info({ url: `${server.url}/graphql` }, 'gateway listening');
  let closing: Promise<void> | undefined;
  return {
    ...server,
    graphqlUrl: `${server.url}/graphql`,
    websocketUrl: `${server.url.replace(/^http/, 'ws')}/graphql`,
    subscriptions: hub,
    // HTTP stops accepting and drains (requests taken are answered in full) while WebSockets are closed with 1001
    // (their sockets hold the HTTP server open, so the drain ends after them); then the bus follower, then subgraph sockets.
    close: () =>
      (closing ??= (async () => {
        try {
          const [drained, websocketsClosed] = await Promise.allSettled([server.close(), sockets.close()]);
          await hub.close();
          for (const step of [drained, websocketsClosed]) if (step.status === 'rejected') throw step.reason;
        } finally {
          unobserveConnections();
          responseCache?.close();
          await executor.stop();
          await auth.close();
          await buckets?.close();
          await persisted.close();
        }
      })()),
  };
}

/**
 * The gateway's options from the one config object (reads the auth key and clients files it names).
 * `alone`: the gateway runs in a process of its own (not beside the inventory subgraph), so only Redis can bring it stock events.
 */
export async function gatewayOptionsFrom(config: Config, bus: StockEventBus, logger: Logger, supergraphPath: string, { alone = false } = {}): Promise<GatewayOptions> {
  const { trustedDocuments, persistedQueries } = config.gateway;
  // A restricted client without a manifest could run nothing at all: a configuration mistake, said at start.
  if (trustedDocuments.restrictedClients.length > 0 && !trustedDocuments.file) throw new Error('TRUSTED_DOCUMENTS_CLIENTS is set but TRUSTED_DOCUMENTS_FILE is not: those clients could run nothing');
  return {
    introspection: config.gateway.introspection,
    metricsToken: config.observability.metricsToken,
    csrfPrevention: config.gateway.csrfPrevention,
    persistedQueries: { ...persistedQueries, ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}) },
    trustedDocuments: {
      ...(trustedDocuments.file ? { manifest: await readTrustedDocumentManifest(trustedDocuments.file) } : {}),
      restrictedClients: trustedDocuments.restrictedClients,
    },
    auth: await gatewayAuthSettingsFrom(config, logger),
    operationLimits: config.gateway.operationLimits,
    rateLimits: { ...config.gateway.rateLimits, ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}) },
    port: config.gateway.port,
    host: config.host,
    supergraph: { path: supergraphPath },
    subgraphUrls: config.gateway.subgraphs,
    subgraphTimeoutMs: config.gateway.subgraphTimeoutMs,
    subgraphTimeoutsMs: config.gateway.subgraphTimeoutsMs,
    subgraphRetries: config.gateway.subgraphRetries,
    subgraphBreaker: config.gateway.subgraphBreaker,
    requestTimeoutMs: config.gateway.requestTimeoutMs,
    graphiql: config.env !== 'production',
    bus,
    subscriptionQueueLimit: config.gateway.subscriptionQueueLimit,
    subscriptionReferenceReuseMs: config.gateway.subscriptionReferenceReuseMs,
    responseCache: { maxBytes: config.gateway.responseCacheMaxBytes, productMaxAgeMs: config.productCache.ttlMs, stockEvents: !alone || config.events.redisUrl !== undefined },
    subgraphSigningSecret: config.gatewaySigningSecret,
    logger,
  };
}
