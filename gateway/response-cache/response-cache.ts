import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { getOperationAST, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Principal } from '../../lib/auth/claims.js';
import { principalKey } from '../authorization/authorizer.js';
import type { StockEvent } from '../../lib/events/stock-event.js';
import type { CachedResponse, ResponseCache, ResponseCacheLookup } from '../../lib/graphql/response-cache-lookup.js';
import { metrics } from '../../lib/observability/metrics.js';
import type { GatewayContext } from '../gateway-context.js';
import type { CacheHints } from './cache-hints.js';
import { cachePolicies } from './cache-policy.js';
import { stockTagsOf, type StockTags } from './cache-tags.js';
import { ResponseStore } from './response-store.js';

/** Where stock events come from (the gateway's StockChangeHub). */
export interface StockEventSource {
  /** Calls `listener` with every batch of events this process receives; returns the unsubscribe. */
  onEvents(listener: (events: readonly StockEvent[]) => void): () => void;
  /** Whether events reach this process now: while they may not (the bus unreadable), stock answers are neither served nor kept. */
  readonly following: boolean;
}

export interface GatewayResponseCacheOptions {
  /** The API schema the hints are read against. */
  schema: GraphQLSchema;
  /** Bytes of responses kept. */
  maxBytes: number;
  events: StockEventSource;
  /** What may be cached, and for how long (cache-hints.ts). */
  hints: CacheHints;
}

export interface GatewayResponseCache {
  lookup: ResponseCache<GatewayContext, IncomingMessage, Principal>;
  /**
   * Wraps the gateway's executor (HTTP and WebSocket alike): once a mutation
   * has run, every stock answer held is dropped, so its caller reads its own
   * write before the write's event arrives.
   */
  dropStockAfterMutations(execute: (args: ExecutionArgs) => Promise<ExecutionResult>): (args: ExecutionArgs) => Promise<ExecutionResult>;
  close(): void;
}

/**
 * Whole responses of queries whose every field may be cached (cache-hints.ts),
 * kept in process for their max age and sent again byte for byte, before
 * anything is parsed or planned.
 *
 * A response is found by everything that shapes it: who asked (token subject,
 * issuer and scopes: authorisation removes fields per caller, so no answer
 * crosses callers), the method, URL, content type and body as sent, and the
 * media type asked for. Only complete answers are kept (no errors, nothing
 * served stale). Stock in a kept answer is dropped when a stock event names
 * one of its SKUs, in every gateway process (each follows the bus), and is
 * neither served nor kept while the bus cannot be read. Product data lives
 * for its max age (cache-hints.ts).
 */
export function createGatewayResponseCache(options: GatewayResponseCacheOptions): GatewayResponseCache {
  const store = new ResponseStore({ maxBytes: options.maxBytes });
  const policies = cachePolicies(options.schema, options.hints);
  const { events } = options;
  const stopListening = events.onEvents((batch) => store.invalidate(batch.map((event) => event.sku)));
  const count = (result: 'hit' | 'miss') => metrics.cacheRequests.inc({ cache: 'gateway-response', result });

  const lookup = (req: IncomingMessage, body: string | null, principal: Principal): ResponseCacheLookup<GatewayContext> | undefined => {
    if (req.method !== 'GET' && req.method !== 'POST') return undefined;
    const key = digestOf(callerKey(principal), req.method, req.url ?? '', req.headers['content-type'] ?? '', req.headers.accept ?? '', body ?? '');
    const hit = store.get(key, events.following);
    if (hit) {
      count('hit');
      return { hit };
    }
    // Invalidations from here on count against what this request reads.
    const since = store.epoch;
    let admitted: { maxAgeMs: number; tags: StockTags; operation: CachedResponse['operation'] } | undefined;
    return {
      get keeping() {
        return admitted !== undefined;
      },
      executed(args, result, context) {
        const policy = policies.of(args.document, args.operationName);
        if (policy.maxAgeMs === 0 || result.errors?.length || context.stale?.length) return;
        if (policy.stock && !events.following) return;
        const operation = getOperationAST(args.document, args.operationName);
        if (!operation) return;
        // The name alone: the node itself would keep the whole document (its source and tokens) alive.
        const named = { operation: operation.operation, ...(operation.name ? { name: { value: operation.name.value } } : {}) };
        admitted = { maxAgeMs: policy.maxAgeMs, tags: policy.stock ? stockTagsOf(context.subgraphReads ?? []) : [], operation: named };
      },
      responded(status, headers, responseBody) {
        if (!admitted || status !== 200) return;
        count('miss');
        const bytes = Buffer.from(responseBody, 'utf8');
        store.set(key, { body: bytes, headers: { ...headers, 'content-length': String(bytes.length) }, operation: admitted.operation }, admitted.tags, admitted.maxAgeMs, since);
      },
    };
  };

  return {
    lookup,
    dropStockAfterMutations: (execute) => async (args) => {
      try {
        return await execute(args);
      } finally {
        if (getOperationAST(args.document, args.operationName)?.operation === 'mutation') store.invalidateStock();
      }
    },
    close() {
      stopListening();
      store.clear();
    },
  };
}

/** Everything about the caller that authorisation reads: who it is, and what it may read (`principalKey`, made once per principal). */
function callerKey(principal: Principal): string {
  return principal.authenticated ? JSON.stringify([principal.issuer, principal.subject, principalKey(principal)]) : '';
}

/** SHA-256 over the parts, each prefixed by its length in bytes, so no two lists of parts give the same bytes. */
function digestOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:`).update(part);
  return hash.digest('base64');
}
