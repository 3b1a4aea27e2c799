import type { AuthClaims, Principal } from '../lib/auth/claims.js';
import type { BaseContext } from '../lib/graphql/graphql-http-handler.js';

/** What the gateway knows about one request: its id, and its caller once a bearer token verified. */
export interface GatewayContext extends BaseContext {
  /** Who the request runs as (ANONYMOUS without a token): what authorisation reads and subgraphs are told. */
  principal: Principal;
  /** The verified token's claims; unset for anonymous callers. */
  auth?: AuthClaims;
}
