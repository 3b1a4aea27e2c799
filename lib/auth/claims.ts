/** The scopes of the public API (../shared/design/api.graphql). */
export const SCOPES = ['inventory:read', 'inventory:write', 'customers:read', 'customers:pii', 'orders:read', 'orders:write', 'ops'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling, once a bearer token has been verified: what the gateway and subgraphs authorise on. */
export interface AuthClaims {
  /** `sub`: the OAuth client id for our own tokens, the IdP's subject for external ones. */
  subject: string;
  /** `iss`: who issued the token. */
  issuer: string;
  /** The token's scopes (`scope`, space-separated in the JWT). */
  scopes: readonly string[];
  /** `jti`. */
  tokenId?: string;
  /** `exp`. */
  expiresAt: Date;
}

/**
 * The caller as the gateway vouches for it to a subgraph (signed, see
 * `gateway-signature.ts`): the verified claims reduced to what authorisation reads.
 * Anonymous callers are `{ authenticated: false, scopes: [] }`.
 */
export interface Principal {
  /** A verified bearer token came with the request. */
  authenticated: boolean;
  /** The token's `sub`, when there was one. */
  subject?: string;
  /** The token's `iss`, when there was one. */
  issuer?: string;
  scopes: readonly string[];
}

/** Nobody in particular: no token. */
export const ANONYMOUS: Principal = Object.freeze({ authenticated: false, scopes: Object.freeze([]) as readonly string[] });

/** The principal verified claims make. */
export function principalOf(claims: AuthClaims): Principal {
  return { authenticated: true, subject: claims.subject, issuer: claims.issuer, scopes: claims.scopes };
}
