import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import { Keyring, TokenSigner } from '../../lib/auth/keyring.js';
import { freePort } from '../support/free-port.js';
import { graphql, startTestStack } from '../support/stack.js';
import { subscribe } from '../support/subscription-client.js';

/**
 * Tokens end to end on the gateway: a demo client gets one at /oauth/token,
 * its key is at /.well-known/jwks.json, GraphQL over HTTP and WebSocket
 * accept it, and refuse a token that does not verify (401 / 4401).
 */
let stack: RunningStack;
let base: string;

/** An identity provider this gateway trusts, whose JWKS nothing serves: its keys are out of reach. */
const DOWN_IDP = 'https://idp.down.test';

beforeAll(async () => {
  const port = await freePort();
  stack = await startTestStack({
    AUTH_EXTERNAL_ISSUERS: JSON.stringify([{ issuer: DOWN_IDP, audience: 'commerce-graph-api', jwksUri: `http://127.0.0.1:${port}/jwks`, algorithms: ['RS256'], grants: [] }]),
  });
  base = stack.gateway.url;
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

async function token(clientId: string, secret: string, scope?: string): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

const kidOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('OAuth tokens on the gateway', () => {
  it('issues a client_credentials token to a demo client, signed by a key the JWKS publishes', async () => {
    const { status, body, headers } = await token('partner-acme', 'partner-dev-secret', 'inventory:read orders:read');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'inventory:read orders:read' });
    expect(payloadOf(body.access_token)).toMatchObject({ iss: 'commerce-graph', aud: 'commerce-graph-api', sub: 'partner-acme', scope: 'inventory:read orders:read' });
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string; d?: string }> };
    expect(jwks.keys.map((k) => k.kid)).toContain(kidOf(body.access_token));
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
  });

  it('refuses a wrong secret with invalid_client (401, WWW-Authenticate)', async () => {
    const { status, body, headers } = await token('partner-acme', 'guess');
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('serves GraphQL to a verified caller and to anonymous callers, and refuses a token that does not verify', async () => {
    const { body: issued } = await token('storefront-web', 'storefront-dev-secret');
    const query = '{ product(sku: "CG-000010") { sku } }';
    const ok = await graphql(stack.gateway.graphqlUrl, query, undefined, { authorization: `Bearer ${issued.access_token}` });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ product: { sku: 'CG-000010' } });
    expect((await graphql(stack.gateway.graphqlUrl, query)).body.data).toEqual({ product: { sku: 'CG-000010' } });

    // Signed by a key this gateway never had, under its own issuer name.
    const forged = new TokenSigner({ keyring: await Keyring.generate(), issuer: 'commerce-graph', audience: 'commerce-graph-api' }).sign({ subject: 'x', scopes: ['ops'] });
    for (const bad of [`Bearer ${forged.token}`, 'Bearer not.a.token', 'Basic abc']) {
      const refused = await graphql(stack.gateway.graphqlUrl, query, undefined, { authorization: bad });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer realm="commerce-graph", error="invalid_token"/);
      expect(refused.headers.get('x-request-id')).toBeTruthy();
      expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(refused.body.data).toBeUndefined();
    }
  });

  it('answers 503 AUTH_UNAVAILABLE, not 401, while a trusted issuer\'s keys cannot be fetched', async () => {
    const external = new TokenSigner({ keyring: await Keyring.generate(), issuer: DOWN_IDP, audience: 'commerce-graph-api' }).sign({ subject: 'someone', scopes: [] });
    const res = await graphql(stack.gateway.graphqlUrl, '{ locations { id } }', undefined, { authorization: `Bearer ${external.token}` });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'AUTH_UNAVAILABLE' });
  });

  it('judges WebSocket connections by the token in connection_init: a bad one is closed with 4401, a good one subscribes', async () => {
    const query = 'subscription { stockChanged { sku } }';
    const refused = subscribe(stack.gateway.websocketUrl, query, {}, { authorization: 'Bearer not.a.token' });
    await expect(refused.ended).rejects.toMatchObject({ code: 4401 });

    const { body: issued } = await token('pos-terminal-s001', 'pos-dev-secret');
    const accepted = subscribe(stack.gateway.websocketUrl, query, {}, { token: issued.access_token });
    await accepted.connected;
    await accepted.close();
  });
});
