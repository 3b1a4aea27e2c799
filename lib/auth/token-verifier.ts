import { createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import jwksClient from 'jwks-rsa';
import type { Logger } from '../logger.js';
import type { AuthClaims } from './claims.js';
import type { Keyring } from './keyring.js';

/** Asymmetric algorithms only: an HMAC algorithm next to a public key would let anyone holding the public key forge tokens. */
export type AllowedAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'PS256';

export interface RemoteJwksOptions {
  /** The issuer's JWKS, e.g. `https://idp.example.com/realms/shop/protocol/openid-connect/certs`. */
  jwksUri: string;
  /**
   * Deadline for one JWKS fetch, whole response included.
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * A token with an unknown `kid` refetches the JWKS at most once per this period, so a flood of
   * made-up kids cannot hammer the IdP; a failed fetch is not retried within it either.
   * @default 30000
   */
  cooldownMs?: number;
  /**
   * How long a fetched JWKS is trusted before it is refetched (keys the IdP removed stop verifying).
   * @default 600000
   */
  cacheMaxAgeMs?: number;
}

/** An issuer whose tokens we accept. */
export interface TrustedIssuer {
  /** `iss`, matched exactly. */
  issuer: string;
  /** `aud` the token must carry. */
  audience: string;
  /** The header `alg` values accepted from this issuer (never `none` or HMAC: the type forbids them). */
  algorithms: AllowedAlgorithm[];
  /** Our own keyring, or the issuer's JWKS. */
  keys: { keyring: Keyring } | RemoteJwksOptions;
  /**
   * The scopes this issuer may grant here: any other scope in its tokens is
   * dropped, so an external IdP cannot hand out `ops` unless configured to.
   * @default every scope it puts in a token (our own issuer)
   */
  grants?: readonly string[];
}

export interface TokenVerifierOptions {
  issuers: TrustedIssuer[];
  /**
   * Seconds of clock skew tolerated on `exp` and `nbf`.
   * @default 30
   */
  clockToleranceSeconds?: number;
  logger: Logger;
  /**
   * The clock, in milliseconds since the epoch (tests pin it); also drives the JWKS cooldown and cache age.
   * @default Date.now
   */
  now?: () => number;
}

/** The bearer token is not acceptable (→ 401 UNAUTHENTICATED). `message` says why and is safe to show the caller. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** The issuer's keys could not be fetched: not the caller's fault (→ 503, try again), so the token is not called invalid. */
export class KeysUnavailableError extends Error {
  override readonly name = 'KeysUnavailableError';
}

interface ResolvedKey {
  key: KeyObject;
  /** The algorithm the key is bound to, when known: the header must match it. */
  algorithm?: string;
}

interface KeySource {
  keyFor(kid: string): Promise<ResolvedKey | undefined>;
}

/** Verifies bearer tokens from our own issuer and from configured external IdPs. */
export class TokenVerifier {
  private readonly issuers = new Map<string, { trusted: TrustedIssuer; keys: KeySource; grants?: ReadonlySet<string> }>();
  private readonly clockToleranceSeconds: number;
  private readonly now: () => number;

  constructor(options: TokenVerifierOptions) {
    this.clockToleranceSeconds = options.clockToleranceSeconds ?? 30;
    this.now = options.now ?? Date.now;
    for (const trusted of options.issuers) {
      if (this.issuers.has(trusted.issuer)) throw new Error(`issuer ${trusted.issuer} is configured twice`);
      if (trusted.algorithms.length === 0) throw new Error(`issuer ${trusted.issuer} allows no algorithm`);
      const keys: KeySource =
        'keyring' in trusted.keys
          ? keyringSource(trusted.keys.keyring)
          : new RemoteJwks(trusted.keys, this.now, options.logger.child({ issuer: trusted.issuer }));
      this.issuers.set(trusted.issuer, { trusted, keys, ...(trusted.grants ? { grants: new Set(trusted.grants) } : {}) });
    }
  }

  async verify(token: string): Promise<AuthClaims> {
    // Decoded unverified only to choose the issuer, algorithm and key; nothing from it is trusted until jwt.verify passes.
    let decoded: jwt.Jwt | null;
    try {
      decoded = jwt.decode(token, { complete: true });
    } catch {
      // A header that says JWT over a payload that is not JSON makes the decoder throw.
      throw new InvalidTokenError('token malformed');
    }
    if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null) throw new InvalidTokenError('token malformed');
    const { header, payload } = decoded;
    const entry = typeof payload.iss === 'string' ? this.issuers.get(payload.iss) : undefined;
    if (!entry) throw new InvalidTokenError('unknown issuer');
    const { trusted, keys, grants } = entry;
    // The allowlist check is what stops `alg: none` and HS256-signed-with-our-public-key.
    const algorithm = header.alg as AllowedAlgorithm;
    if (!trusted.algorithms.includes(algorithm)) throw new InvalidTokenError('algorithm not allowed');
    if (typeof header.kid !== 'string' || header.kid === '') throw new InvalidTokenError('key id missing');
    const resolved = await keys.keyFor(header.kid);
    if (!resolved) throw new InvalidTokenError('unknown signing key');
    // A key bound to one algorithm must not verify another (e.g. an RS256 key used with PS256).
    if (resolved.algorithm !== undefined && resolved.algorithm !== algorithm) throw new InvalidTokenError('algorithm not allowed');

    let verified: jwt.JwtPayload;
    try {
      const result = jwt.verify(token, resolved.key, {
        algorithms: [algorithm],
        issuer: trusted.issuer,
        audience: trusted.audience,
        clockTolerance: this.clockToleranceSeconds,
        clockTimestamp: Math.floor(this.now() / 1000),
        complete: false,
      });
      if (typeof result !== 'object') throw new InvalidTokenError('token malformed');
      verified = result;
    } catch (error) {
      throw toInvalidTokenError(error);
    }

    if (typeof verified.sub !== 'string' || verified.sub === '') throw new InvalidTokenError('subject missing');
    // jsonwebtoken accepts tokens without exp; we do not: every token must end.
    if (typeof verified.exp !== 'number') throw new InvalidTokenError('expiry missing');
    return {
      subject: verified.sub,
      issuer: trusted.issuer,
      scopes: grants ? scopesOf(verified).filter((scope) => grants.has(scope)) : scopesOf(verified),
      ...(typeof verified.jti === 'string' ? { tokenId: verified.jti } : {}),
      expiresAt: new Date(verified.exp * 1000),
    };
  }

  /** Nothing to close: no timers, and JWKS fetches go through Node's shared fetch dispatcher, which this class does not own. Kept so owners can close every part alike. */
  async close(): Promise<void> {}
}

function keyringSource(keyring: Keyring): KeySource {
  return { keyFor: async (kid) => keyring.publicKeyFor(kid) };
}

/** `scope` (space-separated, or an array) or `scp` (Okta, Azure AD) → string[]. */
function scopesOf(payload: jwt.JwtPayload): string[] {
  const raw: unknown = payload.scope ?? payload.scp;
  if (raw === undefined) return [];
  const parts = typeof raw === 'string' ? [raw] : Array.isArray(raw) && raw.every((s) => typeof s === 'string') ? (raw as string[]) : undefined;
  if (!parts) throw new InvalidTokenError('scope malformed');
  return parts.flatMap((s) => s.split(/\s+/)).filter((s) => s !== '');
}

/** jsonwebtoken's messages name the expected values; ours say only what was wrong. */
function toInvalidTokenError(error: unknown): InvalidTokenError {
  if (error instanceof InvalidTokenError) return error;
  if (error instanceof jwt.TokenExpiredError) return new InvalidTokenError('token expired');
  if (error instanceof jwt.NotBeforeError) return new InvalidTokenError('token not yet valid');
  const message = error instanceof Error ? error.message : '';
  if (message === 'invalid signature') return new InvalidTokenError('signature invalid');
  if (message.startsWith('jwt audience invalid')) return new InvalidTokenError('audience mismatch');
  if (message.startsWith('jwt issuer invalid')) return new InvalidTokenError('issuer mismatch');
  if (message === 'invalid algorithm' || message.startsWith('"alg" parameter')) return new InvalidTokenError('algorithm not allowed');
  if (message.startsWith('jwt malformed') || message.startsWith('invalid token')) return new InvalidTokenError('token malformed');
  return new InvalidTokenError('token invalid');
}

/**
 * An external issuer's JWKS, cached whole. Our own cache and cooldown rather than jwks-rsa's:
 * its `rateLimit` is a token bucket of `jwksRequestsPerMinute` that starts full and is spent on
 * every per-kid cache miss (the first load included), so it allows bursts of N fetches, cannot
 * express a cooldown over a minute (a fractional bucket refuses every request), and its per-kid
 * cache does not keep the other keys a fetch returned. jwks-rsa still does the JWK parsing.
 */
class RemoteJwks implements KeySource {
  private readonly client: jwksClient.JwksClient;
  private readonly cooldownMs: number;
  private readonly cacheMaxAgeMs: number;
  private keys = new Map<string, ResolvedKey>();
  private loadedAt = -Infinity;
  private lastUnknownKidFetchAt = -Infinity;
  private lastFailureAt = -Infinity;
  private inFlight: Promise<boolean> | undefined;

  constructor(
    options: RemoteJwksOptions,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {
    const timeoutMs = options.timeoutMs ?? 5000;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.cacheMaxAgeMs = options.cacheMaxAgeMs ?? 600_000;
    const { jwksUri } = options;
    this.client = jwksClient({
      jwksUri,
      // Caching and rate limiting are done above; getSigningKeys() bypasses both wrappers anyway.
      cache: false,
      rateLimit: false,
      // jwks-rsa's own `timeout` is a socket idle timeout (a trickling server never trips it): fetch with a whole-request deadline.
      fetcher: async (uri) => {
        const response = await fetch(uri, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
        if (!response.ok) throw new Error(`JWKS ${uri} answered ${response.status}`);
        return (await response.json()) as { keys: unknown };
      },
    });
  }

  async keyFor(kid: string): Promise<ResolvedKey | undefined> {
    let fetchFailed = false;
    if (this.inFlight) fetchFailed = !(await this.inFlight);
    const now = this.now();
    const fresh = now - this.loadedAt < this.cacheMaxAgeMs;
    const known = this.keys.get(kid);
    if (known && fresh) return known;
    if (!this.inFlight) {
      // Fresh cache, unknown kid: the IdP may have rotated, refetch at most once per cooldown.
      // Empty or stale cache: load, unless the last attempt failed within the cooldown.
      const mayFetch = fresh ? now - this.lastUnknownKidFetchAt >= this.cooldownMs : now - this.lastFailureAt >= this.cooldownMs;
      if (mayFetch) {
        if (fresh) this.lastUnknownKidFetchAt = now;
        this.inFlight = this.refresh().finally(() => (this.inFlight = undefined));
      }
    }
    if (this.inFlight) fetchFailed = !(await this.inFlight);
    const found = this.keys.get(kid);
    if (found) return found; // possibly stale when the refresh failed: better than rejecting every token while the IdP is down
    if (fetchFailed || this.loadedAt === -Infinity) throw new KeysUnavailableError('signing keys unavailable');
    return undefined;
  }

  /** Never rejects: true when the keys were replaced. */
  private async refresh(): Promise<boolean> {
    try {
      const signingKeys = await this.client.getSigningKeys();
      const keys = new Map<string, ResolvedKey>();
      for (const signingKey of signingKeys) {
        if (!signingKey.kid) continue;
        keys.set(signingKey.kid, { key: createPublicKey(signingKey.getPublicKey()), ...(signingKey.alg ? { algorithm: signingKey.alg } : {}) });
      }
      this.keys = keys;
      this.loadedAt = this.now();
      return true;
    } catch (error) {
      this.lastFailureAt = this.now();
      this.logger.warn({ err: error }, 'JWKS fetch failed');
      return false;
    }
  }
}
