import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import { graphql, setFaults, startTestStack } from '../support/stack.js';

/**
 * A system of record down, through the gateway: the product subgraph's
 * circuit breaker for Magento opens after failures in a row, callers then fail
 * fast with UPSTREAM_UNAVAILABLE (no timeouts spent on a dead system), a
 * product read before is still served from the cache, and one trial call
 * after the half-open wait closes the circuit once Magento is back.
 */
let stack: RunningStack;
beforeAll(async () => {
  stack = await startTestStack({ UPSTREAM_BREAKER_FAILURES: '3', UPSTREAM_BREAKER_HALF_OPEN_MS: '200' });
}, 120_000);
afterAll(() => stack?.close());

const circuitOf = async (system: string): Promise<unknown> =>
  ((await (await fetch(`${stack.subgraphs.product.url}/readyz`)).json()) as { upstreams: Record<string, string> }).upstreams[system];
const list = () => graphql(stack.gateway.graphqlUrl, '{ products(first: 1) { totalCount } }');

describe("an upstream's circuit breaker through the gateway", () => {
  it('opens on an outage, fails fast while serving cached products, and closes when the system is back', async () => {
    const { magento } = stack.simulators;
    const token = stack.config.upstreams.magento.token;
    const sku = stack.dataset.products[5]!.sku;
    expect((await graphql(stack.gateway.graphqlUrl, `{ product(sku: "${sku}") { name } }`)).body.errors).toBeUndefined();
    expect(await circuitOf('magento')).toBe('closed');

    await setFaults(magento, token, { outage: true });
    try {
      for (let i = 0; i < 3; i++) {
        const { body } = await list();
        expect(body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
      }
      expect(await circuitOf('magento')).toBe('open');
      const fast = await list();
      expect(fast.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', circuit: 'open' });
      const cached = await graphql(stack.gateway.graphqlUrl, `{ product(sku: "${sku}") { name } }`);
      expect(cached.body).toEqual({ data: { product: { name: stack.dataset.productBySku.get(sku)!.name } } });
    } finally {
      await setFaults(magento, token, { outage: false });
    }
    // Back: the first call after the half-open wait goes through and closes the circuit (until then, fast refusals).
    const answer = await vi.waitFor(
      async () => {
        const { body } = await list();
        if (body.errors) throw new Error(`still refused: ${body.errors[0]!.message}`);
        return body;
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(answer.data!.products.totalCount).toBeGreaterThan(0);
    expect(await circuitOf('magento')).toBe('closed');
  });
});
