import { SCOPES, type Principal } from '../../lib/auth/claims.js';
import { signGatewayRequest } from '../../lib/auth/gateway-signature.js';

/**
 * Tests play the gateway when they call a subgraph: subgraphs answer only
 * requests it signed. Every service a test starts is given this secret
 * (`gatewaySigningSecret`, or GATEWAY_SIGNING_SECRET for a whole stack).
 */
export const TEST_GATEWAY_SECRET = 'commerce-graph-test-gateway-signing-secret';

/** A caller holding every scope: what a test calling a subgraph is, unless it says otherwise. */
export const FULL_ACCESS: Principal = Object.freeze({ authenticated: true, subject: 'test-suite', issuer: 'commerce-graph', scopes: [...SCOPES] });

/** A token's principal with just these scopes. */
export const principalWith = (...scopes: string[]): Principal => ({ authenticated: true, subject: 'test-client', issuer: 'commerce-graph', scopes });

export interface SignAs {
  /** @default FULL_ACCESS */
  principal?: Principal;
  /** @default TEST_GATEWAY_SECRET */
  secret?: string;
}

/** The headers the gateway would send with this request to `url` for `principal`. */
export function gatewayHeaders(url: string, method: string, body: string, as: SignAs = {}): Record<string, string> {
  const { pathname, search } = new URL(url);
  return signGatewayRequest(as.secret ?? TEST_GATEWAY_SECRET, { method, target: `${pathname}${search}`, body }, as.principal ?? FULL_ACCESS);
}

/**
 * `fetch`, signed as the gateway signs (string bodies only): for code that
 * takes a fetch, such as graphql-http's `serverAudits({ fetchFn })`.
 */
export function signedFetch(as: SignAs = {}): typeof fetch {
  return async (input, init = {}) => {
    const request = new Request(input, init);
    const body = request.body ? await request.text() : '';
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(gatewayHeaders(request.url, request.method, body, as))) headers.set(name, value);
    return fetch(request.url, { method: request.method, headers, ...(request.body ? { body } : {}) });
  };
}
