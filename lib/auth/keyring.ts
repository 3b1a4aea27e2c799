import { createHash, createPrivateKey, createPublicKey, generateKeyPair, randomUUID, type JsonWebKey, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';

/** The algorithms we sign our own tokens with. */
export type SigningAlgorithm = 'RS256' | 'ES256';

/** A key that can verify tokens: the current key, or a retired one kept until its tokens expire. */
export interface VerificationKey {
  kid: string;
  algorithm: SigningAlgorithm;
  publicKey: KeyObject;
}

/** The key tokens are signed with. */
export interface SigningKey extends VerificationKey {
  privateKey: KeyObject;
}

/** A public JWK as served at `/.well-known/jwks.json`. */
export type PublicJwk = JsonWebKey & { kid: string; alg: SigningAlgorithm; use: 'sig' };

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * Our signing keys: one current key that signs, plus retired keys that only verify.
 * Rotation without downtime: `rotate(next)` makes `next` current and keeps the old key
 * verifying; drop it with `dropRetired(kid)` once the longest-lived token it signed has expired.
 */
export class Keyring {
  private currentKey: SigningKey;
  private readonly retiredKeys = new Map<string, VerificationKey>();

  constructor(current: SigningKey, retired: readonly VerificationKey[] = []) {
    this.currentKey = current;
    for (const key of retired) if (key.kid !== current.kid) this.retiredKeys.set(key.kid, key);
  }

  /** A fresh key pair (RSA 2048 or EC P-256). */
  static async generate(algorithm: SigningAlgorithm = 'RS256'): Promise<Keyring> {
    return new Keyring(await generateSigningKey(algorithm));
  }

  /**
   * Keys from PEM: `current` is a private key; each `retired` entry is a public or private key
   * (only its public half is kept: a retired key never signs again).
   */
  static fromPem(current: string, retired: readonly string[] = []): Keyring {
    return new Keyring(
      signingKeyFromPrivate(createPrivateKey(current)),
      retired.map((pem) => verificationKeyFromPublic(createPublicKey(pem))),
    );
  }

  /** The key new tokens are signed with. */
  get current(): SigningKey {
    return this.currentKey;
  }

  /** The kids of the retired keys, still verifying. */
  get retiredKids(): string[] {
    return [...this.retiredKeys.keys()];
  }

  /** The public keys, current first, for `/.well-known/jwks.json`. */
  jwks(): { keys: PublicJwk[] } {
    return { keys: [this.currentKey, ...this.retiredKeys.values()].map(publicJwk) };
  }

  publicKeyFor(kid: string): { key: KeyObject; algorithm: SigningAlgorithm } | undefined {
    const found = kid === this.currentKey.kid ? this.currentKey : this.retiredKeys.get(kid);
    return found && { key: found.publicKey, algorithm: found.algorithm };
  }

  /** Makes `next` current; the old current key keeps verifying (its private half is dropped). */
  rotate(next: SigningKey): void {
    if (next.kid === this.currentKey.kid) throw new Error(`key ${next.kid} is already current`);
    const { kid, algorithm, publicKey } = this.currentKey;
    this.retiredKeys.set(kid, { kid, algorithm, publicKey });
    this.retiredKeys.delete(next.kid);
    this.currentKey = next;
  }

  /** Stops verifying with a retired key; true if it was there. */
  dropRetired(kid: string): boolean {
    return this.retiredKeys.delete(kid);
  }
}

export async function generateSigningKey(algorithm: SigningAlgorithm = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } =
    algorithm === 'RS256'
      ? await generateKeyPairAsync('rsa', { modulusLength: 2048 })
      : await generateKeyPairAsync('ec', { namedCurve: 'P-256' });
  return { kid: thumbprint(publicKey), algorithm, privateKey, publicKey };
}

function signingKeyFromPrivate(privateKey: KeyObject): SigningKey {
  if (privateKey.type !== 'private') throw new Error('the current key must be a private key');
  return { ...verificationKeyFromPublic(createPublicKey(privateKey)), privateKey };
}

function verificationKeyFromPublic(publicKey: KeyObject): VerificationKey {
  return { kid: thumbprint(publicKey), algorithm: algorithmOf(publicKey), publicKey };
}

/** RSA → RS256, EC P-256 → ES256; anything else is refused rather than guessed. */
function algorithmOf(key: KeyObject): SigningAlgorithm {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') {
    // jsonwebtoken refuses to sign with shorter RSA keys: fail at startup, not on the first token.
    if ((details?.modulusLength ?? 0) < 2048) throw new Error('RSA signing keys must be at least 2048 bits');
    return 'RS256';
  }
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(`unsupported signing key: ${key.asymmetricKeyType ?? key.type}${details?.namedCurve ? ` ${details.namedCurve}` : ''} (use RSA or EC P-256)`);
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url): a kid derived from the key, so the same key always gets the same kid. */
function thumbprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  // The required members only, in lexicographic order, no whitespace (RFC 7638 §3.2).
  const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

function publicJwk(key: VerificationKey): PublicJwk {
  // Exported from the public KeyObject, so no private member (d, p, q, ...) can leak.
  return { ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: key.algorithm, use: 'sig' };
}

export interface TokenSignerOptions {
  /** Signs with its current key. */
  keyring: Keyring;
  /** `iss` of our tokens; verifiers match it exactly. */
  issuer: string;
  /** `aud` of our tokens. */
  audience: string;
  /**
   * Token lifetime in seconds. Short, because a token cannot be revoked before it expires.
   * @default 900
   */
  ttlSeconds?: number;
  /**
   * The clock, in milliseconds since the epoch (tests pin it).
   * @default Date.now
   */
  now?: () => number;
}

/** Issues our access tokens (client credentials): `sub` = client id, `scope` space-separated. */
export class TokenSigner {
  private readonly ttlSeconds: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenSignerOptions) {
    this.ttlSeconds = options.ttlSeconds ?? 900;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.ttlSeconds) || this.ttlSeconds <= 0) throw new Error('ttlSeconds must be a positive integer');
  }

  sign(claims: { subject: string; scopes: readonly string[] }): { token: string; expiresIn: number; tokenId: string } {
    const { keyring, issuer, audience } = this.options;
    const key = keyring.current;
    const tokenId = randomUUID();
    // iat from our clock: jsonwebtoken computes exp from payload.iat when given one.
    const token = jwt.sign({ scope: claims.scopes.join(' '), iat: Math.floor(this.now() / 1000) }, key.privateKey, {
      algorithm: key.algorithm,
      keyid: key.kid,
      issuer,
      audience,
      expiresIn: this.ttlSeconds,
      jwtid: tokenId,
      subject: claims.subject,
    });
    return { token, expiresIn: this.ttlSeconds, tokenId };
  }
}
