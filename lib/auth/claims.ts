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
