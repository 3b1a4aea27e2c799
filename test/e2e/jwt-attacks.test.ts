import { createPublicKey, type JsonWebKeyInput } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import { Keyring } from '../../lib/auth/keyring.js';
import { demoToken } from '../support/gateway-token.js';
import { graphql, startTestStack } from '../support/stack.js';
import { startTestIdp, type TestIdp } from '../support/test-idp.js';

/**
 * The JWT attacks a bearer-token API must refuse, each sent to the gateway's
 * `/graphql`: every bad token gets 401 `invalid_token` with UNAUTHENTICATED
 * and no data, and the valid one is served. Tokens of a trusted external IdP
 * (its JWKS served here) cover the claim checks; the gateway's own tokens
 * cover tampering and key confusion.
 */
let stack: RunningStack;
let idp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp('https://idp.attacks.test');
  stack = await startTestStack({ AUTH_EXTERNAL_ISSUERS: idp.trustedBy });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await idp?.close();
});

const now = () => Math.floor(Date.now() / 1000);
/** A token of the trusted IdP, signed with its real key (or `keyring`'s), with these claims over sensible defaults. */
const idpToken = (claims: Record<string, unknown> = {}, keyring = idp.keyring, kid = idp.keyring.current.kid) =>
  jwt.sign({ iss: idp.issuer, aud: idp.audience, sub: 'attacker', scope: 'ops', iat: now(), exp: now() + 300, ...claims }, keyring.current.privateKey, { algorithm: 'RS256', keyid: kid });
const segments = (token: string) => token.split('.') as [string, string, string];
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const ask = (token: string) => graphql(stack.gateway.graphqlUrl, '{ syncJobs(last: 1) { id } }', undefined, { authorization: `Bearer ${token}` });

async function expectRefused(token: string): Promise<void> {
  const { status, headers, body } = await ask(token);
  expect(status).toBe(401);
  expect(headers.get('www-authenticate')).toMatch(/^Bearer realm="commerce-graph", error="invalid_token"/);
  expect(body.data).toBeUndefined();
  expect(body.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
}

describe('JWT attacks on the gateway', () => {
  it('alg none: an unsigned token', async () => {
    const [, payload] = segments(idpToken());
    await expectRefused(`${b64({ alg: 'none', typ: 'JWT', kid: idp.keyring.current.kid })}.${payload}.`);
  });

  it('HS256 signed with the gateway’s RS public key (key confusion)', async () => {
    const { keys } = (await (await fetch(`${stack.gateway.url}/.well-known/jwks.json`)).json()) as { keys: Array<JsonWebKeyInput['key'] & { kid: string }> };
    const publicPem = createPublicKey({ key: keys[0]!, format: 'jwk' }).export({ format: 'pem', type: 'spki' }).toString();
    const [, payload] = segments(await demoToken(stack.gateway.graphqlUrl, 'ops-console'));
    const forged = jwt.sign(JSON.parse(Buffer.from(payload, 'base64url').toString()) as object, publicPem, { algorithm: 'HS256', keyid: keys[0]!.kid });
    await expectRefused(forged);
  });

  it('expired, beyond the clock tolerance', async () => {
    await expectRefused(idpToken({ iat: now() - 3600, exp: now() - 120 }));
  });

  it('not yet valid (nbf in the future)', async () => {
    await expectRefused(idpToken({ nbf: now() + 600 }));
  });

  it('wrong iss: an issuer the gateway does not trust', async () => {
    await expectRefused(idpToken({ iss: 'https://idp.evil.test' }));
  });

  it('wrong aud: a token minted for another API', async () => {
    await expectRefused(idpToken({ aud: 'another-api' }));
  });

  it('unknown kid', async () => {
    await expectRefused(idpToken({}, idp.keyring, 'no-such-key'));
  });

  it('tampered payload: scopes raised after signing', async () => {
    const storefront = await demoToken(stack.gateway.graphqlUrl, 'storefront-web');
    const [header, payload, signature] = segments(storefront);
    const raised = { ...(JSON.parse(Buffer.from(payload, 'base64url').toString()) as object), scope: 'ops' };
    await expectRefused(`${header}.${b64(raised)}.${signature}`);
  });

  it('a token signed by a key the trusted JWKS does not hold', async () => {
    const stranger = await Keyring.generate();
    await expectRefused(idpToken({}, stranger, stranger.current.kid));
    // Even under the kid of a key the JWKS does publish.
    await expectRefused(idpToken({}, stranger, idp.keyring.current.kid));
  });

  it('a valid token is served', async () => {
    const { status, body } = await ask(idpToken());
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(Array.isArray(body.data!.syncJobs)).toBe(true);
  });
});
