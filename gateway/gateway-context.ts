import type { BaseContext } from '../lib/graphql/graphql-http-handler.js';

/**
 * What the gateway knows about one request: its id, and who it runs as
 * (`principal`: the verified bearer token's caller, or ANONYMOUS), which
 * authorisation reads and subgraphs are told.
 */
export type GatewayContext = BaseContext;
