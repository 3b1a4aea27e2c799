import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { getOperationAST, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Principal } from '../../lib/auth/claims.js';
import type { StockEvent } from '../../lib/events/stock-event.js';
import { CACHE_STATUS_HEADER } from '../../lib/graphql/graphql-http-handler.js';
import type { ResponseCache, ResponseCacheLookup } from '../../lib/graphql/response-cache-lookup.js';
import { metrics } from '../../lib/observability/metrics.js';
import type { GatewayContext } from '../gateway-context.js';
import type { CacheHints } from './cache-hints.js';
import { cachePolicies } from './cache-policy.js';
import { stockTagsOf } from './cache-tags.js';
import { ResponseStore, type StockTags } from './response-store.js';

/** Where stock events come from (the gateway's StockChangeHub). */
export interface StockEventSource {
  /** Calls `listener` with every batch of events this process receives; returns the unsubscribe. */
  onEvents(listener: (events: readonly StockEvent[]) => void): () => void;
  /** False while the bus is out of reach: events may be missed, so stock answers are not kept. */
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
  /** Entries held now. */
  readonly size: number;
  close(): void;
}

/**
 * Whole responses of queries whose every field may be cached (cache-hints.ts),
 * kept in process for their max age and sent again byte for byte, before
 * anything is parsed or planned.
 *
 * A response is found by everything that shapes it: who asked (token subject,
 * issuer and scopes: authorisation removes fields per caller, so no answer
 * crosses callers), the method, URL and body as sent, and the media type
 * asked for. Only complete answers are kept (no errors, nothing served
 * stale). Stock in a kept answer is dropped when a stock event names one of
 * its SKUs, in every gateway process (each follows the bus); a mutation
 * through this gateway drops every stock answer it holds, so its caller
 * reads its own write. Product data lives for its max age (cache-hints.ts).
 */
export function createGatewayResponseCache(options: GatewayResponseCacheOptions): GatewayResponseCache {
  const store = new ResponseStore({ maxBytes: options.maxBytes });
  const policies = cachePolicies(options.schema, options.hints);
  const { events } = options;
  const stopListening = events.onEvents((batch) => store.invalidate(batch.map((event) => event.sku)));
  const count = (result: 'hit' | 'miss') => metrics.cacheRequests.inc({ cache: 'gateway-response', result });

  const lookup = (req: IncomingMessage, body: string | null, principal: Principal): ResponseCacheLookup<GatewayContext> | undefined => {
    if (req.method !== 'GET' && req.method !== 'POST') return undefined;
    const key = digestOf(callerKey(principal), req.method, req.url ?? '', req.headers.accept ?? '', body ?? '');
    const hit = store.get(key);
    if (hit) {
      count('hit');
      return { hit, executed: () => false, responded: () => undefined };
    }
    // Invalidations from here on count against what this request reads.
    const since = store.epoch;
    let admitted: { maxAgeMs: number; tags: StockTags; operation: OperationDefinitionNode } | undefined;
    return {
      hit: undefined,
      executed(args, result, context) {
        const policy = policies.of(args.document, args.operationName);
        const operation = getOperationAST(args.document, args.operationName) ?? undefined;
        if (operation?.operation === 'mutation') store.invalidateStock();
        if (policy.maxAgeMs === 0 || !operation || result.errors?.length || context.stale?.length) return false;
        if (policy.stock && !events.following) return false;
        admitted = { maxAgeMs: policy.maxAgeMs, tags: policy.stock ? stockTagsOf(context.subgraphReads ?? []) : [], operation };
        return true;
      },
      responded(status, headers, responseBody) {
        if (!admitted || status !== 200) return;
        count('miss');
        const bytes = Buffer.from(responseBody, 'utf8');
        const sent = { ...headers, 'content-length': String(bytes.length), [CACHE_STATUS_HEADER]: 'HIT' };
        store.set(key, { body: bytes, headers: sent, operation: admitted.operation }, admitted.tags, admitted.maxAgeMs, since);
      },
    };
  };

  return {
    lookup,
    get size() {
      return store.size;
    },
    close() {
      stopListening();
      store.clear();
    },
  };
}

/** Everything about the caller that authorisation reads. */
function callerKey(principal: Principal): string {
  return principal.authenticated ? JSON.stringify([principal.issuer, principal.subject, [...principal.scopes].sort()]) : '';
}

/** SHA-256 over the parts, each prefixed by its length in bytes, so no two lists of parts give the same bytes. */
function digestOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:`).update(part);
  return hash.digest('base64');
}
