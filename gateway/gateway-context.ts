import type { BaseContext } from '../lib/graphql/graphql-http-handler.js';

/** What the gateway knows about one request: its id and, once tokens exist (the auth issue), the caller's scopes. */
export interface GatewayContext extends BaseContext {
  /** Scopes the request runs with; empty until bearer tokens are verified. */
  scopes: readonly string[];
}
