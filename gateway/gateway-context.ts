import type { BaseContext } from '../lib/graphql/graphql-http-handler.js';
import type { SubgraphRead } from './response-cache/cache-tags.js';

/**
 * What the gateway knows about one request: its id, who it runs as
 * (`principal`: the verified bearer token's caller, or ANONYMOUS), which
 * authorisation reads and subgraphs are told, and when it must be answered by.
 */
export interface GatewayContext extends BaseContext {
  /** `performance.now()` past which no subgraph is waited for (`GATEWAY_REQUEST_TIMEOUT_MS`); unset: each fetch's own timeout only. */
  deadlineAt?: number;
  /** The fetches made for it, when the response cache needs to know what its stock was read for. */
  subgraphReads?: SubgraphRead[];
}
