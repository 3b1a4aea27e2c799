import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import { graphql, startTestStack } from '../support/stack.js';
import { asClient } from '../support/gateway-token.js';

/** A subgraph that is gone costs the fields it serves, named in the error; the rest still answers. */
let stack: RunningStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

describe('through the gateway', () => {
  it('refuses a body over the limit with 413 before parsing it', async () => {
    const query = `{ products(first: 1) { totalCount } } #${'x'.repeat(1024 * 1024)}`;
    const res = await fetch(stack.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('answers what it can when a subgraph is down, naming the one that failed', async () => {
    const partner = await asClient(stack.gateway.graphqlUrl, 'partner-acme');
    await stack.subgraphs.order.close();
    const { status, body } = await graphql(stack.gateway.graphqlUrl, '{ product(sku: "CG-000001") { name stock { available } } order(id: "mag_1") { number } }', undefined, partner);
    expect(status).toBe(200);
    expect(body.data?.product?.name).toBe(stack.dataset.productBySku.get('CG-000001')!.name);
    expect(body.data?.order).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'order' });
    expect(body.errors![0]!.message).toBe('The order service is unavailable.');

    const ready = (await (await fetch(new URL('/readyz', stack.gateway.graphqlUrl))).json()) as { subgraphs: Record<string, string> };
    expect(ready.subgraphs).toMatchObject({ order: 'unreachable', product: 'ready' });
  });
});
