import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import type { DemoClientId } from '../../lib/auth/client-registry.js';
import { demoToken } from '../support/gateway-token.js';
import { graphql, startTestStack } from '../support/stack.js';
import { subscribe } from '../support/subscription-client.js';

/** Rate limits on the gateway: per client (a named client's own rule), per IP for callers without a token. */
let stack: RunningStack;
let terminal: string;

beforeAll(async () => {
  stack = await startTestStack({
    RATE_LIMIT_ANONYMOUS_BURST: '4',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1',
    RATE_LIMIT_CLIENTS: JSON.stringify({ 'partner-acme': { perMinute: 1, burst: 2 }, 'pos-terminal-s001': { perMinute: 1, burst: 1 } }),
  });
  terminal = await tokenFor('pos-terminal-s001');
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

/** A demo client's token, from this stack's /oauth/token: each fetch takes from this address's anonymous bucket. */
const tokenFor = (id: DemoClientId) => demoToken(stack.gateway.graphqlUrl, id);

describe('rate limits', () => {
  it('answers 429 RATE_LIMITED with Retry-After past a bucket, per client and per anonymous IP', async () => {
    const url = stack.gateway.graphqlUrl;
    const query = '{ locations { id } }';
    // Token requests count against this address's anonymous bucket (4): one before, two here, one GraphQL request below.
    const partner = await tokenFor('partner-acme');
    const ops = await tokenFor('ops-console');
    expect((await graphql(url, query)).status).toBe(200);
    const anonymous = await graphql(url, query);
    expect(anonymous.status).toBe(429);
    expect(anonymous.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(anonymous.headers.get('retry-after'))).toBeGreaterThan(0);

    const asPartner = () => graphql(url, query, undefined, { authorization: `Bearer ${partner}` });
    expect((await asPartner()).status).toBe(200);
    expect((await asPartner()).status).toBe(200);
    const third = await asPartner();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(50);

    // Other clients have buckets of their own.
    expect((await graphql(url, query, undefined, { authorization: `Bearer ${ops}` })).status).toBe(200);
  });

  it('limits operations sent over a WebSocket from the same bucket as HTTP requests', async () => {
    const query = '{ locations { id } }';
    const first = subscribe(stack.gateway.websocketUrl, query, {}, { token: terminal });
    expect((await first.take(1))[0]!.data!.locations.length).toBeGreaterThan(0);
    await first.close();
    const second = subscribe(stack.gateway.websocketUrl, query, {}, { token: terminal });
    await expect(second.ended).rejects.toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) }) })]);
    expect((await graphql(stack.gateway.graphqlUrl, query, undefined, { authorization: `Bearer ${terminal}` })).status).toBe(429);
  });
});
