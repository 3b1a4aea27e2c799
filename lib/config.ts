import { Cron } from 'croner';
import { z } from 'zod';
import { SCOPES, type Scope } from './auth/claims.js';

/**
 * Every setting of the stack, read once from the environment at start-up.
 * Each variable is documented here with its default; README's Configuration
 * table is generated from these descriptions (`npm run docs:config`).
 */
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const ms = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const rate = z.coerce.number().min(0).max(1).default(0);
const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1');
const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(z.string().url().optional());

/** A variable holding JSON: parsed, or one clear issue. */
function parseJson(v: string, ctx: z.RefinementCtx): unknown {
  try {
    return JSON.parse(v) as unknown;
  } catch {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'not JSON' });
    return z.NEVER;
  }
}

/** A cron expression croner accepts, or empty / `off` for none. */
const cronExpression = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) => (v.trim() === '' || v.trim() === 'off' ? undefined : v.trim()))
    .refine((v) => {
      if (v === undefined) return true;
      try {
        new Cron(v, { paused: true }).stop();
        return true;
      } catch {
        return false;
      }
    }, 'not a cron expression');
const msList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) => (v.trim() === '' ? [] : v.split(',').map((part) => Number(part.trim()))))
    .refine((list) => list.every((n) => Number.isInteger(n) && n >= 0), 'a comma-separated list of milliseconds');

/**
 * The development default of `GATEWAY_SIGNING_SECRET`, so `npm start` and
 * services started one by one (`node dist/bin/service.js <service>`) agree with
 * no setup. Public, so refused in production.
 */
export const DEV_GATEWAY_SIGNING_SECRET = 'commerce-graph-dev-gateway-signing-secret';

/** The development POS webhook secret (the simulator signs with it, the inventory subgraph accepts it): public, so refused in production. */
export const DEV_POS_WEBHOOK_SECRET = 'pos-dev-webhook-secret-0001';

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development').describe('Runtime mode; `production` hides GraphiQL and introspection, and refuses the development secrets.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
  HOST: z.string().default('127.0.0.1').describe('Interface every server binds to (the Docker image sets 0.0.0.0).'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1).default(25_000).describe('Hard deadline of a graceful shutdown (SIGTERM/SIGINT), counted from the signal: connections still open then are destroyed and the process exits with 1. Keep it below the orchestrator\'s grace period (Kubernetes: 30 s).'),
  SHUTDOWN_DELAY_MS: ms(0).describe('On SIGTERM, how long `/readyz` answers 503 (`stopping`) while requests are still accepted (each answer says `Connection: close`) before the listener closes: time for a load balancer to take the instance out. Must be below `SHUTDOWN_TIMEOUT_MS`.'),

  PORT: port(4000).describe('Gateway port: `/graphql`, `/healthz`, `/readyz`, GraphiQL.'),
  PRODUCT_PORT: port(4001).describe('Product subgraph port.'),
  INVENTORY_PORT: port(4002).describe('Inventory subgraph port.'),
  CUSTOMER_PORT: port(4003).describe('Customer subgraph port.'),
  ORDER_PORT: port(4004).describe('Order subgraph port.'),
  PRODUCT_URL: z.string().url().default('http://127.0.0.1:4001/graphql').describe('Where the gateway reaches the product subgraph.'),
  INVENTORY_URL: z.string().url().default('http://127.0.0.1:4002/graphql').describe('Where the gateway reaches the inventory subgraph.'),
  CUSTOMER_URL: z.string().url().default('http://127.0.0.1:4003/graphql').describe('Where the gateway reaches the customer subgraph.'),
  ORDER_URL: z.string().url().default('http://127.0.0.1:4004/graphql').describe('Where the gateway reaches the order subgraph.'),
  RATE_LIMIT_CLIENT_PER_MINUTE: z.coerce.number().positive().default(1_200).describe('Requests a minute each OAuth client may make (its token bucket refills at this rate).'),
  RATE_LIMIT_CLIENT_BURST: z.coerce.number().int().min(1).default(200).describe('How many requests an OAuth client may make at once (its bucket\'s size).'),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().positive().default(600).describe('Requests a minute each IP address may make without a token.'),
  RATE_LIMIT_ANONYMOUS_BURST: z.coerce.number().int().min(1).default(100).describe('How many requests an IP address may make at once without a token.'),
  RATE_LIMIT_CLIENTS: z
    .string()
    .default('{}')
    .transform(parseJson)
    .pipe(z.record(z.object({ perMinute: z.number().positive(), burst: z.number().int().min(1) })))
    .describe('Limits of named clients: JSON `{"partner-acme": {"perMinute": 60, "burst": 10}}`.'),
  RATE_LIMIT_FAIL_OPEN: flag.default('true').describe('With Redis unreachable, let requests through (`true`) or refuse them with 429 (`false`).'),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).default(12).describe('Deepest field nesting an operation may have (introspection exempt).'),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(30).describe('Aliased fields one operation may have.'),
  GRAPHQL_MAX_ROOT_FIELDS: z.coerce.number().int().min(1).default(20).describe('Fields at the root of one operation.'),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).default(20_000).describe('Estimated cost of one operation: 1 a field, a selection counted once per `first` / `limit` item (or per SKU asked for).'),
  GRAPHQL_INTROSPECTION: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1'))
    .describe('Whether the gateway answers `__schema` / `__type` (over HTTP and WebSocket; `__typename` always works); unset: on, except with `NODE_ENV=production`.'),
  CSRF_PREVENTION: flag.default('true').describe('Refuse (400 `CSRF_PREVENTED`) a `/graphql` GET, or a POST with no or a simple content type (`text/plain`, `application/x-www-form-urlencoded`, `multipart/form-data`), that carries none of the headers `graphql-preflight`, `apollo-require-preflight`, `x-apollo-operation-name`.'),
  APQ_ENABLED: flag.default('true').describe('Automatic persisted queries (Apollo\'s `extensions.persistedQuery`): a query registered once by its SHA-256 is then sent by hash alone; `false`: a hash alone is answered `PERSISTED_QUERY_NOT_SUPPORTED`.'),
  APQ_TTL_S: z.coerce.number().int().min(0).default(86_400).describe('How long a registered persisted query is kept, in seconds (0: until evicted); in Redis with `REDIS_URL`, in process otherwise.'),
  APQ_CACHE_MAX: z.coerce.number().int().min(1).default(10_000).describe('Most persisted queries kept in process without `REDIS_URL` (least recently used go first; at most 32 Mi characters of query text).'),
  APQ_REDIS_KEY_PREFIX: z.string().min(1).default('commerce-graph:apq:').describe('Prefix of the Redis keys persisted queries are kept under (`<prefix><sha256>`).'),
  APQ_REDIS_TIMEOUT_MS: z.coerce.number().int().min(1).default(500).describe('Deadline of one Redis call for persisted queries; a late or failed one is a miss (the client sends the query again).'),
  TRUSTED_DOCUMENTS_FILE: z.string().optional().describe('Persisted query manifest of trusted documents (Apollo\'s `apollo-persisted-query-manifest` JSON; `npm run trusted-documents` writes `clients/trusted-documents.json`), checked against the schema at start; unset: none.'),
  TRUSTED_DOCUMENTS_CLIENTS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((id) => id.trim()).filter(Boolean))
    .describe('Comma-separated OAuth client ids (a token\'s `sub`) that may run trusted documents only: anything else is refused with 403 `TRUSTED_DOCUMENT_REQUIRED` (needs `TRUSTED_DOCUMENTS_FILE`).'),
  SUBGRAPH_TIMEOUT_MS: ms(10_000).describe('Timeout of one gateway-to-subgraph fetch (each try of it).'),
  SUBGRAPH_TIMEOUTS_MS: z
    .string()
    .default('{}')
    .transform(parseJson)
    .pipe(z.object({ product: z.number().int().positive(), inventory: z.number().int().positive(), customer: z.number().int().positive(), order: z.number().int().positive() }).partial().strict())
    .describe('Timeouts of one subgraph\'s fetches that differ from `SUBGRAPH_TIMEOUT_MS`: JSON `{"inventory": 2000}`.'),
  SUBGRAPH_RETRIES: z.coerce.number().int().min(0).max(5).default(2).describe('Retries of a gateway-to-subgraph fetch of a query (never a mutation) after no answer, a timeout or a 5xx, with exponential backoff and jitter, within the request\'s deadline.'),
  GATEWAY_REQUEST_TIMEOUT_MS: ms(15_000).describe('Deadline of one gateway request, every subgraph fetch and retry included: what has not answered by then is given up, and the fields it would have served are null with `GATEWAY_TIMEOUT` (0: none).'),
  METRICS_TOKEN: z.string().optional().transform((v) => (v ? v : undefined)).describe('Bearer token a scraper must send for the gateway\'s `/metrics` (its port is public); unset: served to anyone. Subgraph `/metrics` are always open (internal ports).'),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl.describe('OpenTelemetry collector (OTLP over HTTP) every service exports its spans to, at `<endpoint>/v1/traces`; unset: tracing off.'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1).describe('Share of new traces recorded when tracing is on (0 to 1); a request arriving with a sampled `traceparent` is always followed.'),
  GATEWAY_SIGNING_SECRET: z
    .string()
    .min(32, 'at least 32 characters')
    .default(DEV_GATEWAY_SIGNING_SECRET)
    .describe('HMAC-SHA256 secret the gateway signs every subgraph request with (carrying the verified caller) and every subgraph verifies; a subgraph refuses a request without it (401). The same on the gateway and every subgraph, at least 32 characters; required in production (the default is for development only).'),

  AUTH_ISSUER: z.string().min(1).default('commerce-graph').describe('`iss` of the tokens `/oauth/token` issues (and accepts).'),
  AUTH_AUDIENCE: z.string().min(1).default('commerce-graph-api').describe('`aud` of those tokens: a token for another audience is refused.'),
  AUTH_TOKEN_TTL_S: z.coerce.number().int().min(60).max(86_400).default(900).describe('Lifetime of an issued access token, in seconds.'),
  AUTH_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(300).default(30).describe('Clock skew tolerated on `exp` and `nbf`.'),
  AUTH_SIGNING_KEY_FILE: z.string().optional().describe('PEM private key (RSA 2048+ → RS256, EC P-256 → ES256) tokens are signed with; unset: a key generated at start (tokens do not survive a restart, nor verify on another replica).'),
  AUTH_RETIRED_KEY_FILES: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((p) => p.trim()).filter(Boolean))
    .describe('Comma-separated PEM keys that no longer sign but still verify (and stay in the JWKS): rotation without downtime.'),
  AUTH_CLIENTS_FILE: z.string().optional().describe('JSON file of OAuth clients (`{"clients": [{id, name, secretHash, scopes}]}`, secrets scrypt-hashed); unset: the demo clients in development, none in production.'),
  AUTH_EXTERNAL_ISSUERS: z
    .string()
    .default('[]')
    .transform(parseJson)
    .pipe(
      z.array(
        z.object({
          issuer: z.string().min(1),
          audience: z.string().min(1),
          jwksUri: z.string().url(),
          algorithms: z.array(z.enum(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'])).min(1).default(['RS256']),
          // Stated, never assumed: an IdP serves other applications too, and its scope names may mean something else there.
          grants: z.array(z.enum(SCOPES)),
        }),
      ),
    )
    .describe('External identity providers whose tokens are accepted: JSON `[{"issuer", "audience", "jwksUri", "algorithms", "grants"}]` (Keycloak, Auth0, Okta); `grants` lists the API scopes each may grant (others in its tokens are dropped).'),
  MAGENTO_URL: z.string().url().default('http://127.0.0.1:4101').describe('Magento base URL (REST under `/rest/V1`).'),
  MAGENTO_TOKEN: z.string().min(1).default('magento-dev-token').describe('Magento integration access token (Bearer).'),
  MAGENTO_TIMEOUT_MS: ms(5_000).describe('Timeout of one Magento call.'),
  PRODUCT_CACHE_TTL_MS: ms(30_000).describe('How long the product subgraph serves a product or search page read from Magento as current, in Redis with `REDIS_URL` (shared by every replica), in process otherwise (0: not cached); when Magento fails, a cached one still held is served instead of an error, flagged in `extensions.stale`.'),
  PRODUCT_CACHE_STALE_MS: ms(86_400_000).describe('How long (default 24 h) past `PRODUCT_CACHE_TTL_MS` a cached product or search page is still served at once, flagged in `extensions.stale`, while it is read again from Magento in the background; past it a read waits for Magento. An entry is kept (in Redis or in process) for the TTL plus this; an unknown SKU for the TTL plus at most 60 s.'),
  PRODUCT_CACHE_MAX: z.coerce.number().int().min(1).default(50_000).describe('Most products the product subgraph keeps in process without `REDIS_URL` (least recently used go first); its cached search pages hold as many products again.'),
  PRODUCT_CACHE_REDIS_KEY_PREFIX: z.string().min(1).default('commerce-graph:product:').describe('Prefix of the Redis keys the product cache is kept under (`<prefix>sku:<sku>`, `<prefix>search:<SHA-256 of the normalised query>`).'),
  PRODUCT_CACHE_REDIS_TIMEOUT_MS: z.coerce.number().int().min(1).default(200).describe('Deadline of one Redis call of the product cache; a late or failed one bypasses the cache (Magento is asked), never failing the request.'),
  CRM_URL: z.string().url().default('http://127.0.0.1:4102').describe('Salesforce instance URL.'),
  CRM_TOKEN: z.string().min(1).default('crm-dev-token').describe('Salesforce OAuth access token (Bearer).'),
  CRM_TIMEOUT_MS: ms(5_000).describe('Timeout of one CRM call.'),
  ERP_URL: z.string().url().default('http://127.0.0.1:4103').describe('ERP REST API base URL.'),
  ERP_TOKEN: z.string().min(1).default('erp-dev-token').describe('ERP API token (Bearer).'),
  ERP_TIMEOUT_MS: ms(30_000).describe('Timeout of one ERP call (full inventory payloads are large).'),
  POS_URL: z.string().url().default('http://127.0.0.1:4104').describe('POS back-office API base URL.'),
  POS_TOKEN: z.string().min(1).default('pos-dev-token').describe('POS API token (Bearer).'),
  POS_TIMEOUT_MS: ms(5_000).describe('Timeout of one POS call.'),
  UPSTREAM_RETRIES: z.coerce.number().int().min(0).max(10).default(2).describe('Retries of an idempotent upstream call (GET, PUT, DELETE) after a network error or 5xx, with exponential backoff and jitter; a POST is never retried.'),
  UPSTREAM_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1_000).default(5).describe('Failed calls in a row (timeouts, no answer, 5xx; retries included in one call) after which the circuit breaker of a system (or, at the gateway, of a subgraph) opens: it is not called, and its callers fail at once with UPSTREAM_UNAVAILABLE (SUBGRAPH_UNAVAILABLE).'),
  UPSTREAM_BREAKER_HALF_OPEN_MS: ms(10_000).describe('How long an open circuit breaker waits before letting one trial call through (half-open); that call closing it again or reopening it.'),

  DATABASE_URL: optionalUrl.describe('PostgreSQL URL for the inventory ledger and golden records; unset: embedded PGlite.'),
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional().describe('PostgreSQL schema the subgraphs keep their tables in (created if missing); unset: the connection\'s default.'),
  PGLITE_DATA_DIR: z.string().optional().describe('Directory for embedded PGlite data; unset: in memory.'),
  REDIS_URL: optionalUrl.describe('Redis URL for the event bus, caches and rate limits; unset: in-process.'),
  STOCK_STREAM_KEY: z.string().min(1).default('commerce-graph:stock-events').describe('Redis stream that carries stock events from the inventory subgraph to every gateway.'),
  STOCK_STREAM_RETENTION: z.coerce.number().int().min(1_000).max(10_000_000).default(100_000).describe('Stock events kept for `stockChanged(after:)` resumes (about 8 minutes at 200 events/s); older ones are trimmed and a resume from before them is refused with `STOCK_CURSOR_EXPIRED`.'),
  ERP_SYNC_CRON: cronExpression('0 2 * * *').describe('When the full ERP inventory sync runs (cron, UTC; empty or `off`: never on a schedule).'),
  ERP_SYNC_INCREMENTAL_CRON: cronExpression('30 * * * *').describe('When the incremental ERP sync (`modifiedSince` the last completed sync) runs (cron, UTC; empty or `off`: never).'),
  ERP_SYNC_RETRY_DELAYS_MS: msList('5000,15000,45000').describe('Waits before each retry of a failed ERP inventory download (spec 002: 5 s, 15 s, 45 s); one retry per entry.'),
  ERP_SYNC_ATTEMPT_TIMEOUT_MS: ms(300_000).describe('Deadline of one ERP inventory download attempt (a whole warehouse\'s payload).'),
  ERP_SYNC_TIMEOUT_MS: ms(1_800_000).describe('A sync job still running after this is stopped and failed; a `running` job older than this is taken for dead and no longer blocks the next.'),
  ERP_SYNC_CHANGE_ALERT: z.coerce.number().int().min(0).default(10_000).describe('Alert when one sync changes more items than this.'),
  ERP_SYNC_RUNTIME_ALERT_MS: ms(900_000).describe('Alert when one sync runs longer than this.'),
  ERP_SYNC_ALERT_WEBHOOK_URL: optionalUrl.describe('Slack incoming-webhook URL for ERP sync alerts (failed, many changes, slow, overlap); unset: alerts are only logged.'),
  ERP_SYNC_ALERT_CHANNEL: z.string().default('#ops-inventory').describe('Slack channel the alerts name.'),
  ERP_SYNC_ARCHIVE_DIR: z.string().min(1).default('data/erp-archive').describe('Local directory the raw ERP payloads are archived in (`inventory-sync/YYYY-MM-DD/…`), when no S3 bucket is set.'),
  ERP_SYNC_ARCHIVE_RETENTION_DAYS: z.coerce.number().int().min(1).default(30).describe('Archives older than this are deleted after each sync.'),
  ERP_SYNC_S3_BUCKET: z.string().optional().describe('S3 (or S3-compatible) bucket for the archives instead of the local directory.'),
  ERP_SYNC_S3_REGION: z.string().default('us-east-1').describe('Region of that bucket.'),
  ERP_SYNC_S3_ENDPOINT: optionalUrl.describe('Endpoint of an S3-compatible store (MinIO, Ceph); unset: AWS.'),
  ERP_SYNC_S3_ACCESS_KEY_ID: z.string().optional().describe('Access key for the bucket; unset: the AWS SDK\'s default credential chain.'),
  ERP_SYNC_S3_SECRET_ACCESS_KEY: z.string().optional().describe('Secret for that access key.'),
  ERP_SYNC_S3_TIMEOUT_MS: ms(300_000).describe('Deadline of one S3 call (an archive upload with its retries, a list page, a delete batch).'),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000).describe('How often the inventory subgraph looks for ledger changes committed by another replica to publish (its own are published at once).'),
  RESPONSE_CACHE_MAX_BYTES: z.coerce.number().int().min(0).default(33_554_432).describe('Bytes (default 32 MiB) of whole query responses the gateway keeps in process and answers again without planning or calling a subgraph, when every field selected may be cached (gateway/response-cache/cache-hints.ts): product data for `PRODUCT_CACHE_TTL_MS`, stock until a stock event names its SKU (at most 30 s), locations 5 min. Kept per caller (token issuer, subject and scopes); 0 turns it off.'),
  SUBSCRIPTION_REFERENCE_REUSE_MS: ms(5_000).describe('How long the gateway reuses a product or location it fetched for a `stockChanged` payload for the next changes of that SKU or location (per selection and scopes; past half of it, the next change also fetches it afresh in the background, so steady traffic never waits for it; 0: fetched for every batch of events).'),
  SUBSCRIPTION_QUEUE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(1_000).describe('Messages a WebSocket connection may have waiting to be sent; past it the connection is closed with 4413 and can resume with `after`.'),

  MAGENTO_SIM_PORT: port(4101).describe('Magento simulator port.'),
  CRM_SIM_PORT: port(4102).describe('CRM (Salesforce) simulator port.'),
  ERP_SIM_PORT: port(4103).describe('ERP simulator port.'),
  POS_SIM_PORT: port(4104).describe('POS simulator port.'),
  SIM_SEED: z.coerce.number().int().default(42).describe('Seed of the simulators\' data generator: the same seed gives the same data.'),
  SIM_SKUS: z.coerce.number().int().min(1).max(1_000_000).default(2_000).describe('Catalog size.'),
  SIM_WAREHOUSES: z.coerce.number().int().min(1).max(100).default(2).describe('ERP warehouses.'),
  SIM_STORES: z.coerce.number().int().min(1).max(1_000).default(20).describe('POS stores.'),
  SIM_CUSTOMERS: z.coerce.number().int().min(1).max(1_000_000).default(5_000).describe('People behind the CRM, POS loyalty and Magento records.'),
  SIM_LATENCY_MS: ms(0).describe('Added latency of every simulator answer (each `<SYSTEM>_SIM_LATENCY_MS` overrides it).'),
  SIM_ERROR_RATE: rate.describe('Share of simulator answers that fail with 500 (each `<SYSTEM>_SIM_ERROR_RATE` overrides it).'),
  SIM_OUTAGE: flag.describe('Every simulator answers 503 (each `<SYSTEM>_SIM_OUTAGE` overrides it).'),
  MAGENTO_SIM_LATENCY_MS: ms(0).optional(),
  MAGENTO_SIM_ERROR_RATE: z.coerce.number().min(0).max(1).optional(),
  MAGENTO_SIM_OUTAGE: flag.optional(),
  CRM_SIM_LATENCY_MS: ms(0).optional(),
  CRM_SIM_ERROR_RATE: z.coerce.number().min(0).max(1).optional(),
  CRM_SIM_OUTAGE: flag.optional(),
  ERP_SIM_LATENCY_MS: ms(0).optional(),
  ERP_SIM_ERROR_RATE: z.coerce.number().min(0).max(1).optional(),
  ERP_SIM_OUTAGE: flag.optional(),
  POS_SIM_LATENCY_MS: ms(0).optional(),
  POS_SIM_ERROR_RATE: z.coerce.number().min(0).max(1).optional(),
  POS_SIM_OUTAGE: flag.optional(),
  POS_WEBHOOK_URL: optionalUrl.describe('Where the POS simulator posts sales, returns and adjustments; unset: events are recorded, not posted.'),
  POS_WEBHOOK_SECRET: z.string().min(16).default(DEV_POS_WEBHOOK_SECRET).describe('HMAC-SHA256 secret the POS signs its webhooks with.'),
  POS_WEBHOOK_SECRETS: z
    .string()
    .default(`pos-main=${DEV_POS_WEBHOOK_SECRET}`)
    .transform((v, ctx) => {
      const pairs = v.split(',').map((p) => p.trim()).filter(Boolean).map((p) => p.split('='));
      if (pairs.some((p) => p.length !== 2 || !p[0] || (p[1] ?? '').length < 16)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected source=secret pairs, comma-separated, each secret at least 16 characters' });
        return z.NEVER;
      }
      return Object.fromEntries(pairs) as Record<string, string>;
    })
    .describe('Secrets the inventory subgraph verifies POS webhooks with, by `x-pos-source`: `pos-main=secret,pos-outlet=secret2`; required in production (the default is for development only).'),
  POS_WEBHOOK_TOLERANCE_S: z.coerce.number().int().min(1).max(3_600).default(300).describe('How far a POS webhook\'s `x-pos-timestamp` may be from the receiver\'s clock before it is refused (replay protection).'),
  POS_EVENT_RATE: z.coerce.number().min(0).max(10_000).default(0).describe('Sales/returns/adjustments the POS simulator emits per second on its own (0: only on admin calls).'),
});

export type Env = z.infer<typeof envSchema>;

export const SYSTEM_NAMES = ['magento', 'crm', 'erp', 'pos'] as const;
export const SUBGRAPH_NAMES = ['product', 'inventory', 'customer', 'order'] as const;
export type SystemName = (typeof SYSTEM_NAMES)[number];
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export interface Faults {
  /** Added latency of every answer, in ms. */
  latencyMs: number;
  /** Share (0..1) of answers that fail with a 500. */
  errorRate: number;
  /** Every answer is a 503. */
  outage: boolean;
}

export interface UpstreamConfig {
  url: string;
  token: string;
  timeoutMs: number;
  retries: number;
  /** The system's circuit breaker. @default 5 failures in a row open it; a trial call after 10 s */
  breaker?: { failures: number; halfOpenAfterMs: number };
}

/** The ERP inventory sync (spec 002). */
export interface ErpSyncConfig {
  /** Cron expressions (UTC); undefined: not scheduled. */
  schedule: { full?: string; incremental?: string };
  retryDelaysMs: number[];
  attemptTimeoutMs: number;
  jobTimeoutMs: number;
  changeAlertThreshold: number;
  runtimeAlertMs: number;
  alerts: { webhookUrl?: string; channel: string };
  archive: {
    directory: string;
    retentionDays: number;
    /** Set: archives go to this bucket instead of `directory`. */
    s3?: { bucket: string; region: string; endpoint?: string; accessKeyId?: string; secretAccessKey?: string; timeoutMs: number };
  };
}

/** Bearer tokens: ours (issued at `/oauth/token`) and external identity providers'. */
export interface AuthConfig {
  issuer: string;
  audience: string;
  tokenTtlSeconds: number;
  clockToleranceSeconds: number;
  signingKeyFile?: string;
  retiredKeyFiles: string[];
  clientsFile?: string;
  externalIssuers: Array<{ issuer: string; audience: string; jwksUri: string; algorithms: Array<'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'PS256'>; /** The API scopes this issuer may grant; others in its tokens are dropped. */ grants: Scope[] }>;
}

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  host: string;
  /** Graceful shutdown on SIGTERM/SIGINT: readiness 503 for `delayMs`, then drain, all within `timeoutMs` of the signal. */
  shutdown: { delayMs: number; timeoutMs: number };
  /** Shared by the gateway (signs each subgraph request with the caller it verified) and every subgraph (verifies it). */
  gatewaySigningSecret: string;
  auth: AuthConfig;
  /** Metrics and traces. */
  observability: { metricsToken?: string; otlpEndpoint?: string; sampleRatio: number };
  gateway: {
    port: number;
    subgraphTimeoutMs: number;
    /** Per-subgraph overrides of `subgraphTimeoutMs`. */
    subgraphTimeoutsMs: Partial<Record<SubgraphName, number>>;
    /** Retries of a failed subgraph fetch of a query. */
    subgraphRetries: number;
    /** Each subgraph's circuit breaker at the gateway. */
    subgraphBreaker: { failures: number; halfOpenAfterMs: number };
    /** Deadline of one request (0: none). */
    requestTimeoutMs: number;
    subgraphs: Record<SubgraphName, string>;
    /** Messages one WebSocket connection may have waiting before it is closed as too slow. */
    subscriptionQueueLimit: number;
    /** Token buckets per client and per anonymous IP; `perClient` by client id. */
    rateLimits: { clients: { capacity: number; perMinute: number }; anonymous: { capacity: number; perMinute: number }; perClient: Record<string, { capacity: number; perMinute: number }>; failOpen: boolean };
    /** What one operation may ask: refused before any subgraph is called past these. */
    operationLimits: { maxDepth: number; maxAliases: number; maxRootFields: number; maxCost: number };
    /** How long a product or location fetched for a stockChanged payload is reused for the next changes of that SKU or location. */
    subscriptionReferenceReuseMs: number;
    /** Bytes of whole query responses kept (0: no response cache). */
    responseCacheMaxBytes: number;
    /** `__schema` / `__type` answered (off in production unless asked for). */
    introspection: boolean;
    /** Refuse GETs and simple-content-type POSTs without a preflight header. */
    csrfPrevention: boolean;
    /** Automatic persisted queries: kept in Redis with `redisUrl`, in process otherwise. */
    persistedQueries: { enabled: boolean; ttlMs: number; maxEntries: number; keyPrefix: string; timeoutMs: number };
    /** The manifest of trusted documents, and the client ids that may run nothing else. */
    trustedDocuments: { file?: string; restrictedClients: string[] };
  };
  /** The stock event bus: Redis Streams when `redisUrl` is set, in-process otherwise. */
  events: { redisUrl?: string; streamKey: string; retention: number };
  inventory: {
    /** POS webhook secrets by `x-pos-source`. */
    webhookSecrets: Record<string, string>;
    webhookToleranceSeconds: number;
    outboxPollMs: number;
    erpSync: ErpSyncConfig;
  };
  /** Products by SKU and search pages kept in front of Magento, served stale when it fails; `ttlMs` 0: not cached. */
  productCache: {
    ttlMs: number;
    /** How long past `ttlMs` an entry is served stale while refreshed in the background. */
    staleMs: number;
    /** Products kept in process (without `redisUrl`). */
    maxEntries: number;
    /** Set: the cache is kept in this Redis, shared by every product subgraph process. */
    redisUrl?: string;
    redisKeyPrefix: string;
    redisTimeoutMs: number;
  };
  ports: Record<SubgraphName, number>;
  upstreams: Record<SystemName, UpstreamConfig>;
  databaseUrl?: string;
  databaseSchema?: string;
  pgliteDataDir?: string;
  redisUrl?: string;
  simulators: {
    ports: Record<SystemName, number>;
    seed: number;
    sizes: { skus: number; warehouses: number; stores: number; customers: number };
    faults: Record<SystemName, Faults>;
    pos: { webhookUrl?: string; webhookSecret: string; eventRate: number };
  };
}

/** Reads and validates the environment once; throws one error naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  // The development secrets are in this file, so anyone could sign with them: production must bring its own.
  if (source.NODE_ENV === 'production') {
    if (!source.GATEWAY_SIGNING_SECRET || source.GATEWAY_SIGNING_SECRET === DEV_GATEWAY_SIGNING_SECRET) {
      problems.push('GATEWAY_SIGNING_SECRET: required in production (the development default is public)');
    }
    if (!source.POS_WEBHOOK_SECRETS || source.POS_WEBHOOK_SECRETS.includes(DEV_POS_WEBHOOK_SECRET)) {
      problems.push('POS_WEBHOOK_SECRETS: required in production (the development default is public)');
    }
  }
  // A delay as long as the deadline would leave no time to drain: the deadline would always be hit.
  if (parsed.success && parsed.data.SHUTDOWN_DELAY_MS >= parsed.data.SHUTDOWN_TIMEOUT_MS) problems.push('SHUTDOWN_DELAY_MS: must be below SHUTDOWN_TIMEOUT_MS');
  if (!parsed.success || problems.length > 0) throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  const e = parsed.data;
  const breaker = { failures: e.UPSTREAM_BREAKER_FAILURES, halfOpenAfterMs: e.UPSTREAM_BREAKER_HALF_OPEN_MS };
  const faults = (latency?: number, errorRate?: number, outage?: boolean): Faults => ({
    latencyMs: latency ?? e.SIM_LATENCY_MS,
    errorRate: errorRate ?? e.SIM_ERROR_RATE,
    outage: outage ?? e.SIM_OUTAGE,
  });
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    shutdown: { delayMs: e.SHUTDOWN_DELAY_MS, timeoutMs: e.SHUTDOWN_TIMEOUT_MS },
    gatewaySigningSecret: e.GATEWAY_SIGNING_SECRET,
    auth: {
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      tokenTtlSeconds: e.AUTH_TOKEN_TTL_S,
      clockToleranceSeconds: e.AUTH_CLOCK_TOLERANCE_S,
      signingKeyFile: e.AUTH_SIGNING_KEY_FILE,
      retiredKeyFiles: e.AUTH_RETIRED_KEY_FILES,
      clientsFile: e.AUTH_CLIENTS_FILE,
      externalIssuers: e.AUTH_EXTERNAL_ISSUERS,
    },
    observability: { metricsToken: e.METRICS_TOKEN, otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, sampleRatio: e.OTEL_TRACES_SAMPLER_ARG },
    gateway: {
      port: e.PORT,
      subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
      subgraphTimeoutsMs: e.SUBGRAPH_TIMEOUTS_MS,
      subgraphRetries: e.SUBGRAPH_RETRIES,
      subgraphBreaker: breaker,
      requestTimeoutMs: e.GATEWAY_REQUEST_TIMEOUT_MS,
      subgraphs: { product: e.PRODUCT_URL, inventory: e.INVENTORY_URL, customer: e.CUSTOMER_URL, order: e.ORDER_URL },
      subscriptionQueueLimit: e.SUBSCRIPTION_QUEUE_LIMIT,
      rateLimits: {
        clients: { capacity: e.RATE_LIMIT_CLIENT_BURST, perMinute: e.RATE_LIMIT_CLIENT_PER_MINUTE },
        anonymous: { capacity: e.RATE_LIMIT_ANONYMOUS_BURST, perMinute: e.RATE_LIMIT_ANONYMOUS_PER_MINUTE },
        perClient: Object.fromEntries(Object.entries(e.RATE_LIMIT_CLIENTS).map(([id, r]) => [id, { capacity: r.burst, perMinute: r.perMinute }])),
        failOpen: e.RATE_LIMIT_FAIL_OPEN,
      },
      operationLimits: { maxDepth: e.GRAPHQL_MAX_DEPTH, maxAliases: e.GRAPHQL_MAX_ALIASES, maxRootFields: e.GRAPHQL_MAX_ROOT_FIELDS, maxCost: e.GRAPHQL_MAX_COST },
      subscriptionReferenceReuseMs: e.SUBSCRIPTION_REFERENCE_REUSE_MS,
      responseCacheMaxBytes: e.RESPONSE_CACHE_MAX_BYTES,
      introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
      csrfPrevention: e.CSRF_PREVENTION,
      persistedQueries: { enabled: e.APQ_ENABLED, ttlMs: e.APQ_TTL_S * 1000, maxEntries: e.APQ_CACHE_MAX, keyPrefix: e.APQ_REDIS_KEY_PREFIX, timeoutMs: e.APQ_REDIS_TIMEOUT_MS },
      trustedDocuments: { file: e.TRUSTED_DOCUMENTS_FILE, restrictedClients: e.TRUSTED_DOCUMENTS_CLIENTS },
    },
    events: { redisUrl: e.REDIS_URL, streamKey: e.STOCK_STREAM_KEY, retention: e.STOCK_STREAM_RETENTION },
    inventory: {
      webhookSecrets: e.POS_WEBHOOK_SECRETS,
      webhookToleranceSeconds: e.POS_WEBHOOK_TOLERANCE_S,
      outboxPollMs: e.OUTBOX_POLL_MS,
      erpSync: {
        schedule: { full: e.ERP_SYNC_CRON, incremental: e.ERP_SYNC_INCREMENTAL_CRON },
        retryDelaysMs: e.ERP_SYNC_RETRY_DELAYS_MS,
        attemptTimeoutMs: e.ERP_SYNC_ATTEMPT_TIMEOUT_MS,
        jobTimeoutMs: e.ERP_SYNC_TIMEOUT_MS,
        changeAlertThreshold: e.ERP_SYNC_CHANGE_ALERT,
        runtimeAlertMs: e.ERP_SYNC_RUNTIME_ALERT_MS,
        alerts: { webhookUrl: e.ERP_SYNC_ALERT_WEBHOOK_URL, channel: e.ERP_SYNC_ALERT_CHANNEL },
        archive: {
          directory: e.ERP_SYNC_ARCHIVE_DIR,
          retentionDays: e.ERP_SYNC_ARCHIVE_RETENTION_DAYS,
          ...(e.ERP_SYNC_S3_BUCKET
            ? {
                s3: {
                  bucket: e.ERP_SYNC_S3_BUCKET,
                  region: e.ERP_SYNC_S3_REGION,
                  endpoint: e.ERP_SYNC_S3_ENDPOINT,
                  accessKeyId: e.ERP_SYNC_S3_ACCESS_KEY_ID,
                  secretAccessKey: e.ERP_SYNC_S3_SECRET_ACCESS_KEY,
                  timeoutMs: e.ERP_SYNC_S3_TIMEOUT_MS,
                },
              }
            : {}),
        },
      },
    },
    productCache: {
      ttlMs: e.PRODUCT_CACHE_TTL_MS,
      staleMs: e.PRODUCT_CACHE_STALE_MS,
      maxEntries: e.PRODUCT_CACHE_MAX,
      redisUrl: e.REDIS_URL,
      redisKeyPrefix: e.PRODUCT_CACHE_REDIS_KEY_PREFIX,
      redisTimeoutMs: e.PRODUCT_CACHE_REDIS_TIMEOUT_MS,
    },
    ports: { product: e.PRODUCT_PORT, inventory: e.INVENTORY_PORT, customer: e.CUSTOMER_PORT, order: e.ORDER_PORT },
    upstreams: {
      magento: { url: e.MAGENTO_URL, token: e.MAGENTO_TOKEN, timeoutMs: e.MAGENTO_TIMEOUT_MS, retries: e.UPSTREAM_RETRIES, breaker },
      crm: { url: e.CRM_URL, token: e.CRM_TOKEN, timeoutMs: e.CRM_TIMEOUT_MS, retries: e.UPSTREAM_RETRIES, breaker },
      erp: { url: e.ERP_URL, token: e.ERP_TOKEN, timeoutMs: e.ERP_TIMEOUT_MS, retries: e.UPSTREAM_RETRIES, breaker },
      pos: { url: e.POS_URL, token: e.POS_TOKEN, timeoutMs: e.POS_TIMEOUT_MS, retries: e.UPSTREAM_RETRIES, breaker },
    },
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    pgliteDataDir: e.PGLITE_DATA_DIR,
    redisUrl: e.REDIS_URL,
    simulators: {
      ports: { magento: e.MAGENTO_SIM_PORT, crm: e.CRM_SIM_PORT, erp: e.ERP_SIM_PORT, pos: e.POS_SIM_PORT },
      seed: e.SIM_SEED,
      sizes: { skus: e.SIM_SKUS, warehouses: e.SIM_WAREHOUSES, stores: e.SIM_STORES, customers: e.SIM_CUSTOMERS },
      faults: {
        magento: faults(e.MAGENTO_SIM_LATENCY_MS, e.MAGENTO_SIM_ERROR_RATE, e.MAGENTO_SIM_OUTAGE),
        crm: faults(e.CRM_SIM_LATENCY_MS, e.CRM_SIM_ERROR_RATE, e.CRM_SIM_OUTAGE),
        erp: faults(e.ERP_SIM_LATENCY_MS, e.ERP_SIM_ERROR_RATE, e.ERP_SIM_OUTAGE),
        pos: faults(e.POS_SIM_LATENCY_MS, e.POS_SIM_ERROR_RATE, e.POS_SIM_OUTAGE),
      },
      pos: { webhookUrl: e.POS_WEBHOOK_URL, webhookSecret: e.POS_WEBHOOK_SECRET, eventRate: e.POS_EVENT_RATE },
    },
  };
}
