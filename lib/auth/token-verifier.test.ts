import { createHmac } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import pino from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Keyring, TokenSigner, generateSigningKey } from './keyring.js';
import { InvalidTokenError, KeysUnavailableError, TokenVerifier, type TrustedIssuer } from './token-verifier.js';

const logger = pino({ level: 'silent' });
const ISSUER = 'https://api.example';
const AUDIENCE = 'commerce-graph';
const T0 = Date.UTC(2030, 0, 1);

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function ourIssuer(keyring: Keyring): TrustedIssuer {
  return { issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256', 'ES256'], keys: { keyring } };
}

async function rejection(promise: Promise<unknown>): Promise<InvalidTokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return error as InvalidTokenError;
}

describe('a token whose payload is not JSON', () => {
  it('is refused as malformed, not thrown', async () => {
    const keyring = await Keyring.generate();
    const verifier = new TokenVerifier({ issuers: [{ issuer: 'i', audience: 'a', algorithms: ['RS256'], keys: { keyring } }], logger });
    const part = (s: string) => Buffer.from(s).toString('base64url');
    const token = `${part('{"alg":"RS256","typ":"JWT","kid":"x"}')}.${part('not json')}.${part('sig')}`;
    expect((await rejection(verifier.verify(token))).message).toBe('token malformed');
  });
});

describe('TokenVerifier with our own keyring', () => {
  let rsa: Keyring;
  let ec: Keyring;
  beforeAll(async () => {
    [rsa, ec] = await Promise.all([Keyring.generate('RS256'), Keyring.generate('ES256')]);
  });

  it.each(['RS256', 'ES256'] as const)('round-trips a %s token', async (algorithm) => {
    const keyring = algorithm === 'RS256' ? rsa : ec;
    const signer = new TokenSigner({ keyring, issuer: ISSUER, audience: AUDIENCE, now: () => T0 });
    const verifier = new TokenVerifier({ issuers: [ourIssuer(keyring)], logger, now: () => T0 + 1000 });
    const { token, tokenId } = signer.sign({ subject: 'client-1', scopes: ['orders:read', 'inventory:read'] });
    await expect(verifier.verify(token)).resolves.toEqual({
      subject: 'client-1',
      issuer: ISSUER,
      scopes: ['orders:read', 'inventory:read'],
      tokenId,
      expiresAt: new Date(T0 + 900_000),
    });
    await verifier.close();
  });

  it('keeps verifying the old key’s tokens after rotation, until the key is dropped', async () => {
    const keyring = await Keyring.generate('ES256');
    const signer = new TokenSigner({ keyring, issuer: ISSUER, audience: AUDIENCE, now: () => T0 });
    const verifier = new TokenVerifier({ issuers: [ourIssuer(keyring)], logger, now: () => T0 });
    const oldToken = signer.sign({ subject: 'c', scopes: [] }).token;
    const oldKid = keyring.current.kid;
    keyring.rotate(await generateSigningKey('ES256'));
    const newToken = signer.sign({ subject: 'c', scopes: [] }).token;
    expect(jwt.decode(newToken, { complete: true })?.header.kid).toBe(keyring.current.kid);
    await expect(verifier.verify(oldToken)).resolves.toMatchObject({ subject: 'c' });
    await expect(verifier.verify(newToken)).resolves.toMatchObject({ subject: 'c' });
    keyring.dropRetired(oldKid);
    expect((await rejection(verifier.verify(oldToken))).message).toBe('unknown signing key');
    await expect(verifier.verify(newToken)).resolves.toMatchObject({ subject: 'c' });
  });

  it('rejects an expired token once past the clock tolerance', async () => {
    const signer = new TokenSigner({ keyring: ec, issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 60, now: () => T0 });
    const { token } = signer.sign({ subject: 'c', scopes: [] });
    const at = (ms: number) => new TokenVerifier({ issuers: [ourIssuer(ec)], logger, clockToleranceSeconds: 30, now: () => ms });
    await expect(at(T0 + 80_000).verify(token)).resolves.toMatchObject({ subject: 'c' });
    expect((await rejection(at(T0 + 91_000).verify(token))).message).toBe('token expired');
  });

  it('rejects a token whose nbf is in the future beyond the tolerance', async () => {
    const key = ec.current;
    const notBeforeIn = (seconds: number) =>
      jwt.sign({ scope: '', iat: T0 / 1000 }, key.privateKey, {
        algorithm: 'ES256', keyid: key.kid, issuer: ISSUER, audience: AUDIENCE, subject: 'c', expiresIn: 900, notBefore: seconds,
      });
    const verifier = new TokenVerifier({ issuers: [ourIssuer(ec)], logger, now: () => T0 });
    await expect(verifier.verify(notBeforeIn(10))).resolves.toMatchObject({ subject: 'c' });
    expect((await rejection(verifier.verify(notBeforeIn(120)))).message).toBe('token not yet valid');
  });

  it('rejects a wrong audience, an unknown issuer, a bad signature and garbage', async () => {
    const verifier = new TokenVerifier({ issuers: [ourIssuer(rsa)], logger, now: () => T0 });
    const sign = (issuer: string, audience: string) =>
      new TokenSigner({ keyring: rsa, issuer, audience, now: () => T0 }).sign({ subject: 'c', scopes: [] }).token;
    expect((await rejection(verifier.verify(sign(ISSUER, 'someone-else')))).message).toBe('audience mismatch');
    expect((await rejection(verifier.verify(sign('https://evil.example', AUDIENCE)))).message).toBe('unknown issuer');
    const [header, , signature] = sign(ISSUER, AUDIENCE).split('.');
    const forged = `${header}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: 'admin', scope: 'ops', exp: T0 / 1000 + 900 })}.${signature}`;
    expect((await rejection(verifier.verify(forged))).message).toBe('signature invalid');
    expect((await rejection(verifier.verify('not-a-jwt'))).message).toBe('token malformed');
  });

  it('rejects an unsigned alg:none token', async () => {
    const verifier = new TokenVerifier({ issuers: [ourIssuer(rsa)], logger, now: () => T0 });
    const payload = { iss: ISSUER, aud: AUDIENCE, sub: 'admin', scope: 'ops', iat: T0 / 1000, exp: T0 / 1000 + 900 };
    for (const header of [{ alg: 'none', typ: 'JWT' }, { alg: 'none', typ: 'JWT', kid: rsa.current.kid }]) {
      expect((await rejection(verifier.verify(`${b64(header)}.${b64(payload)}.`))).message).toBe('algorithm not allowed');
    }
  });

  it('rejects an HS256 token keyed with our public key PEM', async () => {
    const verifier = new TokenVerifier({ issuers: [ourIssuer(rsa)], logger, now: () => T0 });
    const publicPem = rsa.current.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const signingInput = `${b64({ alg: 'HS256', typ: 'JWT', kid: rsa.current.kid })}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: 'admin', scope: 'ops', exp: T0 / 1000 + 900 })}`;
    const token = `${signingInput}.${createHmac('sha256', publicPem).update(signingInput).digest('base64url')}`;
    expect((await rejection(verifier.verify(token))).message).toBe('algorithm not allowed');
  });

  it('rejects an allowed alg the key is not bound to', async () => {
    const key = rsa.current;
    const issuer: TrustedIssuer = { ...ourIssuer(rsa), algorithms: ['RS256', 'RS512'] };
    const verifier = new TokenVerifier({ issuers: [issuer], logger, now: () => T0 });
    const token = jwt.sign({ iat: T0 / 1000 }, key.privateKey, { algorithm: 'RS512', keyid: key.kid, issuer: ISSUER, audience: AUDIENCE, subject: 'c', expiresIn: 60 });
    expect((await rejection(verifier.verify(token))).message).toBe('algorithm not allowed');
  });

  it('normalises scope arrays and scp, and requires sub and exp', async () => {
    const key = ec.current;
    const verifier = new TokenVerifier({ issuers: [ourIssuer(ec)], logger, now: () => T0 });
    const sign = (payload: object, options: jwt.SignOptions = {}) =>
      jwt.sign({ iat: T0 / 1000, ...payload }, key.privateKey, { algorithm: 'ES256', keyid: key.kid, issuer: ISSUER, audience: AUDIENCE, ...options });
    const withSub = { subject: 'c', expiresIn: 60 };
    await expect(verifier.verify(sign({ scope: ['orders:read', 'ops'] }, withSub))).resolves.toMatchObject({ scopes: ['orders:read', 'ops'] });
    await expect(verifier.verify(sign({ scp: ['customers:read'] }, withSub))).resolves.toMatchObject({ scopes: ['customers:read'] });
    await expect(verifier.verify(sign({ scope: '  a   b ' }, withSub))).resolves.toMatchObject({ scopes: ['a', 'b'] });
    await expect(verifier.verify(sign({}, withSub))).resolves.toMatchObject({ scopes: [] });
    expect((await rejection(verifier.verify(sign({ scope: 7 }, withSub)))).message).toBe('scope malformed');
    expect((await rejection(verifier.verify(sign({}, { expiresIn: 60 })))).message).toBe('subject missing');
    expect((await rejection(verifier.verify(sign({}, { subject: 'c' })))).message).toBe('expiry missing');
  });
});

describe('TokenVerifier with an external issuer’s JWKS', () => {
  const IDP = 'https://idp.example/realms/shop';
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function serve(handler: (res: ServerResponse) => void): Promise<{ url: string; requests: () => number }> {
    let requests = 0;
    const server: Server = createServer((_req, res) => {
      requests++;
      handler(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/certs`, requests: () => requests };
  }

  it('verifies via the JWKS, refetches once on a new kid, and not again for a burst of unknown kids within the cooldown', async () => {
    const idpKeys = await Keyring.generate('RS256');
    const { url, requests } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(idpKeys.jwks()));
    });
    let now = T0;
    const verifier = new TokenVerifier({
      issuers: [{ issuer: IDP, audience: AUDIENCE, algorithms: ['RS256', 'ES256'], keys: { jwksUri: url, cooldownMs: 30_000 } }],
      logger,
      now: () => now,
    });
    cleanups.push(() => verifier.close());
    const idp = new TokenSigner({ keyring: idpKeys, issuer: IDP, audience: AUDIENCE, now: () => T0 });

    await expect(verifier.verify(idp.sign({ subject: 'u1', scopes: ['orders:read'] }).token)).resolves.toMatchObject({ subject: 'u1', issuer: IDP });
    await expect(verifier.verify(idp.sign({ subject: 'u1', scopes: [] }).token)).resolves.toMatchObject({ subject: 'u1' });
    expect(requests()).toBe(1);

    // The IdP rotates: the first token with the new kid refetches once.
    idpKeys.rotate(await generateSigningKey('RS256'));
    await expect(verifier.verify(idp.sign({ subject: 'u2', scopes: [] }).token)).resolves.toMatchObject({ subject: 'u2' });
    expect(requests()).toBe(2);

    // A burst of unknown kids inside the cooldown: rejected without touching the IdP.
    const strangers = await Promise.all([1, 2, 3, 4, 5].map(() => Keyring.generate('ES256')));
    const unknownTokens = strangers.map((keyring) => new TokenSigner({ keyring, issuer: IDP, audience: AUDIENCE, now: () => T0 }).sign({ subject: 'x', scopes: [] }).token);
    now += 10_000;
    const errors = await Promise.all(unknownTokens.map((token) => rejection(verifier.verify(token))));
    expect(errors.map((e) => e.message)).toEqual(Array(5).fill('unknown signing key'));
    expect(requests()).toBe(2);

    // Past the cooldown one unknown kid may refetch again, and a concurrent burst shares that one fetch.
    now += 30_000;
    await Promise.all(unknownTokens.map((token) => rejection(verifier.verify(token))));
    expect(requests()).toBe(3);
    // Known keys are still served from the cache.
    await expect(verifier.verify(idp.sign({ subject: 'u3', scopes: [] }).token)).resolves.toMatchObject({ subject: 'u3' });
    expect(requests()).toBe(3);
  });

  it('keeps only the scopes the issuer is configured to grant', async () => {
    const idpKeys = await Keyring.generate('RS256');
    const { url } = await serve((res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(idpKeys.jwks())));
    const verifier = new TokenVerifier({ issuers: [{ issuer: IDP, audience: AUDIENCE, algorithms: ['RS256'], keys: { jwksUri: url }, grants: ['orders:read'] }], logger });
    cleanups.push(() => verifier.close());
    const token = new TokenSigner({ keyring: idpKeys, issuer: IDP, audience: AUDIENCE }).sign({ subject: 'u1', scopes: ['ops', 'orders:read', 'admin'] }).token;
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'u1', scopes: ['orders:read'] });
  });

  it('refetches a JWKS older than cacheMaxAgeMs, so keys the IdP removed stop verifying', async () => {
    const idpKeys = await Keyring.generate('ES256');
    const { url, requests } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(idpKeys.jwks()));
    });
    let now = T0;
    const verifier = new TokenVerifier({
      issuers: [{ issuer: IDP, audience: AUDIENCE, algorithms: ['ES256'], keys: { jwksUri: url, cacheMaxAgeMs: 60_000 } }],
      logger,
      now: () => now,
    });
    const idp = new TokenSigner({ keyring: idpKeys, issuer: IDP, audience: AUDIENCE, ttlSeconds: 3600, now: () => T0 });
    const token = idp.sign({ subject: 'u', scopes: [] }).token;
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'u' });
    const oldKid = idpKeys.current.kid;
    idpKeys.rotate(await generateSigningKey('ES256'));
    idpKeys.dropRetired(oldKid);
    now += 59_000;
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'u' });
    expect(requests()).toBe(1);
    now += 2_000;
    expect((await rejection(verifier.verify(token))).message).toBe('unknown signing key');
    expect(requests()).toBe(2);
  });

  it('rejects within the timeout when the JWKS server never answers, and does not retry within the cooldown', async () => {
    const held: ServerResponse[] = [];
    cleanups.push(() => held.forEach((res) => res.destroy()));
    const { url, requests } = await serve((res) => held.push(res));
    const verifier = new TokenVerifier({
      issuers: [{ issuer: IDP, audience: AUDIENCE, algorithms: ['RS256'], keys: { jwksUri: url, timeoutMs: 100 } }],
      logger,
      now: () => T0,
    });
    const token = new TokenSigner({ keyring: await Keyring.generate('RS256'), issuer: IDP, audience: AUDIENCE, now: () => T0 }).sign({ subject: 'u', scopes: [] }).token;
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(KeysUnavailableError);
    await expect(verifier.verify(token)).rejects.toThrow('signing keys unavailable');
    expect(requests()).toBe(1);
  });
});
