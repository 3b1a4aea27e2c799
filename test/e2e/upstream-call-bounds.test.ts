import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import { SYSTEM_NAMES, type SystemName } from '../../lib/config.js';
import { busyCustomerId } from '../support/busy-customer.js';
import { asClient } from '../support/gateway-token.js';
import { graphql, resetUpstreamCalls, startTestStack, upstreamCalls } from '../support/stack.js';

/** No N+1 to any system of record: upstream calls per operation stay a small constant. */
let stack: RunningStack;
/** Stock by location and customers need a partner's scopes. */
let partner: { authorization: string };
beforeAll(async () => {
  stack = await startTestStack();
  partner = await asClient(stack.gateway.graphqlUrl, 'partner-acme');
});
afterAll(() => stack?.close());

async function callsDuring(run: () => Promise<void>): Promise<Record<SystemName, number>> {
  await Promise.all(SYSTEM_NAMES.map((s) => resetUpstreamCalls(stack.simulators[s], stack.config.upstreams[s].token)));
  await run();
  const counts = await Promise.all(SYSTEM_NAMES.map((s) => upstreamCalls(stack.simulators[s], stack.config.upstreams[s].token)));
  return Object.fromEntries(SYSTEM_NAMES.map((s, i) => [s, counts[i]!.requests])) as Record<SystemName, number>;
}

describe('upstream calls per operation', () => {
  it('products(first: 50) with stock: one Magento search, nothing from ERP or POS', async () => {
    // Warm the connector's process-lifetime caches (store config, categories) first.
    await graphql(stack.gateway.graphqlUrl, '{ products(first: 1) { edges { node { price { currencyCode } categories { name } } } } }');
    const calls = await callsDuring(async () => {
      const { body } = await graphql(
        stack.gateway.graphqlUrl,
        '{ products(first: 50) { edges { node { sku name price { amount currencyCode } categories { name } stock { available inStock } stockByLocation { available } } } } }',
        undefined,
        partner,
      );
      expect(body.errors).toBeUndefined();
      expect(body.data!.products.edges).toHaveLength(50);
    });
    expect(calls).toEqual({ magento: 1, crm: 0, erp: 0, pos: 0 });
  });

  it('a customer with 22 orders, their lines and products: a constant handful of calls', async () => {
    const id = busyCustomerId(stack.dataset);
    const calls = await callsDuring(async () => {
      const { body } = await graphql(
        stack.gateway.graphqlUrl,
        `query($id: ID!) { customer(id: $id) { name orders(first: 50) { edges { node { number total { amount } lines { quantity product { name price { amount } stock { available } } } } } } } }`,
        { id },
        partner,
      );
      expect(body.errors).toBeUndefined();
      expect(body.data!.customer.orders.edges.length).toBe(22);
    });
    // One Magento orders search and one products search; one POS orders call; no CRM call (golden records are local).
    expect(calls).toEqual({ magento: 2, crm: 0, erp: 0, pos: 1 });
  });
});
