import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import { graphql, setFaults, startTestStack } from '../support/stack.js';

/**
 * Every gateway request has an overall deadline: a subgraph still working
 * when it passes is given up, its fields are null with GATEWAY_TIMEOUT naming
 * it, and what the other subgraphs answered is served.
 */
let stack: RunningStack;
beforeAll(async () => {
  // Magento (behind the product subgraph) answers far later than the request may take; nothing is cached.
  stack = await startTestStack({ GATEWAY_REQUEST_TIMEOUT_MS: '400', MAGENTO_TIMEOUT_MS: '20000', PRODUCT_CACHE_TTL_MS: '0' });
}, 120_000);
afterAll(() => stack?.close());

describe('the request deadline', () => {
  it('serves what answered in time and names the subgraph that did not', async () => {
    const { magento } = stack.simulators;
    const token = stack.config.upstreams.magento.token;
    await setFaults(magento, token, { latencyMs: 3_000 });
    try {
      const sku = stack.dataset.products[0]!.sku;
      const { status, body } = await graphql(stack.gateway.graphqlUrl, `{ locations { id } product(sku: "${sku}") { name } }`);
      expect(status).toBe(200);
      expect(body.data?.locations.length).toBeGreaterThan(0);
      expect(body.data?.product).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]).toMatchObject({ extensions: { code: 'GATEWAY_TIMEOUT', serviceName: 'product' } });
      // Not the subgraph's fault: its breaker stays closed.
      const ready = (await (await fetch(new URL('/readyz', stack.gateway.graphqlUrl))).json()) as { circuits: Record<string, string> };
      expect(ready.circuits.product).toBe('closed');
    } finally {
      await setFaults(magento, token, { latencyMs: 0 });
    }
  });
});
