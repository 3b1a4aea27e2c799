import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { Keyring, TokenSigner, generateSigningKey } from './keyring.js';

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];
const pem = (key: KeyObject) => key.export({ format: 'pem', type: key.type === 'private' ? 'pkcs8' : 'spki' }) as string;

describe('Keyring', () => {
  it.each(['RS256', 'ES256'] as const)('generates %s keys and publishes only their public halves', async (algorithm) => {
    const keyring = await Keyring.generate(algorithm);
    const { keys } = keyring.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kid: keyring.current.kid, alg: algorithm, use: 'sig', kty: algorithm === 'RS256' ? 'RSA' : 'EC' });
    for (const member of PRIVATE_JWK_MEMBERS) expect(keys[0]).not.toHaveProperty(member);
    expect(keyring.current.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keyring.publicKeyFor(keyring.current.kid)).toEqual({ key: keyring.current.publicKey, algorithm });
    expect(keyring.publicKeyFor('nope')).toBeUndefined();
  });

  it('derives the kid as the RFC 7638 thumbprint (the RFC’s own example)', () => {
    const rfcKey = createPublicKey({
      format: 'jwk',
      key: {
        kty: 'RSA',
        e: 'AQAB',
        n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      },
    });
    const current = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const keyring = Keyring.fromPem(pem(current), [pem(rfcKey)]);
    expect(keyring.retiredKids).toEqual(['NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs']);
  });

  it('loads PEM keys: algorithm from the key type, retired keys public or private, same kid as generated', async () => {
    const rsa = await generateSigningKey('RS256');
    const ec = await generateSigningKey('ES256');
    const oldRsa = await generateSigningKey('RS256');
    const keyring = Keyring.fromPem(pem(ec.privateKey), [pem(rsa.publicKey), pem(oldRsa.privateKey)]);
    expect(keyring.current).toMatchObject({ kid: ec.kid, algorithm: 'ES256' });
    expect(keyring.retiredKids.sort()).toEqual([rsa.kid, oldRsa.kid].sort());
    expect(keyring.publicKeyFor(oldRsa.kid)?.algorithm).toBe('RS256');
    expect(keyring.jwks().keys.map((k) => k.kid)).toEqual([ec.kid, ...keyring.retiredKids]);
    for (const key of keyring.jwks().keys) for (const member of PRIVATE_JWK_MEMBERS) expect(key).not.toHaveProperty(member);
  });

  it('refuses keys it cannot sign RS256/ES256 with', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    const ed25519 = generateKeyPairSync('ed25519').privateKey;
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => Keyring.fromPem(pem(p384))).toThrow(/unsupported signing key/);
    expect(() => Keyring.fromPem(pem(ed25519))).toThrow(/unsupported signing key/);
    expect(() => Keyring.fromPem(pem(rsa1024))).toThrow(/2048/);
    const good = pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    expect(() => Keyring.fromPem(good, [pem(createPublicKey(ed25519))])).toThrow(/unsupported signing key/);
  });

  it('rotates: the old key moves to retired without its private half, and can be dropped', async () => {
    const keyring = await Keyring.generate('ES256');
    const old = keyring.current;
    const next = await generateSigningKey('ES256');
    keyring.rotate(next);
    expect(keyring.current).toBe(next);
    expect(keyring.retiredKids).toEqual([old.kid]);
    expect(keyring.publicKeyFor(old.kid)?.key).toBe(old.publicKey);
    expect(() => keyring.rotate(next)).toThrow(/already current/);
    expect(keyring.dropRetired(old.kid)).toBe(true);
    expect(keyring.dropRetired(old.kid)).toBe(false);
    expect(keyring.publicKeyFor(old.kid)).toBeUndefined();
    expect(keyring.jwks().keys.map((k) => k.kid)).toEqual([next.kid]);
  });
});

describe('TokenSigner', () => {
  it('signs with the current key: kid, alg, iss, aud, sub, scope, jti, iat and exp from the clock', async () => {
    const keyring = await Keyring.generate('RS256');
    const now = Date.UTC(2030, 0, 1);
    const signer = new TokenSigner({ keyring, issuer: 'https://api.example', audience: 'commerce-graph', now: () => now });
    const { token, expiresIn, tokenId } = signer.sign({ subject: 'client-1', scopes: ['orders:read', 'ops'] });
    expect(expiresIn).toBe(900);
    const decoded = jwt.decode(token, { complete: true });
    expect(decoded?.header).toMatchObject({ alg: 'RS256', kid: keyring.current.kid, typ: 'JWT' });
    expect(decoded?.payload).toEqual({
      iss: 'https://api.example',
      aud: 'commerce-graph',
      sub: 'client-1',
      scope: 'orders:read ops',
      jti: tokenId,
      iat: now / 1000,
      exp: now / 1000 + 900,
    });
  });

  it('takes the lifetime from ttlSeconds and refuses a nonsensical one', async () => {
    const keyring = await Keyring.generate('ES256');
    const signer = new TokenSigner({ keyring, issuer: 'i', audience: 'a', ttlSeconds: 60, now: () => 1_000_000 });
    const payload = jwt.decode(signer.sign({ subject: 's', scopes: [] }).token) as jwt.JwtPayload;
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(() => new TokenSigner({ keyring, issuer: 'i', audience: 'a', ttlSeconds: 0 })).toThrow(/ttlSeconds/);
  });
});
