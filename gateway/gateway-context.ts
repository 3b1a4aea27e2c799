import type { AuthClaims } from '../lib/auth/claims.js';
import type { BaseContext } from '../lib/graphql/graphql-http-handler.js';

/** What the gateway knows about one request: its id, and its caller once a bearer token verified. */
export interface GatewayContext extends BaseContext {
  /** Scopes the request runs with; empty for anonymous callers. */
  scopes: readonly string[];
  /** The verified token's claims; unset for anonymous callers. */
  auth?: AuthClaims;
}
